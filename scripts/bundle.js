// Bundles the compiled program (dist/) into a few files under dist/bundle/: one ESM module for
// start-up plus a chunk per lazily loaded command. Node then resolves and compiles a handful of
// files instead of dozens, which is most of crmctl's start-up cost (see DESIGN §10).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundlePhoneLibrary } from './bundle-phone-library.js';

// Chunk names change with their content: start from an empty folder so none go stale.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Native or heavy packages stay in node_modules and load only when a command needs them.
  external: [
    'better-sqlite3',
    'libphonenumber-js',
    'chalk',
    'cli-table3',
    'cli-progress',
    'csv-parse',
    '@inquirer/prompts',
    '@bomb.sh/tab',
    '../../package.json',
  ],
  // commander is CommonJS: give the bundle a `require` for its node: built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
});

await bundlePhoneLibrary();
