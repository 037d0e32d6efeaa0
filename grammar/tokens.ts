/**
 * Token vocabulary for Section IV of the protocol.
 *
 * Every word is lexed as a `Word`; keywords and all-digit words are token types in the `Word`
 * category, so any of them still fits an Alias or RoomName slot (`USERNODE FIND ... FIND SERVER`).
 * The grammar's position decides what a word means, never the lexer alone.
 */
import { createToken, type IToken, Lexer, type TokenType } from 'chevrotain';

/** Separators: space, tab, CR, LF. Required between tokens; see `checkSeparators` in lexer.ts. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** `[A-Za-z0-9]+`: an Alias or RoomName, and the category of every keyword and number. */
export const Word = createToken({ name: 'Word', pattern: /[A-Za-z0-9]+/ });

/** All-digit word: what Byte and Port consume. Still a Word, so `5001` is a valid alias. */
export const Digits = createToken({
  name: 'Digits',
  pattern: /[0-9]+/,
  categories: [Word],
  longer_alt: Word,
});

export const Dot = createToken({ name: 'Dot', label: '"."', pattern: /\./ });
export const Ok = createToken({ name: 'Ok', label: '+OK', pattern: /\+OK/ });
export const Err = createToken({ name: 'Err', label: '-ERR', pattern: /-ERR/ });

function keyword(word: string): TokenType {
  return createToken({
    name: word,
    label: word,
    pattern: new RegExp(word),
    categories: [Word],
    // `FINDER` and `SERVER2` are aliases, not a keyword followed by more letters.
    longer_alt: Word,
  });
}

// A longer keyword must come before its prefix (SERVERREPLY before SERVER, LISTROOMS before LIST).
export const SERVERREPLY = keyword('SERVERREPLY');
export const SERVER = keyword('SERVER');
export const USERNODE = keyword('USERNODE');
export const DISCOVER = keyword('DISCOVER');
export const KNOWNUSERS = keyword('KNOWNUSERS');
export const KNOWNSERVERS = keyword('KNOWNSERVERS');
export const PREFERRED = keyword('PREFERRED');
export const JOINCHANNEL = keyword('JOINCHANNEL');
export const FIND = keyword('FIND');
export const CREATEROOM = keyword('CREATEROOM');
export const JOINROOM = keyword('JOINROOM');
export const LEAVEROOM = keyword('LEAVEROOM');
export const ULIST = keyword('ULIST');
export const LISTROOMS = keyword('LISTROOMS');
export const LIST = keyword('LIST');
export const CSEND = keyword('CSEND');
export const EXIT = keyword('EXIT');
export const ALIAS = keyword('ALIAS');
export const REMOVE = keyword('REMOVE');
export const SETALIAS = keyword('SETALIAS');
export const SEND = keyword('SEND');

/** Keywords whose next word is an Alias or RoomName: there, `MESSAGE` is a name, not a Message. */
const NAME_TAKING: ReadonlySet<TokenType> = new Set([
  SERVER,
  USERNODE,
  DISCOVER,
  FIND,
  REMOVE,
  SEND,
  CREATEROOM,
  JOINROOM,
  LEAVEROOM,
  ULIST,
]);

/**
 * True when the next word fills an Alias/RoomName slot. A name-taking keyword opens a slot only
 * when it is itself in keyword position, i.e. not in a slot: in `FIND SEND MESSAGE x<NUL>` the
 * word SEND is the alias being found, so the MESSAGE after it is a Message. Walking back over the
 * run of name-taking words, the word after the run is in a slot exactly when the run is odd.
 */
export function nextWordIsName(tokens: readonly IToken[]): boolean {
  let run = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const type = (tokens[i] as IToken).tokenType;
    if (!NAME_TAKING.has(type)) break;
    run++;
  }
  return run % 2 === 1;
}

const MESSAGE_WORD = 'MESSAGE';

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * `MESSAGE [^\0]*\0` as one token: the word MESSAGE, one optional separating space, then every
 * character up to and including the next NUL. Without a NUL the token runs to the end of the input
 * so the missing terminator is reported where it is missing.
 */
function matchMessage(text: string, offset: number, tokens: IToken[]): [string] | null {
  if (!text.startsWith(MESSAGE_WORD, offset)) return null;
  const after = text.charCodeAt(offset + MESSAGE_WORD.length);
  // A letter or digit makes it another word (MESSAGEhi). Any other character, or the end of the
  // input, is taken into the token so values.ts can say precisely what is wrong with it.
  if (isWordChar(after)) return null;
  if (nextWordIsName(tokens)) return null;
  const nul = text.indexOf('\0', offset + MESSAGE_WORD.length);
  return [text.slice(offset, nul === -1 ? text.length : nul + 1)];
}

export const Message = createToken({
  // Named apart from the Message rule (Chevrotain requires it); the label is Section IV's pattern.
  name: 'MessageToken',
  label: 'MESSAGE [^\\0]*[\\0]',
  pattern: { exec: matchMessage },
  start_chars_hint: ['M'],
  line_breaks: true,
});

/** Lexing order: the Message matcher gets the first try at `M`, keywords before Word. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Message,
  Ok,
  Err,
  Dot,
  SERVERREPLY,
  SERVER,
  USERNODE,
  DISCOVER,
  KNOWNUSERS,
  KNOWNSERVERS,
  PREFERRED,
  JOINCHANNEL,
  FIND,
  CREATEROOM,
  JOINROOM,
  LEAVEROOM,
  ULIST,
  LISTROOMS,
  LIST,
  CSEND,
  EXIT,
  SETALIAS,
  ALIAS,
  REMOVE,
  SEND,
  Digits,
  Word,
];
