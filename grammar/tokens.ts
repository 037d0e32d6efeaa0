/**
 * Chevrotain's token types for the vocabulary of vocabulary.ts, made on first use (chevrotain.ts).
 *
 * Every word is lexed as a `Word`; keywords and all-digit words are token types in the `Word`
 * category, so any of them still fits an Alias or RoomName slot (`USERNODE FIND ... FIND SERVER`).
 * The grammar's position decides what a word means, never the lexer alone.
 */
import type { IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.ts';
import {
  KEYWORDS,
  MESSAGE_WORD,
  NAME_TAKING_KEYWORDS,
  nextWordIsName,
  TOKEN_NAMES,
  type TokenName,
} from './vocabulary.ts';

type Keyword = (typeof KEYWORDS)[number];

/** The token types by name, and in lexing order (`all`, indexed by the ids of vocabulary.ts). */
export type Tokens = Record<Exclude<TokenName, 'MessageToken'> | 'Message', TokenType> & {
  all: TokenType[];
};

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** How many name-taking keywords end `tokens` (see `nextWordIsName`). */
function nameTakingRun(tokens: readonly IToken[]): number {
  let run = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (!NAME_TAKING_KEYWORDS.includes((tokens[i] as IToken).tokenType.name)) break;
    run++;
  }
  return run;
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
  if (nextWordIsName(nameTakingRun(tokens))) return null;
  const nul = text.indexOf('\0', offset + MESSAGE_WORD.length);
  return [text.slice(offset, nul === -1 ? text.length : nul + 1)];
}

function defineTokens(): Tokens {
  const { createToken, Lexer } = chevrotain();
  /** Separators: space, tab, CR, LF. Required between tokens; see `checkSeparators` in lexer.ts. */
  const WhiteSpace = createToken({
    name: 'WhiteSpace',
    pattern: /[ \t\r\n]+/,
    group: Lexer.SKIPPED,
    line_breaks: true,
  });
  /** `[A-Za-z0-9]+`: an Alias or RoomName, and the category of every keyword and number. */
  const Word = createToken({ name: 'Word', pattern: /[A-Za-z0-9]+/ });
  /** All-digit word: what Byte and Port consume. Still a Word, so `5001` is a valid alias. */
  const Digits = createToken({ name: 'Digits', pattern: /[0-9]+/, categories: [Word], longer_alt: Word });
  const Dot = createToken({ name: 'Dot', label: '"."', pattern: /\./ });
  const Ok = createToken({ name: 'Ok', label: '+OK', pattern: /\+OK/ });
  const Err = createToken({ name: 'Err', label: '-ERR', pattern: /-ERR/ });
  const Message = createToken({
    // Named apart from the Message rule (Chevrotain requires it); the label is Section IV's pattern.
    name: 'MessageToken',
    label: 'MESSAGE [^\\0]*[\\0]',
    pattern: { exec: matchMessage },
    start_chars_hint: ['M'],
    line_breaks: true,
  });
  const keywords = Object.fromEntries(
    KEYWORDS.map((word) => [
      word,
      createToken({
        name: word,
        label: word,
        pattern: new RegExp(word),
        categories: [Word],
        // `FINDER` and `SERVER2` are aliases, not a keyword followed by more letters.
        longer_alt: Word,
      }),
    ]),
  ) as Record<Keyword, TokenType>;
  const byName: Record<TokenName, TokenType> = {
    WhiteSpace,
    MessageToken: Message,
    Ok,
    Err,
    Dot,
    ...keywords,
    Digits,
    Word,
  };
  // Lexing order: the Message matcher gets the first try at `M`, keywords before Word.
  const all = TOKEN_NAMES.map((name) => byName[name]);
  return { ...keywords, WhiteSpace, Message, Ok, Err, Dot, Digits, Word, all };
}

let defined: Tokens | undefined;

/** The token types; the first call loads Chevrotain and creates them. */
export function tokens(): Tokens {
  defined ??= defineTokens();
  return defined;
}
