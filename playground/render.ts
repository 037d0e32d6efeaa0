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

/** One value of the packet as a list item: `key: value`, with its fields nested under it. */
function item(key: string, value: unknown): HTMLLIElement {
  const li = element('li');
  li.append(element('span', key, 'key'), ': ');
  if (value === null || typeof value !== 'object') {
    li.append(element('span', JSON.stringify(value), typeof value === 'string' ? 'string' : 'number'));
    return li;
  }
  const fields = Object.entries(value as Record<string, unknown>);
  if (Array.isArray(value)) {
    li.append(element('span', value.length === 1 ? '1 item' : `${value.length} items`, 'type'));
  } else {
    // A node's kind or verb names it; its other fields are listed under it.
    const { kind, verb } = value as { kind?: string; verb?: string };
    li.append(element('span', kind ?? verb ?? '', 'type'));
  }
  const children = fields.filter(([name]) => name !== 'kind' && name !== 'verb');
  if (children.length > 0) {
    const list = element('ul');
    for (const [name, child] of children) list.append(item(Array.isArray(value) ? `[${name}]` : name, child));
    li.append(list);
  }
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
