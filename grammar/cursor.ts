/**
 * The fast parser's view of the text, scannerless: the generated parser asks for the token the
 * grammar expects next (`fixed`, `word`, `digits`, `dot`, `message`), and it is matched in place
 * with scanner.ts's rules, so no token is classified that the grammar already knows. Only where
 * the grammar chooses does `peek` classify the next token, as the tokenizer would. Every token
 * obeys lexer.ts's separator rule and keeps the tokenizer's count of name-taking keywords, so
 * what is accepted here is exactly what the tokenizer would have produced.
 *
 * It only ever needs to be right about packets it accepts: anything it is unsure of fails, and
 * api.ts then asks the Chevrotain path, which finds and words the error (or, should the fast path
 * be stricter than the grammar, the packet). So whitespace beside a dot always fails here, though
 * `checkSeparators` tells apart the cases that are errors of their own.
 */
import {
  digitsEnd,
  isWordCode,
  messageEnd,
  scannedEnd,
  scanToken,
  skipWhitespace,
  wordEnd,
  wordType,
} from './scanner.ts';
import {
  DIGITS_ID,
  DOT_ID,
  EOF_ID,
  FIXED_TEXT,
  MESSAGE_ID,
  MESSAGE_WORD,
  NAME_TAKING,
  nextWordIsName,
} from './vocabulary.ts';

/** Thrown by `fail`: not a packet the fast path accepts. Not an Error, so throwing it is cheap. */
export const NOT_ACCEPTED = Symbol('not accepted by the fast path');

const NO_TOKEN = -1;
const DOT = 46;
/** 1 for a fixed token that is a word (a keyword): it must not run on into more letters. */
const WORDLIKE = new Uint8Array(
  FIXED_TEXT.map((text) => (text !== undefined && isWordCode(text.charCodeAt(0)) ? 1 : 0)),
);

/**
 * The cursor's state, in one object rather than module-level variables: V8 reads and writes a
 * property of a fixed shape directly, where a module's `let` costs a check on every access.
 */
const at = {
  text: '',
  /** Where the last token ended: the next one is looked for from here. */
  pos: 0,
  /** The last token: its id (vocabulary.ts) and start; it ends at `pos`. */
  last: NO_TOKEN,
  start: 0,
  /** Name-taking keywords that end the tokens so far (vocabulary.ts, `nextWordIsName`). */
  run: 0,
  /**
   * The token the last `peek` or `nextIs` found: looked for from `peekedFrom` (-1 for none),
   * its id, start and end. The token taken next is usually that one, and is not matched again.
   */
  peekedFrom: -1,
  peeked: EOF_ID,
  peekedStart: 0,
  peekedEnd: 0,
};

/** Starts on `input`. */
export function reset(input: string): void {
  at.text = input;
  at.pos = 0;
  at.last = NO_TOKEN;
  at.run = 0;
  at.peekedFrom = -1;
}

/**
 * Where the next token, which is not a dot, starts: after whitespace, which it needs unless it
 * is the first token or follows a Message (whose NUL ends it); right after a dot, with none.
 */
function startOfToken(): number {
  const pos = at.pos;
  // After a dot the matcher itself fails on whitespace, as on the end of the text.
  if (at.last === DOT_ID) return pos;
  const i = skipWhitespace(at.text, pos);
  separated(i);
  return i;
}

/** Fails unless a token (not a dot, not after one) starting at `i` is separated from the last. */
function separated(i: number): void {
  const last = at.last;
  if (i === at.pos && last !== MESSAGE_ID && last !== NO_TOKEN) fail();
}

function remember(id: number, start: number, end: number): void {
  at.peekedFrom = at.pos;
  at.peeked = id;
  at.peekedStart = start;
  at.peekedEnd = end;
}

/** Records the token just matched; `run` is the count of name-taking keywords after it. */
function took(id: number, start: number, end: number, run: number): void {
  at.run = run;
  at.last = id;
  at.start = start;
  at.pos = end;
}

