#!/usr/bin/env node
// Runs the bundled program (dist/bundle/main.cjs, one CommonJS file: see scripts/bundle.js) with
// a V8 code cache beside it, so the code every command needs is not compiled again on each
// start; Node 20 has no compile cache of its own. V8 checks only the length of the source a
// cache was made from, so the cache starts with the SHA-1 of the bundle it belongs to: a cache
// of another bundle is never used. A cache that is missing, stale or refused (another Node
// version) is written again after the command when the folder is writable. Should the cached
// path fail for any other reason, the bundle is simply required.
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

const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const cacheFile = `${bundle}.v8cache`;
const hashBytes = 20;

function readSource() {
  try {
    return readFileSync(bundle, 'utf8');
  } catch {
    process.stderr.write(
      `crmctl is not built: run \`npm run build\` in ${join(__dirname, '..')}\n`,
    );
    process.exit(70);
  }
}

function readCache(hash) {
  try {
    const file = readFileSync(cacheFile);
    return file.subarray(0, hashBytes).equals(hash) ? file.subarray(hashBytes) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(script, hash) {
  const temporary = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    accessSync(dirname(cacheFile), constants.W_OK); // before the costly part
    writeFileSync(temporary, Buffer.concat([hash, script.createCachedData()]));
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** Compiles and runs the bundle's top level through the cache; its exports, or undefined. */
function loadCached(source, cachedData) {
  try {
    const { Script } = require('node:vm');
    const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
    const program = new Module(bundle, module);
    program.filename = bundle;
    script
      .runInThisContext()
      .call(
        program.exports,
        program.exports,
        Module.createRequire(bundle),
        program,
        bundle,
        dirname(bundle),
      );
    return { exports: program.exports, script };
  } catch {
    return undefined;
  }
}

const source = readSource();
const hash = require('node:crypto').createHash('sha1').update(source).digest();
const cachedData = readCache(hash);
const cached = loadCached(source, cachedData);
const program = cached ? cached.exports : require(bundle);
const finished = program.main();
if (cached && (cachedData === undefined || cached.script.cachedDataRejected)) {
  finished.finally(() => writeCache(cached.script, hash));
}
