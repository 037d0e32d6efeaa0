/**
 * The chat screen: lines printed above the line being typed, each with an `[hh:mm]` timestamp.
 * On a terminal, a line printed while the user types first clears every row the prompt and the
 * half-typed line occupy (it may wrap past the terminal's width), then redraws them below it.
 */
import { clearScreenDown, cursorTo, type Interface, moveCursor } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import type { Style } from './style.ts';

export class Screen {
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream & { columns?: number };
  readonly #terminal: boolean;
  readonly style: Style;
  /** False once the prompt is gone for good (quitting): lines are then just written. */
  #prompting = true;

  constructor(rl: Interface, output: NodeJS.WritableStream, terminal: boolean, style: Style) {
    this.#rl = rl;
    this.#output = output;
    this.#terminal = terminal;
    this.style = style;
  }

  /** A chat line: `[hh:mm] text`. */
  line(text: string): void {
    this.#write(`${this.style.time(`[${clock()}]`)} ${text}`);
  }

  /** Something the client reports: `[hh:mm] -!- text`. */
  status(text: string): void {
    this.line(`${this.style.status('-!-')} ${text}`);
  }

  /** Something that went wrong, in one line. */
  error(text: string): void {
    this.line(`${this.style.error('-!-')} ${this.style.error(text)}`);
  }

  /** Lines as they are (the help text), without timestamps. */
  raw(text: string): void {
    this.#write(text);
  }

  setPrompt(prompt: string): void {
    this.#rl.setPrompt(prompt);
    if (this.#prompting && this.#terminal) this.#redrawPrompt();
  }

  prompt(): void {
    if (this.#prompting && this.#terminal) this.#rl.prompt(true);
  }

  /** The prompt goes away for good: what follows is the goodbye. */
  endPrompt(): void {
    if (!this.#prompting) return;
    this.#prompting = false;
    if (this.#terminal) this.#clearInput();
  }

  /**
   * The line just entered stays on screen after Enter, as the prompt and the text; it is erased,
   * since what it did is printed as a chat line (`<ann> hello`) or a status line.
   */
  eraseEntered(line: string): void {
    if (!this.#terminal || !this.#prompting) return;
    const rows = rowsOf(stripVTControlCharacters(this.#rl.getPrompt()) + line, this.#columns());
    moveCursor(this.#output, 0, -rows);
    cursorTo(this.#output, 0);
    clearScreenDown(this.#output);
  }

  #write(text: string): void {
    if (!this.#terminal || !this.#prompting) {
      this.#output.write(`${text}\n`);
      return;
    }
    this.#clearInput();
    this.#output.write(`${text}\n`);
    // readline redraws by first moving up the rows it believes the cursor is below the prompt
    // (its `prevRows`, which lags behind when typing wrapped without a redraw). Blank rows for it
    // to move up over keep that from landing on the line just printed and overwriting it.
    this.#output.write('\n'.repeat(redrawRows(this.#rl)));
    this.#rl.prompt(true);
  }

  #redrawPrompt(): void {
    this.#clearInput();
    this.#output.write('\n'.repeat(redrawRows(this.#rl)));
    this.#rl.prompt(true);
  }

  /** Clears from the first row of the prompt down, wherever in the typed line the cursor is. */
  #clearInput(): void {
    const { rows } = this.#rl.getCursorPos();
    moveCursor(this.#output, 0, -rows);
    cursorTo(this.#output, 0);
    clearScreenDown(this.#output);
  }

  #columns(): number {
    return this.#output.columns && this.#output.columns > 0 ? this.#output.columns : 80;
  }
}

/** The rows readline will move up before its next redraw: an undocumented field, 0 if absent. */
function redrawRows(rl: Interface): number {
  const rows = (rl as unknown as { prevRows?: unknown }).prevRows;
  return typeof rows === 'number' && rows > 0 ? rows : 0;
}

/** Terminal rows `text` takes when written from column 0 (one character per column). */
function rowsOf(text: string, columns: number): number {
  return Math.max(1, Math.ceil([...text].length / columns));
}

function clock(): string {
  const now = new Date();
  return `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
}
