// Bundles src/contact-details/phone-library.ts into dist/vendor/phone-library.cjs (see there why).
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  });
  // Read by path beside the bundle (see phone-library.ts).
  copyFileSync(
    createRequire(import.meta.url).resolve('libphonenumber-js/metadata.max.json'),
    'dist/vendor/phone-metadata.json',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await bundlePhoneLibrary();
