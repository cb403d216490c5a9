// Builds the npm package's contents into dist/: ESM (dist/esm) and CommonJS (dist/cjs) JavaScript,
// each with .d.ts files, declaration maps and source maps pointing into src/. Run by `npm pack`
// (prepack) and by npm when installing from a git URL (prepare).
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(new URL('dist', root), { recursive: true, force: true });
for (const config of ['tsconfig.build.json', 'tsconfig.build-cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
}
// Files under dist/cjs are CommonJS although the package is "type": "module".
writeFileSync(new URL('dist/cjs/package.json', root), '{ "type": "commonjs" }\n');
