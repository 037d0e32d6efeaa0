// Checks the package as users receive it: the packed tarball, not the working tree.
//
//   1. `npm pack`: only bin/, dist/, README.md, LICENSE and package.json are shipped.
//   2. publint --strict and "Are the Types Wrong?" on that tarball.
//   3. The tarball installed into a fresh project, then imported as ESM and required as CJS through each
//      export subpath on Node 24 (this process) and Node 22 (the `node22` dev dependency), with a
//      parse/serialize round trip, and the `chat-proto` bin npm linked run once.
//
// Run with `npm run check:package` after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const runtimes: Record<string, string> = {
  'node 24': process.execPath,
  'node 22': join(root, 'node_modules', 'node22', 'bin', 'node'),
};

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
    );
  }
}

function step(title: string, body: () => string | undefined): void {
  const detail = body();
  console.log(`ok  ${title}${detail ? `: ${detail}` : ''}`);
}

const work = mkdtempSync(join(tmpdir(), 'chat-proto-package-'));
try {
  let tarball = '';

  step('npm pack ships only bin/, dist/, README.md, LICENSE, package.json', () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as {
      filename: string;
      files: { path: string }[];
    }[];
    if (!packed) throw new Error('npm pack printed no package');
    tarball = join(work, packed.filename);
    const shipped = packed.files.map((file) => file.path);
    const stray = shipped.filter(
      (path) =>
        !path.startsWith('dist/') &&
        !['bin/chat-proto.js', 'README.md', 'LICENSE', 'package.json'].includes(path),
    );
    if (stray.length > 0) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
    for (const needed of [
      'bin/chat-proto.js',
      'dist/index.js',
      'dist/index.cjs',
      'dist/node/index.js',
      'dist/conformance/index.js',
      'dist/cli/main.js',
      'dist/browser.js',
    ]) {
      if (!shipped.includes(needed)) throw new Error(`the tarball lacks ${needed}`);
    }
    return `${shipped.length} files`;
  });

  step('publint --strict', () => {
    run(bin('publint'), ['run', tarball, '--strict'], root);
    return undefined;
  });

  // The node16 profile checks node16/nodenext and bundler resolution; node10 resolution cannot see
  // the `./node` subpath at all, and the package declares Node >= 22.12.
  step('are the types wrong (node16 profile)', () => {
    run(bin('attw'), [tarball, '--profile', 'node16', '--format', 'table-flipped', '--no-color'], root);
    return undefined;
  });

  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], consumer);

  const packet = 'USERNODE bob 127.0.0.1 5001 SEND alice MESSAGE hi there\0';
  const probe = (load: string) => `
    ${load}
    const packet = codec.parse(${JSON.stringify(packet)});
    if (codec.serialize(packet) !== ${JSON.stringify(packet)}) throw new Error('round trip changed the packet');
    let code;
    try { codec.parse('USERNODE bob 127.0.0.1 70000 LIST'); } catch (error) {
      if (!(error instanceof codec.ProtocolError)) throw error;
      code = error.code;
    }
    if (code !== 'PORT_PATTERN') throw new Error('expected PORT_PATTERN, got ' + code);
    for (const name of ['createServer', 'createUserNode', 'udpTransport', 'MemoryNetwork']) {
      if (typeof network[name] !== 'function') throw new Error('@chat/proto/node lacks ' + name);
    }
    for (const name of ['runConformance', 'serverCases', 'userCases', 'htmlReport']) {
      if (typeof conformance[name] !== 'function') throw new Error('@chat/proto/conformance lacks ' + name);
    }
    if (conformance.serverCases().length === 0) throw new Error('@chat/proto/conformance lists no cases');
    console.log('ok');
  `;
  writeFileSync(
    join(consumer, 'esm.mjs'),
    probe(
      `import * as codec from '@chat/proto'; import * as network from '@chat/proto/node'; import * as conformance from '@chat/proto/conformance';`,
    ),
  );
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    probe(
      `const codec = require('@chat/proto'); const network = require('@chat/proto/node'); const conformance = require('@chat/proto/conformance');`,
    ),
  );

  // What a bundler targeting browsers picks (the `browser` condition): the entry that carries
  // Chevrotain itself, as a browser cannot require it on the first error.
  writeFileSync(
    join(consumer, 'browser.mjs'),
    `if (!import.meta.resolve('@chat/proto').endsWith('/dist/browser.js')) throw new Error('browser condition resolved to ' + import.meta.resolve('@chat/proto'));
    ${probe("import * as codec from '@chat/proto'; import * as network from '@chat/proto/node'; import * as conformance from '@chat/proto/conformance';")}`,
  );
  step('the browser condition loads dist/browser.js', () => {
    const output = run(process.execPath, ['--conditions=browser', 'browser.mjs'], consumer).trim();
    if (output !== 'ok') throw new Error(`unexpected output: ${output}`);
    return undefined;
  });

  for (const [name, node] of Object.entries(runtimes)) {
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      step(`${name} loads the installed package from ${file}`, () => {
        const output = run(node, [file], consumer).trim();
        if (output !== 'ok') throw new Error(`unexpected output: ${output}`);
        return run(node, ['--version'], consumer).trim();
      });
    }
    step(`${name} runs the chat-proto bin`, () => {
      // The link npm made for the package's bin: what `npx chat-proto` runs.
      const cli = join(consumer, 'node_modules', '.bin', 'chat-proto');
      const output = run(node, [cli, 'parse', 'USERNODE bob 127.0.0.1 5001 LIST'], consumer);
      const parsed = JSON.parse(output) as { command?: { verb?: string } };
      if (parsed.command?.verb !== 'LIST') throw new Error(`unexpected output: ${output}`);
      return undefined;
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
