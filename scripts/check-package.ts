// Checks the package as users receive it: the packed tarball, not the working tree.
//
//   1. `npm pack` in a copy of the repository that has no dist/ (the files git tracks or would
//      track, as a clone has them, with this checkout's node_modules linked in): its `prepare`
//      script builds dist/, so a pack, a publish, a git dependency and an install from a clone's
//      folder all carry it. Only bin/, dist/, README.md, LICENSE and package.json are shipped.
//   2. publint --strict and "Are the Types Wrong?" on that tarball.
//   3. The tarball installed into a fresh project, then imported as ESM and required as CJS through each
//      export subpath on Node 24 (this process) and Node 22 (the `node22` dev dependency), with a
//      parse/serialize round trip, and the `chat-proto` bin npm linked run once.
//   4. The README's TypeScript blocks run in that project against the installed package, each
//      printing what its `console.log(...); // text` lines promise.
//
// Run with `npm run check:package`.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

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

  // A clone's files: what git tracks, and what it would (new files not ignored); never dist/.
  const clone = join(work, 'clone');
  step('a copy of the repository as a clone has it, without dist/', () => {
    const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root)
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(root, file)));
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(root, file), join(clone, file));
    }
    if (existsSync(join(clone, 'dist'))) throw new Error('the copy has a dist/ folder');
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
    return `${files.length} files`;
  });

  step('npm pack there builds dist/ and ships only bin/, dist/, README.md, LICENSE, package.json', () => {
    const output = run('npm', ['pack', '--json', '--pack-destination', work], clone);
    // npm prints the prepare script's output before the JSON.
    const [packed] = JSON.parse(output.slice(output.lastIndexOf('\n[\n') + 1)) as {
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

  // The README's code, as a reader of it would run it after `npm install @chat/proto`.
  const readme = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < readme.length; i++) {
    if (readme[i] !== '```ts') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < readme.length && readme[i] !== '```'; i++) body.push(readme[i] as string);
    blocks.push({ line: start, code: body.join('\n') });
  }
  if (blocks.length === 0) throw new Error('README.md has no ```ts block');
  for (const { line, code } of blocks) {
    step(`README.md:${line} runs against the installed package`, () => {
      const file = `readme-${line}.mts`;
      writeFileSync(join(consumer, file), `${code}\nexport {};\n`);
      const printed = run(process.execPath, [file], consumer);
      const promised = code
        .split('\n')
        .flatMap((l) => /console\.log\(.*\);?\s*\/\/\s*(.+)$/.exec(l)?.[1]?.trim() ?? []);
      for (const text of promised) {
        if (!printed.includes(text))
          throw new Error(`README.md:${line} did not print "${text}":\n${printed}`);
      }
      return `${promised.length} promised lines printed`;
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
