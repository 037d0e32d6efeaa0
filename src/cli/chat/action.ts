/**
 * `/me waves` travels as IRC's CTCP ACTION, `\x01ACTION waves\x01`, so it reads as an action in
 * this client and as ordinary (visible) text anywhere else.
 */
const MARK = '\u0001';

export function encodeAction(text: string): string {
  return `${MARK}ACTION ${text}${MARK}`;
}

/** The action's text, or undefined when `message` is not an action. */
export function decodeAction(message: string): string | undefined {
  const prefix = `${MARK}ACTION `;
  if (!message.startsWith(prefix) || !message.endsWith(MARK) || message.length <= prefix.length + 1)
    return undefined;
  return message.slice(prefix.length, -1);
}
