/** Colours of the chat screen: one per nick, and one each for status, errors and timestamps. */
import { styleText } from 'node:util';

type Format = Extract<Parameters<typeof styleText>[0], string>;

/** Colours a nick may get; the same nick always gets the same one. */
const NICK_COLOURS: Format[] = [
  'cyan',
  'magenta',
  'yellow',
  'green',
  'blue',
  'red',
  'cyanBright',
  'magentaBright',
];

export interface Style {
  nick(alias: string, own?: boolean): string;
  status(text: string): string;
  error(text: string): string;
  time(text: string): string;
  room(text: string): string;
}

/** `colour` false: plain text (not a terminal, or NO_COLOR set). */
export function chatStyle(colour: boolean): Style {
  // The caller has decided; styleText's own check looks at process.stdout, which may not be ours.
  const paint = (format: Format | Format[], text: string) =>
    colour ? styleText(format, text, { validateStream: false }) : text;
  return {
    nick: (alias, own = false) => paint(own ? ['bold', nickColour(alias)] : nickColour(alias), alias),
    status: (text) => paint('gray', text),
    error: (text) => paint('red', text),
    time: (text) => paint('dim', text),
    room: (text) => paint('bold', text),
  };
}

function nickColour(alias: string): Format {
  let hash = 0;
  for (const c of alias) hash = (hash * 31 + (c.codePointAt(0) as number)) >>> 0;
  return NICK_COLOURS[hash % NICK_COLOURS.length] as Format;
}
