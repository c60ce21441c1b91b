#!/usr/bin/env node
// Bundles the compiled modules (dist/, from `tsc -p tsconfig.build.json`) into dist/modguard.cjs,
// the one file bin/modguard.js runs commands from, with the code V8 compiled of it in an earlier run
// (src/code-cache.ts). CommonJS, because node keeps compiled code only for scripts. Not in it: the
// review screen (review-run and what it imports: Ink, React, which are ES modules with top-level
// await), run from the compiled modules; and zod, which modguard loads from node_modules itself
// when a configuration has rule options.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

const outfile = path.join(dist, 'modguard.cjs');
const result = await build({
  entryPoints: [path.join(dist, 'src/bundle.js')],
  outfile,
  // The modules it is made of, listed beside it: the command runs the bundle only while none of
  // them is newer (src/code-cache.ts isCurrent).
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ASCII only (the default): the loader reads it as a one-byte string.
  charset: 'ascii',
  logLevel: 'warning',
  // import.meta.url names a module's own file: module-files.js finds its worker beside it, and
  // zod.js resolves zod from it. In the bundle both stand for the compiled module-files.js.
  define: { 'import.meta.url': '__modguardModuleUrl' },
  banner: { js: 'var __modguardModuleUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "src/io/module-files.js")).href;' },
  plugins: [{
    name: 'review-screen-outside',
    setup(b) {
      // Left as an import of the compiled module, beside the bundle.
      b.onResolve({ filter: /(^|\/)review-run\.js$/ }, () => ({ path: './src/commands/review-run.js', external: true }));
    },
  }],
});

const inputs = Object.keys(result.metafile.inputs)
  .map((f) => path.relative(dist, path.resolve(root, f)).split(path.sep).join('/'))
  .filter((f) => !f.startsWith('..'))
  .sort();
writeFileSync(`${outfile}.json`, `${JSON.stringify({ inputs })}\n`);