/** Takes the token the last `peek` or `nextIs` found here, if it is of `id`. */
function takePeeked(id: number): boolean {
  if (at.peekedFrom !== at.pos || at.peeked !== id || at.last === DOT_ID) return false;
  separated(at.peekedStart);
  took(id, at.peekedStart, at.peekedEnd, NAME_TAKING[id] === 1 ? at.run + 1 : 0);
  return true;
}

/** A keyword, `+OK` or `-ERR`: the token of that id. */
export function fixed(id: number): void {
  if (takePeeked(id)) return;
  const i = startOfToken();
  const text = at.text;
  const image = FIXED_TEXT[id] as string;
  if (!text.startsWith(image, i)) fail();
  const end = i + image.length;
  // `SERVER2` is a Word, not SERVER.
  if (WORDLIKE[id] === 1 && end < text.length && isWordCode(text.charCodeAt(end))) fail();
  took(id, i, end, NAME_TAKING[id] === 1 ? at.run + 1 : 0);
}

/** Any word (`Word`, or a keyword or `Digits` in its category), as an Alias or RoomName takes. */
export function word(): void {
  const i = startOfToken();
  const text = at.text;
  const end = wordEnd(text, i);
  if (end === i) fail();
  // `MESSAGE` where the next word is not a name is a Message token, which no name slot takes.
  if (end - i === MESSAGE_WORD.length && !nextWordIsName(at.run) && text.startsWith(MESSAGE_WORD, i)) fail();
  const id = wordType(text, i, end);
  took(id, i, end, NAME_TAKING[id] === 1 ? at.run + 1 : 0);
}

/** An all-digit word. */
export function digits(): void {
  const i = startOfToken();
  const end = digitsEnd(at.text, i);
  if (end === -1) fail();
  took(DIGITS_ID, i, end, 0);
}

/** The dot of an IPAddress, right after the Byte before it. */
export function dot(): void {
  const i = at.pos;
  if (at.text.charCodeAt(i) !== DOT || at.last === NO_TOKEN) fail();
  took(DOT_ID, i, i + 1, 0);
}

/** A Message token: MESSAGE up to and including its NUL. */
export function message(): void {
  if (takePeeked(MESSAGE_ID)) return;
  const i = startOfToken();
  const end = messageEnd(at.text, i, at.run);
  if (end === -1) fail();
  took(MESSAGE_ID, i, end, 0);
}

/**
 * True when the next token is the fixed token `id`, where the grammar's only choice is that
 * token or something else (a repetition of a Server or a UserNode).
 */
export function nextIs(id: number): boolean {
  const text = at.text;
  const i = skipWhitespace(text, at.pos);
  const image = FIXED_TEXT[id] as string;
  if (!text.startsWith(image, i)) return false;
  const end = i + image.length;
  if (WORDLIKE[id] === 1 && end < text.length && isWordCode(text.charCodeAt(end))) return false;
  remember(id, i, end);
  return true;
}

/** The id of the next token, as the tokenizer would read it, where the grammar chooses. */
export function peek(): number {
  const pos = at.pos;
  // A choice is often asked twice at one place (the packet's first token, then Command's).
  if (at.peekedFrom === pos) return at.peeked;
  const text = at.text;
  const i = skipWhitespace(text, pos);
  const id = i >= text.length ? EOF_ID : scanToken(text, i, at.run);
  remember(id, i, scannedEnd);
  return id;
}

/** Where the next token starts if there is one: where a rule's own text begins. */
export function nextTokenStart(): number {
  return at.last === DOT_ID ? at.pos : skipWhitespace(at.text, at.pos);
}

/** True when only whitespace is left. */
export function atEnd(): boolean {
  return skipWhitespace(at.text, at.pos) === at.text.length;
}

/** The text being parsed. */
export function source(): string {
  return at.text;
}

/** Where the last token starts in the text. */
export function tokenStart(): number {
  return at.start;
}

/** Where the last token ends in the text (exclusive). */
export function tokenEnd(): number {
  return at.pos;
}

export function fail(): never {
  throw NOT_ACCEPTED;
}
