/** The text input of every conformance vector in test/vectors/, valid or not. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const vectorFolder = join(import.meta.dirname, 'vectors');

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
