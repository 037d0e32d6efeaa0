/** grammar/chevrotain.ts for a bundler: Chevrotain imported statically (bench/lib/bundle-size.ts). */
import * as Chevrotain from 'chevrotain';

export function chevrotain(): typeof Chevrotain {
  return Chevrotain;
}
