/** Promise-shaped pieces of node:dgram for udp.ts, and errors that say which socket failed. */
import { createSocket, type Socket, type SocketOptions } from 'node:dgram';

/** An error with its context in the message; `code` (EADDRINUSE, ...) kept for callers to test. */
export interface SocketError extends Error {
  code?: string;
}

export function socketError(error: unknown, where: string): SocketError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const wrapped: SocketError = new Error(`${where}: ${cause.message}`, { cause });
  const code = (cause as SocketError).code;
  if (typeof code === 'string') wrapped.code = code;
  return wrapped;
}

/** Creates and binds a socket; rejects (socket closed) with `cannot bind <what>: EADDRINUSE ...`. */
export function bindSocket(
  options: SocketOptions,
  port: number,
  address: string,
  what: string,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(options);
    const onError = (error: Error) => {
      socket.close();
      reject(socketError(error, `cannot bind ${what}`));
    };
    socket.once('error', onError);
    try {
      socket.bind({ port, address }, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    } catch (error) {
      onError(error as Error); // a bad port or address is thrown, not emitted
    }
  });
}

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
