/** The playground's input syntax (playground/escapes.ts): escapes in, packet text out, and back. */
import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { decodeTyped, encodeTyped } from '../../playground/escapes.ts';

describe('decodeTyped', () => {
  test('named, hex and code point escapes', () => {
    expect(decodeTyped('a\\0b\\tc\\rd\\ne\\\\f\\x1b\\u{1F600}\\u{feff}').text).toBe(
      'a\0b\tc\rd\ne\\f\x1b😀\ufeff',
    );
  });

  test('a backslash before anything else, or an escape out of range, is itself', () => {
    expect(decodeTyped('\\q \\x1 \\u{110000} \\').text).toBe('\\q \\x1 \\u{110000} \\');
  });

  test('each packet offset maps to where its character starts in the typed text', () => {
    const { text, starts } = decodeTyped('ab\\0c\\u{1F600}d');
    expect(text).toBe('ab\0c😀d');
    // a b \0 c (two UTF-16 units of one escape) d, then the end.
    expect(starts).toEqual([0, 1, 2, 4, 5, 5, 14, 15]);
  });
});

describe('encodeTyped', () => {
  test('NUL, TAB, CR, backslash and invisible characters are escaped; LF stays a line break', () => {
    expect(encodeTyped('a\0\t\r\n\\\x7f\ufeff\ud800é')).toBe('a\\0\\t\\r\n\\\\\\x7f\\u{feff}\\u{d800}é');
  });

  // Any UTF-16 code units, lone surrogates included, and the escape syntax's own characters often.
  const unit = fc.oneof(
    fc.nat(0xffff).map((code) => String.fromCharCode(code)),
    fc.constantFrom('\\', '0', 'x', 'u', '{', '}', '\0'),
  );
  property.prop([fc.string({ unit })])('decodeTyped undoes it, whatever the text', (text) => {
    expect(decodeTyped(encodeTyped(text)).text).toBe(text);
  });
});
