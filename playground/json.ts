/**
 * JSON as people write it by hand: what fits on a line stays on one line (a UserNode, an empty
 * list), the rest is indented. A list of forty users reads as forty lines, not two hundred and
 * forty, and costs the browser that much less layout on every keystroke.
 */

/** Characters per line: enough for a UserNode in a ServerReply's list (the column scrolls sideways). */
const WIDTH = 100;

/** `value` on one line, spaced as a person would write it. */
function flatJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(flatJson).join(', ')}]`;
  const fields = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${flatJson(item)}`);
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}

/** `value` as JSON; `indent` is the indentation of its line, `prefix` the length of a key before it there. */
export function compactJson(value: unknown, indent = '', prefix = 0): string {
  const flat = flatJson(value);
  if (value === null || typeof value !== 'object' || indent.length + prefix + flat.length <= WIDTH)
    return flat;
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((item) => inner + compactJson(item, inner))
    : Object.entries(value).map(([key, item]) => {
        const label = `${JSON.stringify(key)}: `;
        return inner + label + compactJson(item, inner, label.length);
      });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return lines.length === 0 ? `${open}${close}` : `${open}\n${lines.join(',\n')}\n${indent}${close}`;
}
