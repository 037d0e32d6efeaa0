// `npm prepare` (npm pack and publish, a git dependency, `npm install /path/to/clone`): builds
// dist/. Plain JavaScript, so that on a Node.js too old for TypeScript, or in a clone whose
// devDependencies were never installed, it says what to do in one line instead of a stack trace.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
if (!existsSync(new URL('node_modules/.bin/tsup', root))) {
  console.error(
    `@chat/proto: building dist/ needs the development tools: run npm install in ${root.pathname} first`,
  );
  process.exit(1);
}
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
