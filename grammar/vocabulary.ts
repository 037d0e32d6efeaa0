/**
 * The token vocabulary of Section IV as plain data: names, keywords and which keywords open a
 * name slot. Chevrotain's token types (tokens.ts), the scanner and the generated fast parser all
 * read it from here, and none of it needs Chevrotain, so the fast path starts without loading it.
 */

/** Keywords; a longer keyword comes before its prefix (SERVERREPLY before SERVER, LISTROOMS before LIST). */
export const KEYWORDS = [
  'SERVERREPLY',
  'SERVER',
  'USERNODE',
  'DISCOVER',
  'KNOWNUSERS',
  'KNOWNSERVERS',
  'PREFERRED',
  'JOINCHANNEL',
  'FIND',
  'CREATEROOM',
  'JOINROOM',
  'LEAVEROOM',
  'ULIST',
  'LISTROOMS',
  'LIST',
  'CSEND',
  'EXIT',
  'SETALIAS',
  'ALIAS',
  'REMOVE',
  'SEND',
] as const;

/** Keywords whose next word is an Alias or RoomName: there, `MESSAGE` is a name, not a Message. */
export const NAME_TAKING_KEYWORDS: readonly string[] = [
  'SERVER',
  'USERNODE',
  'DISCOVER',
  'FIND',
  'REMOVE',
  'SEND',
  'CREATEROOM',
  'JOINROOM',
  'LEAVEROOM',
  'ULIST',
];

/** Every token type by name, in Chevrotain's lexing order. A token's id is its index here. */
export const TOKEN_NAMES = [
  'WhiteSpace',
  'MessageToken',
  'Ok',
  'Err',
  'Dot',
  ...KEYWORDS,
  'Digits',
  'Word',
] as const;
export type TokenName = (typeof TOKEN_NAMES)[number];

const id = (name: TokenName): number => TOKEN_NAMES.indexOf(name);
export const MESSAGE_ID = id('MessageToken');
export const OK_ID = id('Ok');
export const ERR_ID = id('Err');
export const DOT_ID = id('Dot');
export const DIGITS_ID = id('Digits');
export const WORD_ID = id('Word');
/** The end of the input, after the last token (Chevrotain's EOF). */
export const EOF_ID: number = TOKEN_NAMES.length;
/** A character no token starts with. */
export const UNEXPECTED_ID: number = TOKEN_NAMES.length + 1;

/** The text of every token that is always the same text: the keywords, `+OK` and `-ERR`. */
export const FIXED_TEXT: readonly (string | undefined)[] = TOKEN_NAMES.map((name) =>
  name === 'Ok'
    ? '+OK'
    : name === 'Err'
      ? '-ERR'
      : (KEYWORDS as readonly string[]).includes(name)
        ? name
        : undefined,
);

/** Keyword text to token id. */
export const KEYWORD_IDS: ReadonlyMap<string, number> = new Map(KEYWORDS.map((k) => [k, id(k)]));

/** 1 at the id of each name-taking keyword. */
export const NAME_TAKING = new Uint8Array(UNEXPECTED_ID + 1);
for (const keyword of NAME_TAKING_KEYWORDS) NAME_TAKING[id(keyword as TokenName)] = 1;

/**
 * True when the next word fills an Alias/RoomName slot, given `run`, the number of name-taking
 * keywords that end the tokens so far. A name-taking keyword opens a slot only when it is itself
 * in keyword position, i.e. not in a slot: in `FIND SEND MESSAGE x<NUL>` the word SEND is the
 * alias being found, so the MESSAGE after it is a Message. Keyword and name alternate along such
 * a run, so the word after it is in a slot exactly when the run is odd.
 */
export function nextWordIsName(run: number): boolean {
  return run % 2 === 1;
}

export const MESSAGE_WORD = 'MESSAGE';
