import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** A command registrar stays small: past this, it is split into one file per verb (issue 8 §6). */
const maxLines = 200;

/** `src/**\/commands.ts` and every file below a `commands/` folder. */
function registrarFiles(dir = join(root, 'src'), inCommands = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return registrarFiles(path, inCommands || entry.name === 'commands');
    const wanted = entry.name.endsWith('.ts') && (inCommands || entry.name === 'commands.ts');
    return wanted ? [relative(root, path).split(sep).join('/')] : [];
  });
}

function lineCount(file: string): number {
  return readFileSync(join(root, file), 'utf8').split('\n').length - 1;
}

describe('command registrars', () => {
  const files = registrarFiles();

  it('are found: nouns’ registrars and their verbs', () => {
    expect(files).toContain('src/items/commands.ts');
    expect(files).toContain('src/items/commands/move.ts');
    expect(files).toContain('src/pipelines/commands/stage/remove.ts');
  });

  it(`stay within ${maxLines} lines`, () => {
    const tooLong = files
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > maxLines);
    expect(tooLong).toEqual([]);
  });
});
