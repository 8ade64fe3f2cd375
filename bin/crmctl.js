#!/usr/bin/env node
// Runs the bundled program (dist/bundle/main.cjs, one CommonJS file: see scripts/bundle.js) with
// a V8 code cache beside it, so the code every command needs is not compiled again on each
// start; Node 20 has no compile cache of its own. A cache that is missing, or refused (another
// Node version), is written again after the command when the folder is writable.
const {
  accessSync,
  constants,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const cacheFile = `${bundle}.v8cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(script) {
  const temporary = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    accessSync(dirname(cacheFile), constants.W_OK); // before the costly part
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}

const cachedData = readCache();
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), {
  filename: bundle,
  cachedData,
});
const program = new Module(bundle, module);
program.filename = bundle;
const compiled = script.runInThisContext();
compiled.call(
  program.exports,
  program.exports,
  Module.createRequire(bundle),
  program,
  bundle,
  dirname(bundle),
);
const finished = program.exports.main();
if (cachedData === undefined || script.cachedDataRejected) {
  finished.finally(() => writeCache(script));
}
