/** Datagrams an attacker might send: random bytes, truncated and mutated valid packets, maximal sizes. */
import fc from 'fast-check';
import { canonical, packet } from '../arbitraries.ts';

const encoder = new TextEncoder();
const valid = packet.map((p) => encoder.encode(canonical(p)));

/** `port`: the attacker's own port, for packets that must pass the source check to go deep. */
export function hostileDatagram(port: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 1400 }),
    valid.chain((bytes) => fc.nat(bytes.length).map((n) => bytes.slice(0, n))), // truncated
    valid.chain((bytes) =>
      fc
        .array(fc.tuple(fc.nat(Math.max(0, bytes.length - 1)), fc.integer({ min: 0, max: 255 })), {
          maxLength: 4,
        })
        .map((edits) => {
          const copy = bytes.slice();
          for (const [at, value] of edits) copy[at] = value;
          return copy;
        }),
    ),
    fc.constant(encoder.encode(`USERNODE x 127.0.0.1 ${port} CSEND MESSAGE ${'a'.repeat(1300)}\0`)),
    fc.constant(
      encoder.encode(`SERVER x 127.0.0.1 ${port} KNOWNUSERS ${'USERNODE u 1.2.3.4 1000 '.repeat(55)}`),
    ),
  );
}
