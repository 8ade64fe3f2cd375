#!/usr/bin/env node
// Runs the bundled program (dist/bundle/main.cjs, one CommonJS file: see scripts/bundle.js) with
// a V8 code cache beside it, so the code every command needs is not compiled again on each
// start; Node 20 has no compile cache of its own. V8 checks only the length of the source a
// cache was made from, so the cache starts with the SHA-1 of the bundle it belongs to, then the
// bundle's stamp (size, modification time in ns, inode). A matching stamp is trusted: hashing
// 900 KB took 2.3 ms of every start. Otherwise (a copied or installed build, an edited bundle)
// the SHA-1 decides: a cache of another bundle is never used. A cache that is missing, stale,
// refused (another Node version) or stamped for another file is written again after the command
// when the folder is writable. Should the cached path fail for any other reason, the bundle is
// simply required.
const {
  accessSync,
  constants,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const cacheFile = `${bundle}.v8cache`;

const hashBytes = 20;

/** The bundle and its stamp, stamped first: a bundle changed meanwhile leaves a stale stamp. */
function readSource() {
  try {
    const stamp = stampOf();
    return { stamp, source: readFileSync(bundle, 'utf8') };
  } catch {
    process.stderr.write(
      `crmctl is not built: run \`npm run build\` in ${join(__dirname, '..')}\n`,
    );
    process.exit(70);
  }
}

/** The bundle's stamp, one line. */
function stampOf() {
  const { size, mtimeNs, ino } = statSync(bundle, { bigint: true });
  return Buffer.from(`${size}:${mtimeNs}:${ino}\n`);
}

function sha1Of(source) {
  return require('node:crypto').createHash('sha1').update(source).digest();
}

/** The cached code for this bundle, and whether its header must be written again. */
function readCache(source, stamp) {
  try {
    const file = readFileSync(cacheFile);
    const end = file.indexOf(10, hashBytes) + 1;
    const data = file.subarray(end);
    if (end > 0 && file.subarray(hashBytes, end).equals(stamp)) return { data, restamp: false };
    const belongs = file.subarray(0, hashBytes).equals(sha1Of(source));
    return belongs ? { data, restamp: true } : { data: undefined, restamp: true };
  } catch {
    return { data: undefined, restamp: true };
  }
}

function writeCache(script, source, stamp) {
  const temporary = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    accessSync(dirname(cacheFile), constants.W_OK); // before the costly part
    writeFileSync(temporary, Buffer.concat([sha1Of(source), stamp, script.createCachedData()]));
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

const { source, stamp } = readSource();
const cache = readCache(source, stamp);
const cached = loadCached(source, cache.data);
const program = cached ? cached.exports : require(bundle);
const finished = program.main();
if (cached && (cache.restamp || cached.script.cachedDataRejected)) {
  finished.finally(() => writeCache(cached.script, source, stamp));
}
