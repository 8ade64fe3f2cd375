import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir } from './support.js';

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
         const script = new Script(wrap(readFileSync(file, 'utf8')), {
           filename: file,
           cachedData: readFileSync(file + '.v8cache'),
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
