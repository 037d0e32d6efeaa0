/**
 * The playground's input syntax: a packet typed into a text box, with escapes for what cannot be
 * typed or seen there. `\0` is NUL (the Message terminator), `\t` TAB (the Tab key moves focus),
 * `\r` CR (a text box turns it into LF), `\n` LF (as is Enter), `\\` a backslash, `\xHH` and
 * `\u{H...}` any other character. A backslash before anything else is itself.
 */

const NAMED: Record<string, string> = { '0': '\0', t: '\t', r: '\r', n: '\n', '\\': '\\' };
const ESCAPE = /\\(?:([0trn\\])|x([0-9A-Fa-f]{2})|u\{([0-9A-Fa-f]{1,6})\})/y;

/** The packet text, and for each of its UTF-16 offsets (and its end) where it starts in `typed`. */
export interface Decoded {
  text: string;
  /** `starts[i]` is the offset in the typed text of the character at offset `i`; length text.length + 1. */
  starts: number[];
}

export function decodeTyped(typed: string): Decoded {
  let text = '';
  const starts: number[] = [];
  for (let i = 0; i < typed.length; ) {
    ESCAPE.lastIndex = i;
    const match = typed[i] === '\\' ? ESCAPE.exec(typed) : null;
    let piece: string;
    let next: number;
    const codePoint = match?.[3] === undefined ? undefined : Number.parseInt(match[3], 16);
    if (match && (codePoint === undefined || codePoint <= 0x10ffff)) {
      piece =
        match[1] !== undefined
          ? (NAMED[match[1]] as string)
          : String.fromCodePoint(codePoint ?? Number.parseInt(match[2] as string, 16));
      next = i + match[0].length;
    } else {
      piece = typed[i] as string;
      next = i + 1;
    }
    for (let k = 0; k < piece.length; k++) starts.push(i);
    text += piece;
    i = next;
  }
  starts.push(typed.length);
  return { text, starts };
}

/** `text` in the input syntax: decodeTyped(encodeTyped(text)).text === text. LF stays a line break. */
export function encodeTyped(text: string): string {
  let typed = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '\\') typed += '\\\\';
    else if (char === '\0') typed += '\\0';
    else if (char === '\t') typed += '\\t';
    else if (char === '\r') typed += '\\r';
    else if (char === '\n') typed += '\n';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0))
      typed += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0xfeff || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029) {
      typed += `\\u{${code.toString(16)}}`;
    } else typed += char;
  }
  return typed;
}
