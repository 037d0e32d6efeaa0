/**
 * @chat/proto: parse and serialize the packets of the federated chat protocol.
 * @packageDocumentation
 */
export type * from './ast.ts';
export {
  ProtocolError,
  type ProtocolErrorCode,
  type ProtocolErrorDetails,
  SerializeError,
  type SerializeErrorCode,
} from './errors.ts';
export { type ParseResult, parse, safeParse } from './parse.ts';
export { serialize } from './serialize.ts';
export { isAlias, isMulticast, isRoomName } from './values.ts';
