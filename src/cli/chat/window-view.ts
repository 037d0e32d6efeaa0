/**
 * The windows on the screen. Every line goes to a window and is kept there; only the window on
 * screen is drawn, and a line for another window makes it active in the status line. On a pipe
 * (no terminal, no switching by key) every line is written as it comes, in the form that says
 * where it belongs (`[lounge] <cat> hi`, `*bob* hi`), so nothing is hidden from a script.
 */
import type { ChatOutput } from './commands.ts';
import type { Screen } from './screen.ts';
import type { Style } from './style.ts';
import type { ChatWindow, Windows } from './windows.ts';

export class WindowView implements ChatOutput {
  readonly #screen: Screen;
  readonly windows: Windows;
  readonly #promptText: () => string;

  /** `promptText`: the status line and the prompt, for the window on screen. */
  constructor(screen: Screen, windows: Windows, promptText: () => string) {
    this.#screen = screen;
    this.windows = windows;
    this.#promptText = promptText;
  }

  get style(): Style {
    return this.#screen.style;
  }

  /** A line in the window on screen (what a command reports). */
  line(text: string): void {
    this.lineIn(this.windows.current, text);
  }

  status(text: string): void {
    this.line(this.#reported(text));
  }

  error(text: string): void {
    this.line(`${this.style.error('-!-')} ${this.style.error(text)}`);
  }

  raw(text: string): void {
    this.windows.add(this.windows.current, text);
    this.#screen.raw(text);
  }

  /** A line for `window`; `elsewhere` is how a pipe shows it while another window is current. */
  lineIn(window: ChatWindow, text: string, elsewhere = text): void {
    const stamped = this.#screen.stamp(text);
    this.windows.add(window, stamped);
    if (window === this.windows.current) this.#screen.raw(stamped);
    else if (!this.#screen.terminal) this.#screen.line(elsewhere);
    else this.refresh(); // the activity list changed
  }

  /** `-!- text` in `window`. */
  statusIn(window: ChatWindow, text: string): void {
    this.lineIn(window, this.#reported(text));
  }

  /** About the server: in the status window, and in the window on screen so it is seen. */
  notice(text: string): void {
    const { current, status } = this.windows;
    if (current !== status) {
      this.windows.add(status, this.#screen.stamp(this.#reported(text)));
      if (this.#screen.terminal) this.refresh();
    }
    this.status(text);
  }

  /** Shows `window`: its kept lines fill the screen. */
  switchTo(window: ChatWindow): void {
    if (!this.windows.switchTo(window)) return;
    this.#showCurrent();
  }

  /** Closes `window`; the one visited before it comes back on screen if it was current. */
  close(window: ChatWindow): void {
    const before = this.windows.current;
    if (this.windows.close(window) !== before) this.#showCurrent();
  }

  /** Redraws the status line and prompt if they changed (lag, state, activity). */
  refresh(): void {
    this.#screen.setPrompt(this.#promptText());
  }

  #showCurrent(): void {
    const window = this.windows.current;
    this.#screen.setPrompt(this.#promptText());
    if (this.#screen.terminal) this.#screen.show(window.lines);
    else this.#screen.status(`window ${window.number}: ${window.name}`);
  }

  #reported(text: string): string {
    return `${this.style.status('-!-')} ${text}`;
  }
}
