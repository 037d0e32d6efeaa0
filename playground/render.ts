/**
 * What the playground draws: the packet as a tree of nested lists (read as such by screen
 * readers), and the typed text with the error's place marked. DOM nodes only, no HTML strings,
 * so nothing typed is ever read as markup.
 */
import type { Packet } from '../src/browser.ts';

/** An element with text, as the one way this page makes nodes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  className = '',
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * Lists longer than this are drawn closed, and their items only when opened: a datagram's list of
 * forty users drawn in full made each keystroke cost about a frame of layout.
 */
const OPEN_LIST_LIMIT = 8;

/** One value of the packet as a list item: `key: value`, with its fields nested under it. */
function item(key: string, value: unknown): HTMLLIElement {
  const li = element('li');
  if (value === null || typeof value !== 'object') {
    li.append(
      element('span', key, 'key'),
      ': ',
      element('span', JSON.stringify(value), typeof value === 'string' ? 'string' : 'number'),
    );
    return li;
  }
  // A node's kind or verb names it; its other fields are listed under it.
  const { kind, verb } = value as { kind?: string; verb?: string };
  const summary = Array.isArray(value)
    ? value.length === 1
      ? '1 item'
      : `${value.length} items`
    : (kind ?? verb ?? '');
  const children = Object.entries(value as Record<string, unknown>).filter(
    ([name]) => name !== 'kind' && name !== 'verb',
  );
  const nested = () => {
    const list = element('ul');
    for (const [name, child] of children) list.append(item(Array.isArray(value) ? `[${name}]` : name, child));
    return list;
  };
  if (Array.isArray(value) && value.length > OPEN_LIST_LIMIT) {
    const details = element('details');
    const label = element('summary');
    label.append(element('span', key, 'key'), ': ', element('span', summary, 'type'));
    details.append(label);
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) details.append(nested());
    });
    li.append(details);
    return li;
  }
  li.append(element('span', key, 'key'), ': ', element('span', summary, 'type'));
  if (children.length > 0) li.append(nested());
  return li;
}

export function packetTree(packet: Packet): HTMLUListElement {
  const list = element('ul');
  list.append(item('packet', packet));
  return list;
}

const WHITESPACE = /[ \t\r\n]/;

/**
 * The typed text with the error marked: from the offending character to the end of its word, or a
 * marker where the packet ended. `starts` maps packet offsets to typed offsets (escapes.ts).
 */
export function markedText(typed: string, text: string, starts: readonly number[], offset: number): Node[] {
  let end = offset;
  while (end < text.length && (end === offset || !WHITESPACE.test(text[end] as string))) end++;
  const from = starts[offset] ?? typed.length;
  const to = starts[end] ?? typed.length;
  const mark = from === to ? element('mark', 'end of input', 'end') : element('mark', typed.slice(from, to));
  return [document.createTextNode(typed.slice(0, from)), mark, document.createTextNode(typed.slice(to))];
}
