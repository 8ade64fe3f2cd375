import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { distDir, projectRoot } from './support.js';

// bin/crmctl.js runs one CommonJS bundle with a V8 code cache (scripts/bundle.js): start-up is
// part of the product, so the build must leave both in a shape the program really uses.

const bundle = join(distDir, 'bundle', 'main.cjs');

describe('the start-up bundle', () => {
  it('comes with a code cache that a plain node accepts for it', () => {
    // A child process: the test runner's own V8 flags would make V8 refuse any cache.
    const verdict = execFileSync(
      process.execPath,
      [
        '-e',
        `const { readFileSync } = require('node:fs');
         const { wrap } = require('node:module');
         const { Script } = require('node:vm');
         const file = process.argv[1];
         const cache = readFileSync(file + '.v8cache');
         const script = new Script(wrap(readFileSync(file, 'utf8')), {
           filename: file,
           cachedData: cache.subarray(cache.indexOf(10, 20) + 1),
         });
         process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');`,
        bundle,
      ],
      { encoding: 'utf8' },
    );
    expect(verdict).toBe('accepted');
  });

  it('loads packages with require, since a vm.Script has no loader for import()', () => {
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/\bimport\(/);
  });
});

/** A copy of bin/ and dist/bundle/ (node_modules linked), so a test may change the build. */
function copyOfBuild(): { bin: string; bundle: string } {
  const root = tempDir();
  cpSync(join(projectRoot, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(distDir, 'bundle'), join(root, 'dist', 'bundle'), { recursive: true });
  cpSync(join(distDir, 'vendor'), join(root, 'dist', 'vendor'), { recursive: true });
  cpSync(join(projectRoot, 'package.json'), join(root, 'package.json'));
  execFileSync('ln', ['-s', join(projectRoot, 'node_modules'), join(root, 'node_modules')]);
  return { bin: join(root, 'bin', 'crmctl.js'), bundle: join(root, 'dist', 'bundle', 'main.cjs') };
}

/** The stamp bin/crmctl.js keys its code cache by: size, modification time (ns), inode. */
function stampOfFile(file: string): string {
  const { size, mtimeNs, ino } = statSync(file, { bigint: true });
  return `${size}:${mtimeNs}:${ino}\n`;
}

/** The stamp in a cache file's header, after the bundle's SHA-1. */
function stampOfCache(cache: Buffer): string {
  return cache.subarray(20, cache.indexOf(10, 20) + 1).toString();
}

function runBin(bin: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tempDir() },
  });
}

describe('the code cache', () => {
  it('is never used for a bundle it was not made from, even one of the same length', () => {
    const { bin, bundle: copy } = copyOfBuild();
    rmSync(`${copy}.v8cache`);
    // A cache made by --help holds the compiled code that writes the description.
    expect(runBin(bin, ['--help']).stdout).toContain('Admin tool for CRM automation');
    const cache = readFileSync(`${copy}.v8cache`);
    const original = readFileSync(copy, 'utf8');
    expect(cache.subarray(0, 20)).toEqual(createHash('sha1').update(original).digest());
    expect(stampOfCache(cache)).toBe(stampOfFile(copy));
    const changed = original.replace(
      'Admin tool for CRM automation',
      'Admin tool for CRM AUTOMATION',
    );
    expect(changed.length).toBe(original.length);
    writeFileSync(copy, changed);
    expect(stampOfFile(copy)).not.toBe(stampOfCache(cache));
    const help = runBin(bin, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Admin tool for CRM AUTOMATION');
    // …and the cache now belongs to the new bundle.
    const rewritten = readFileSync(`${copy}.v8cache`);
    expect(rewritten.subarray(0, 20)).toEqual(createHash('sha1').update(changed).digest());
    expect(stampOfCache(rewritten)).toBe(stampOfFile(copy));
  });

  it('of a copied build (another file, the same bundle) is used, and stamped for the copy', () => {
    const { bin, bundle: copy } = copyOfBuild();
    const cache = readFileSync(`${copy}.v8cache`);
    expect(stampOfCache(cache)).not.toBe(stampOfFile(copy));
    const version = runBin(bin, ['--version']);
    expect(version.status).toBe(0);
    const restamped = readFileSync(`${copy}.v8cache`);
    expect(stampOfCache(restamped)).toBe(stampOfFile(copy));
    expect(restamped.subarray(0, 20)).toEqual(cache.subarray(0, 20));
  });

  it('is written again when V8 refuses it, and the command still runs', () => {
    const { bin, bundle: copy } = copyOfBuild();
    const hash = createHash('sha1').update(readFileSync(copy, 'utf8')).digest();
    writeFileSync(
      `${copy}.v8cache`,
      Buffer.concat([hash, Buffer.from(`${stampOfFile(copy)}not a code cache`)]),
    );
    const version = runBin(bin, ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(readFileSync(`${copy}.v8cache`).length).toBeGreaterThan(1000);
  });

  it('without a bundle, says in one line to build, not a stack trace', () => {
    const { bin, bundle: copy } = copyOfBuild();
    rmSync(copy);
    const result = runBin(bin, ['item', 'list']);
    expect(result.status).toBe(70);
    expect(result.stderr).toMatch(/^crmctl is not built: run `npm run build` in .+\n$/);
  });
});
