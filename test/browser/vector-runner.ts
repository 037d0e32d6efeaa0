/**
 * Runs in Chromium (bundled by test/browser/vectors.test.ts): the checks of test/vectors.test.ts
 * through the codec's browser entry, each outcome returned as plain data for the test to compare
 * with the vector in Node.
 */
import { type Packet, ProtocolError, parse, serialize } from '../../src/browser.ts';

interface Vector {
  input?: string;
  inputHex?: string;
  valid: boolean;
  packet?: Packet;
}

type Outcome =
  | { packet: Packet }
  | { error: { code: string; offset: number; line: number; column: number } }
  | { thrown: string };

function outcome(input: string | Uint8Array): Outcome {
  try {
    return { packet: parse(input) };
  } catch (error) {
    if (!(error instanceof ProtocolError)) return { thrown: String(error) };
    const { code, offset, line, column } = error;
    return { error: { code, offset, line, column } };
  }
}

function bytesOf(vector: Vector): Uint8Array {
  if (vector.input !== undefined) return new TextEncoder().encode(vector.input);
  const hex = vector.inputHex ?? '';
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
}

function generate(packet: Packet): { text: string } | { thrown: string } {
  try {
    return { text: serialize(packet) };
  } catch (error) {
    return { thrown: String(error) };
  }
}

export interface VectorOutcomes {
  parse?: Outcome;
  bytes: Outcome;
  generate?: { text: string } | { thrown: string };
  mirror?: Outcome;
}

function run(vectors: Vector[]): VectorOutcomes[] {
  return vectors.map((vector) => {
    const generated = vector.packet === undefined ? undefined : generate(vector.packet);
    return {
      ...(vector.input === undefined ? {} : { parse: outcome(vector.input) }),
      bytes: outcome(bytesOf(vector)),
      ...(generated === undefined ? {} : { generate: generated }),
      ...(generated !== undefined && 'text' in generated ? { mirror: outcome(generated.text) } : {}),
    };
  });
}

(globalThis as { runVectors?: typeof run }).runVectors = run;
