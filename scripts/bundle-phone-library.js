// Bundles src/contact-details/phone-library.ts into dist/vendor/phone-library.cjs (see there why).
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

if (import.meta.url === `file://${process.argv[1]}`) await bundlePhoneLibrary();
