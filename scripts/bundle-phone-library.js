// Bundles src/contact-details/phone-library.ts into dist/vendor/phone-library.cjs (see there why).
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

export const phoneLibraryPath = 'dist/vendor/phone-library.cjs';

export async function bundlePhoneLibrary() {
  await build({
    entryPoints: ['src/contact-details/phone-library.ts'],
    outfile: phoneLibraryPath,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
    // Left as a require(): Node reads JSON with JSON.parse.
    external: ['libphonenumber-js/metadata.max.json'],
  });
}

/** Vitest's global setup: tests run from source, and src/contact-details/phone.ts needs the bundle. */
export async function setup() {
  if (!existsSync(phoneLibraryPath)) await bundlePhoneLibrary();
}

if (import.meta.url === `file://${process.argv[1]}`) await bundlePhoneLibrary();
