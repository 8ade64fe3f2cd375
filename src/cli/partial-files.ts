import { rmSync } from 'node:fs';

/**
 * Output files still being written (temporary names, renamed into place when whole). A signal
 * or a failure removes them, so no half-written file is ever left behind.
 */
const partialFiles = new Set<string>();

export function trackPartialFile(path: string): void {
  partialFiles.add(path);
}

export function untrackPartialFile(path: string): void {
  partialFiles.delete(path);
}

export function removePartialFiles(): void {
  for (const path of partialFiles) rmSync(path, { force: true });
  partialFiles.clear();
}
