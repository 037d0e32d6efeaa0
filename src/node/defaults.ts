/**
 * Options stated once. A node's defaults are one object, each entry with the doc comment that
 * says what the option is; the options a caller may give and the options resolved are types
 * derived from it, and one function fills in what the caller left out. Used by the server's and
 * the user node's options alike.
 */

/** The defaults' types, widened from their literal values (`5000` -> `number`); doc comments carry over. */
export type Widened<D> = {
  -readonly [K in keyof D]: D[K] extends number
    ? number
    : D[K] extends string
      ? string
      : D[K] extends boolean
        ? boolean
        : D[K];
};

/** What a caller may give for the defaults `D`: any of them, or none. */
export type Optional<D> = Partial<Widened<D>>;

/** `defaults` with every option the caller gave (not undefined) in place of its default. */
export function withDefaults<D extends object>(defaults: D, options: Optional<D>): Widened<D> {
  const resolved = { ...defaults } as Record<string, unknown>;
  for (const key of Object.keys(defaults)) {
    const given = (options as Record<string, unknown>)[key];
    if (given !== undefined) resolved[key] = given;
  }
  return resolved as Widened<D>;
}
