import type { Server, ServerReply } from '../../ast.ts';

/**
 * Why a user-node request failed; stable strings to switch on. `REFUSED`: the server answered -ERR. `TIMEOUT`: the server answers other requests but not this
 * one. `NO_SERVER`: the server stopped answering and no backup took this node. `CLOSED`: `close()`.
 */
export type RequestErrorCode = 'REFUSED' | 'TIMEOUT' | 'NO_SERVER' | 'CLOSED';

/** A request a server refused (-ERR), or that got no answer. */
export class RequestError extends Error {
  /** Always `'RequestError'`. */
  override readonly name = 'RequestError';
  /** Why the request failed, as a stable string: switch on it. */
  readonly code: RequestErrorCode;
  /** The -ERR reply, when there was one. */
  readonly reply: ServerReply | undefined;

  /** @internal Made by the user node. */
  constructor(code: RequestErrorCode, message: string, reply?: ServerReply) {
    super(message);
    this.code = code;
    this.reply = reply;
  }
}

/** A request made after `close()`, or waiting when it was called. */
export function closedError(): RequestError {
  return new RequestError('CLOSED', 'the user node was closed');
}

/** A request made, or waiting, after `server` failed and no backup took the node. */
export function noServerError({ alias, ip, port }: Server): RequestError {
  const reason = `server ${alias} at ${ip}:${port} stopped answering and no backup took this node`;
  return new RequestError('NO_SERVER', reason);
}
