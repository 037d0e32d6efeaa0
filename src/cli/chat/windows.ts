/**
 * The client's windows, irssi's way: window 1 is the status window (what the client and the
 * servers report), then one window per room and one per direct conversation, numbered from 2 in
 * the order opened (a closed window's number is taken again by the next). Each window keeps its
 * latest lines, so a line for a window not on screen is not lost: it waits there, the window is
 * listed as active, and switching to it shows it. Pure state; the view draws it.
 */

export type WindowKind = 'status' | 'room' | 'direct';

export interface ChatWindow {
  readonly number: number;
  readonly kind: WindowKind;
  /** The room, the correspondent's alias, or `status`. */
  readonly name: string;
  /** The latest lines, oldest first, at most `KEPT_LINES`. */
  readonly lines: string[];
  /** Lines arrived since the window was last on screen. */
  unseen: boolean;
}

/** Lines a window keeps; older ones are dropped (a person scrolls back in the terminal). */
export const KEPT_LINES = 500;

export class Windows {
  readonly #windows: ChatWindow[];
  #current: ChatWindow;
  /** Windows visited, the latest last: where closing (or /part) returns to. */
  #visited: ChatWindow[] = [];

  constructor() {
    const status: ChatWindow = { number: 1, kind: 'status', name: 'status', lines: [], unseen: false };
    this.#windows = [status];
    this.#current = status;
  }

  get current(): ChatWindow {
    return this.#current;
  }

  get status(): ChatWindow {
    return this.#windows[0] as ChatWindow;
  }

  /** Every open window, by number. */
  get all(): readonly ChatWindow[] {
    return this.#windows;
  }

  find(kind: WindowKind, name: string): ChatWindow | undefined {
    return this.#windows.find((w) => w.kind === kind && w.name === name);
  }

  byNumber(number: number): ChatWindow | undefined {
    return this.#windows.find((w) => w.number === number);
  }

  /** The window of that room or correspondent, opened (not switched to) if there is none. */
  open(kind: Exclude<WindowKind, 'status'>, name: string): ChatWindow {
    const found = this.find(kind, name);
    if (found) return found;
    let number = 2;
    while (this.byNumber(number)) number++;
    const window: ChatWindow = { number, kind, name, lines: [], unseen: false };
    this.#windows.push(window);
    this.#windows.sort((a, b) => a.number - b.number);
    return window;
  }

  /** Makes `window` the one on screen; false when it already was. */
  switchTo(window: ChatWindow): boolean {
    if (window === this.#current) return false;
    this.#visited = this.#visited.filter((w) => w !== this.#current && w !== window);
    this.#visited.push(this.#current);
    this.#current = window;
    window.unseen = false;
    return true;
  }

  /**
   * Closes `window` (never the status window). When it was on screen, the window visited before
   * it comes back (the status window if none is left); returns the window now on screen.
   */
  close(window: ChatWindow): ChatWindow {
    if (window.kind === 'status') throw new Error('the status window cannot be closed');
    const index = this.#windows.indexOf(window);
    if (index < 0) return this.#current;
    this.#windows.splice(index, 1);
    this.#visited = this.#visited.filter((w) => w !== window);
    if (window === this.#current) {
      this.#current = this.#visited.pop() ?? this.status;
      this.#current.unseen = false;
    }
    return this.#current;
  }

  /** Keeps `line` in `window`; a window not on screen becomes active. */
  add(window: ChatWindow, line: string): void {
    window.lines.push(line);
    if (window.lines.length > KEPT_LINES) window.lines.splice(0, window.lines.length - KEPT_LINES);
    if (window !== this.#current) window.unseen = true;
  }

  /** The numbers of windows with lines not yet seen: irssi's `[Act: 2,4]`. */
  activity(): number[] {
    return this.#windows.filter((w) => w.unseen).map((w) => w.number);
  }
}
