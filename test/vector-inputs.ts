/** The conformance vectors in test/vectors/ (format: test/vectors/README.md): their shape, and every text input. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Packet } from '../src/index.ts';

/** Where and how an invalid vector must fail. */
export interface ExpectedError {
  code: string;
  offset: number;
  line: number;
  column: number;
}

/** One vector. */
export interface Vector {
  name: string;
  /** Exactly one of `input` (text) and `inputHex` (bytes that are not UTF-8) is present. */
  input?: string;
  inputHex?: string;
  valid: boolean;
  packet?: Packet;
  canonical?: string;
  error?: ExpectedError;
}

const vectorFolder = join(import.meta.dirname, 'vectors');

/** The text input of every vector, valid or not. */
export function vectorInputs(): string[] {
  const inputs: string[] = [];
  for (const file of readdirSync(vectorFolder).filter((f) => f.endsWith('.json'))) {
    const { vectors } = JSON.parse(readFileSync(join(vectorFolder, file), 'utf8')) as {
      vectors: { input?: string }[];
    };
    for (const { input } of vectors) if (input !== undefined) inputs.push(input);
  }
  return inputs;
}
