/**
 * The chat screen: lines printed above the line being typed, each with an `[hh:mm]` timestamp.
 * On a terminal, a line printed while the user types first clears every row the prompt (the
 * status line and the prompt proper) and the half-typed line occupy (it may wrap past the
 * terminal's width), then redraws them below it. Switching windows redraws the screen with the
 * window's lines (`show`).
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
    // Ctrl-D closes readline itself; a closed interface must not be asked to draw a prompt
    // (it throws), and what follows is the goodbye.
    rl.once('close', () => {
      this.#prompting = false;
    });
  }

  /** Whether this is a terminal (else lines are just written, and there is no prompt). */
  get terminal(): boolean {
    return this.#terminal;
  }

  /** `[hh:mm] text`, stamped now. */
  stamp(text: string): string {
    return `${this.style.time(`[${clock()}]`)} ${text}`;
  }

  /** A chat line: `[hh:mm] text`. */
  line(text: string): void {
    this.#write(this.stamp(text));
  }

  /** Something the client reports: `[hh:mm] -!- text`. */
  status(text: string): void {
    this.line(`${this.style.status('-!-')} ${text}`);
  }

  /** Something that went wrong, in one line. */
  error(text: string): void {
    this.line(`${this.style.error('-!-')} ${this.style.error(text)}`);
  }

  /** Lines as they are (the help text, lines stamped already), without timestamps. */
  raw(text: string): void {
    this.#write(text);
  }

  /**
   * A terminal's screen cleared and filled with `lines` (the latest that fit above the prompt),
   * the half-typed line kept: what switching windows shows.
   */
  show(lines: readonly string[]): void {
    if (!this.#terminal || !this.#prompting) return;
    const fit = Math.max(0, this.#rows() - rowsOf(stripVTControlCharacters(this.#rl.getPrompt()), 1e9) - 1);
    cursorTo(this.#output, 0, 0);
    clearScreenDown(this.#output);
    for (const line of lines.slice(-fit)) this.#output.write(`${line}\n`);
    this.#output.write('\n'.repeat(redrawRows(this.#rl)));
    this.#rl.prompt(true);
  }

  /** The prompt (its first rows are the status line); redrawn only when it changed. */
  setPrompt(prompt: string): void {
    if (prompt === this.#rl.getPrompt()) return;
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

  #rows(): number {
    const rows = (this.#output as { rows?: number }).rows;
    return rows && rows > 0 ? rows : 24;
  }
}

/** The rows readline will move up before its next redraw: an undocumented field, 0 if absent. */
function redrawRows(rl: Interface): number {
  const rows = (rl as unknown as { prevRows?: unknown }).prevRows;
  return typeof rows === 'number' && rows > 0 ? rows : 0;
}

/** Terminal rows `text` takes when written from column 0 (one character per column). */
function rowsOf(text: string, columns: number): number {
  return text.split('\n').reduce((rows, row) => rows + Math.max(1, Math.ceil([...row].length / columns)), 0);
}

function clock(): string {
  const now = new Date();
  return `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
}
