import type { ServerReply } from '../../ast.ts';

/** Why a user-node request failed. Stable strings. */
export type RequestErrorCode = 'REFUSED' | 'TIMEOUT' | 'CLOSED';

/** A request a server refused (-ERR), or that got no answer. */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly code: RequestErrorCode;
  /** The -ERR reply, when there was one. */
  readonly reply: ServerReply | undefined;

  constructor(code: RequestErrorCode, message: string, reply?: ServerReply) {
    super(message);
    this.code = code;
    this.reply = reply;
  }
}
