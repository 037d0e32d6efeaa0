#!/usr/bin/env node
// The `chat-proto` command. The published package runs its build (dist/). A clone of the
// repository has src/ and runs it as it is (the Node.js 24 that `npm install` brings runs
// TypeScript), so `npx chat-proto` works there without a build and never runs a stale one.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
await import(existsSync(source) ? source.href : '../dist/cli/main.js');
