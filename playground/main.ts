/**
 * The playground's page script: every edit of the input parses the packet and redraws the result
 * (tree, JSON, canonical text) or the error (position, expected, Section IV rule), and writes the
 * packet into the URL fragment so a link reproduces it. Built into docs/playground.html by
 * scripts/build-playground.ts.
 */
import { type ProtocolError, safeParse, serialize } from '../src/browser.ts';
import { decodeTyped, encodeTyped } from './escapes.ts';
import { compactJson } from './json.ts';
import { element, markedText, packetTree } from './render.ts';

interface Example {
  group: string;
  name: string;
  valid: boolean;
  input: string;
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const input = byId<HTMLTextAreaElement>('packet');
const examples = byId<HTMLSelectElement>('examples');
const status = byId('status');
const result = byId('result');
const failure = byId('failure');
const utf8 = new TextEncoder();

let lastError: { from: number; to: number } | undefined;

// Chromium ignores history updates beyond about 200 in 10 seconds, which typing or browsing the
// examples can reach: the address follows the input once it rests.
const FRAGMENT_DELAY_MS = 250;
let fragmentTimer: ReturnType<typeof setTimeout> | undefined;

function writeFragment(text: string): void {
  clearTimeout(fragmentTimer);
  fragmentTimer = setTimeout(() => {
    history.replaceState(null, '', `#${encodeURIComponent(text)}`);
  }, FRAGMENT_DELAY_MS);
}

/** Where no rule was being read, why not. */
function noRule(error: ProtocolError): string {
  if (error.code === 'TRAILING_INPUT') return 'none: a whole packet was read before it';
  if (error.code === 'INVALID_UTF8' || error.code === 'INVALID_INPUT') return 'none: this is not packet text';
  return 'none yet: the first token chooses between Command and ServerReply (Section III)';
}

function showError(typed: string, text: string, starts: number[], error: ProtocolError): void {
  byId('error-position').textContent =
    `line ${error.line}, column ${error.column} (offset ${error.offset} of ${text.length})`;
  byId('error-expected').textContent = error.expected;
  byId('error-found').textContent = error.found;
  byId('error-reason').textContent = error.reason;
  const rule = byId('error-rule');
  if (error.rule === undefined) rule.replaceChildren(noRule(error));
  else {
    const link = element('a', error.rule);
    link.href = `grammar.html#${error.rule}`;
    link.title = `the railroad diagram of ${error.rule}`;
    rule.replaceChildren(link, ' (Section IV)');
  }
  byId('error-text').replaceChildren(...markedText(typed, text, starts, error.offset));
  lastError = {
    from: starts[error.offset] ?? typed.length,
    to: starts[Math.min(error.offset + 1, text.length)] ?? typed.length,
  };
  const where = error.rule === undefined ? '' : ` while reading ${error.rule}`;
  status.textContent = `Not a packet: ${error.line}:${error.column}: ${error.reason}${where}.`;
  status.className = 'invalid';
  input.setAttribute('aria-invalid', 'true');
  result.hidden = true;
  failure.hidden = false;
}

/** A NUL pasted in is invisible in the text box: it is shown as its escape, the caret kept after it. */
function showPastedNuls(): void {
  if (!input.value.includes('\0')) return;
  const before = input.value.slice(0, input.selectionEnd).split('\0').length - 1;
  const caret = input.selectionEnd + before;
  input.value = input.value.replaceAll('\0', '\\0');
  input.setSelectionRange(caret, caret);
}

/** Parses what is typed and redraws everything that depends on it. */
function update(): void {
  showPastedNuls();
  const typed = input.value;
  const { text, starts } = decodeTyped(typed);
  writeFragment(text);
  const parsed = safeParse(text);
  if (!parsed.ok) {
    showError(typed, text, starts, parsed.error);
    return;
  }
  const packet = parsed.value;
  const canonical = serialize(packet);
  const name = packet.kind === 'ServerReply' ? `ServerReply ${packet.status}` : packet.kind;
  const verb = packet.kind === 'ServerReply' ? packet.command.command.verb : packet.command.verb;
  status.textContent = `A packet: ${name}, ${verb}; ${utf8.encode(text).length} bytes.`;
  status.className = 'valid';
  input.removeAttribute('aria-invalid');
  lastError = undefined;
  byId('tree').replaceChildren(packetTree(packet));
  byId('json').textContent = compactJson(packet);
  byId('canonical').textContent = encodeTyped(canonical);
  byId('canonical-note').textContent =
    canonical === text
      ? 'The input is canonical.'
      : 'The input is not canonical: this is what a serializer writes.';
  failure.hidden = true;
  result.hidden = false;
}

/** Puts `text` (the packet itself, not its escaped form) into the input. */
function load(text: string): void {
  input.value = encodeTyped(text);
  update();
}

function fromFragment(): string {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return location.hash.slice(1);
  }
}

function insertNul(): void {
  input.setRangeText('\\0', input.selectionStart, input.selectionEnd, 'end');
  update();
}

function fillExamples(list: Example[]): void {
  const groups = new Map<string, HTMLOptGroupElement>();
  list.forEach((example, index) => {
    const label = `${example.group}: ${example.valid ? 'valid' : 'invalid'}`;
    let group = groups.get(label);
    if (group === undefined) {
      group = element('optgroup');
      group.label = label;
      groups.set(label, group);
      examples.append(group);
    }
    const option = element('option', example.name);
    option.value = String(index);
    group.append(option);
  });
  examples.addEventListener('change', () => {
    const chosen = list[Number(examples.value)];
    if (chosen !== undefined) load(chosen.input);
  });
}

fillExamples(JSON.parse(byId('examples-data').textContent ?? '[]') as Example[]);
input.addEventListener('input', update);
input.addEventListener('keydown', (event) => {
  // Ctrl+Space types NUL, as in a terminal.
  if (event.ctrlKey && event.code === 'Space') {
    event.preventDefault();
    insertNul();
  }
});
byId('nul').addEventListener('click', () => {
  insertNul();
  input.focus();
});
byId('go-to-error').addEventListener('click', () => {
  if (lastError === undefined) return;
  input.focus();
  input.setSelectionRange(lastError.from, Math.max(lastError.to, lastError.from));
});
window.addEventListener('hashchange', () => {
  if (fromFragment() !== decodeTyped(input.value).text) load(fromFragment());
});
load(location.hash.length > 1 ? fromFragment() : 'USERNODE bob 127.0.0.1 5001 FIND alice');
