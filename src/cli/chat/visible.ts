/**
 * Text from the network is shown, never obeyed: a message could otherwise clear the screen, move
 * the cursor, retitle the window or write the clipboard (OSC 52). Every piece of network text the
 * client prints goes through `visible`.
 */

/** Caret notation for C0 and DEL (`^[` for ESC, `^M` for CR), `\xHH` for C1, `\u{...}` for bidi controls. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0) as number;
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    if (code <= 0x9f) return `\\x${code.toString(16)}`;
    return `\\u{${code.toString(16)}}`;
  });
}

/**
 * C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), line and paragraph separators, and the
 * bidirectional overrides and isolates that can make a line read differently from what it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
