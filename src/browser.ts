/**
 * @chat/proto for browsers (the `browser` export condition): the same API as the main entry. A
 * browser cannot load Chevrotain synchronously on the first error as Node.js does, so this entry
 * imports it up front (it words the errors) and hands it to the grammar.
 * @packageDocumentation
 */
import * as Chevrotain from 'chevrotain';
import { provideChevrotain } from '../grammar/chevrotain.ts';

provideChevrotain(Chevrotain);

export * from './index.ts';
