/** Why a text is not a packet. Stable strings: switch on them, they do not change between versions. */
export type ProtocolErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_UTF8'
  | 'UNEXPECTED_CHARACTER'
  | 'MISSING_SEPARATOR'
  | 'SPACE_IN_IP_ADDRESS'
  | 'UNEXPECTED_TOKEN'
  | 'TRAILING_INPUT'
  | 'BYTE_PATTERN'
  | 'BYTE_RANGE'
  | 'PORT_PATTERN'
  | 'PORT_RANGE'
  | 'MESSAGE_SEPARATOR'
  | 'UNTERMINATED_MESSAGE';

/** Where and why parsing stopped. */
export interface ProtocolErrorDetails {
  /** Why parsing stopped, as a stable string. */
  code: ProtocolErrorCode;
  /** 0-based offset into the text (UTF-16 code units) where the problem starts. */
  offset: number;
  /** What the grammar allowed here, e.g. `a Port (4 digits, or 5 digits starting with 0-6)`. */
  expected: string;
  /** What the input held here, e.g. `"70000"`, or `end of input`. */
  found: string;
  /** The reason, without the position prefix. */
  reason: string;
  /**
   * The Section IV rule being read where parsing stopped (`Port`, `UCommand`, ...); absent where
   * no rule was (the first token, which chooses between Command and ServerReply, or bytes that are
   * not text).
   */
  rule?: string;
}

/**
 * The one error `parse` throws. `message` reads `line:column: reason`, e.g.
 * `1:27: Port "70000" must be 4 digits, or 5 digits starting with 0-6`.
 */
export class ProtocolError extends Error {
  /** Always `'ProtocolError'`. */
  override readonly name = 'ProtocolError';
  /** Why parsing stopped, as a stable string: switch on it. */
  readonly code: ProtocolErrorCode;
  /** 0-based offset into the text (UTF-16 code units) where the problem starts. */
  readonly offset: number;
  /** 1-based line of `offset`; lines end at LF. */
  readonly line: number;
  /** 1-based column of `offset` within its line. */
  readonly column: number;
  /** What the grammar allowed here, e.g. `a Port (4 digits, or 5 digits starting with 0-6)`. */
  readonly expected: string;
  /** What the input held here, e.g. `"70000"`, or `end of input`. */
  readonly found: string;
  /** The reason, without the `line:column:` prefix. */
  readonly reason: string;
  /**
   * The Section IV rule being read where parsing stopped (`Port`, `UCommand`, ...); absent where
   * no rule was (the first token, which chooses between Command and ServerReply, or bytes that are
   * not text).
   */
  readonly rule?: string;

  /** @internal Made by the parser; `text` is the input, used to turn the offset into line and column. */
  constructor(details: ProtocolErrorDetails, text = '') {
    const { line, column } = lineAndColumn(text, details.offset);
    super(`${line}:${column}: ${details.reason}`);
    this.code = details.code;
    this.offset = details.offset;
    this.line = line;
    this.column = column;
    this.expected = details.expected;
    this.found = details.found;
    this.reason = details.reason;
    if (details.rule !== undefined) this.rule = details.rule;
  }
}

/** Why a value cannot be serialized. */
export type SerializeErrorCode = 'INVALID_PACKET' | 'AMBIGUOUS_PACKET';

/** Thrown by `serialize` for a value that would not parse back to the same packet. */
export class SerializeError extends Error {
  /** Always `'SerializeError'`. */
  override readonly name = 'SerializeError';
  /** Why the value cannot be serialized, as a stable string. */
  readonly code: SerializeErrorCode;
  /** Where in the packet, e.g. `command.users[2].port`; empty for the packet itself. */
  readonly path: string;

  /** @internal Made by the serializer. */
  constructor(code: SerializeErrorCode, path: string, reason: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.code = code;
    this.path = path;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
