// Bundles the compiled program (dist/) into one CommonJS file, dist/bundle/main.cjs, and seeds
// the V8 code cache bin/crmctl.js runs it with. Resolving and compiling dozens of ES modules is
// most of crmctl's start-up cost; one CommonJS file with its code cached is the cheapest shape
// Node 20 offers (DESIGN §10). Its commands stay lazy: their code runs only when they are called.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundlePhoneLibrary } from './bundle-phone-library.js';

/** commander's node:child_process, loaded only if used (see scripts/lazy-child-process.cjs). */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url)) }
        : undefined,
    );
  },
};

// The code cache belongs to one build of the bundle: start from an empty folder.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bundle/main.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Heavy packages stay in node_modules and load only when a command needs them. better-sqlite3's
  // JavaScript is bundled (nearly every command opens the store; its addon loads on first use);
  // `bindings`, its fallback when no addon path is given, is never used (src/store/store.ts).
  external: [
    'bindings',
    'libphonenumber-js',
    'chalk',
    'cli-table3',
    'cli-progress',
    'csv-parse',
    '@inquirer/prompts',
    '../../package.json',
  ],
  plugins: [lazyChildProcessForCommander],
  // The sources are ES modules that find files next to them through import.meta.url.
  define: { 'import.meta.url': '__bundleUrl' },
  // The banner comes before esbuild's own "use strict", so it says it first.
  banner: {
    js: "'use strict';\nconst __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});

// bin/crmctl.js compiles the bundle as a vm.Script, where import() has no loader: packages are
// loaded with require (an ES module too, on Node ≥ 20.19), and our own lazy imports are inlined.
if (/\bimport\(/.test(readFileSync('dist/bundle/main.cjs', 'utf8'))) {
  throw new Error('dist/bundle/main.cjs calls import(): load packages with createRequire instead');
}

await bundlePhoneLibrary();

// The first run writes the code cache: here, rather than in a user's first command.
execFileSync(process.execPath, ['bin/crmctl.js', '--version'], { stdio: 'ignore' });
