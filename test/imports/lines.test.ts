import { setImmediate } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InputLine, maxLineBytes, readLines } from '../../src/imports/lines.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, to tell memory held from memory not yet collected. */
const collectGarbage = runInNewContext('gc') as () => void;

/** Every line readLines yields for these chunks, in order. */
async function linesOf(chunks: (Buffer | string)[]): Promise<InputLine[]> {
  const lines: InputLine[] = [];
  for await (const batch of readLines(
    (async function* () {
      yield* chunks;
    })(),
  )) {
    lines.push(...batch);
  }
  return lines;
}

/** `bytes` cut at the given offsets (sorted, deduplicated, possibly empty pieces). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const at of points) {
    pieces.push(bytes.subarray(from, at));
    from = at;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

const bom = Buffer.from([0xef, 0xbb, 0xbf]);
const text = (s: string) => Buffer.from(s, 'utf8');

/** Pieces of a line: ASCII, multi-byte UTF-8 (2, 3 and 4 bytes), CR, invalid bytes. */
const linePiece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }).map(text) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('é', 'ß', '€', 'אל', 'مرحبا', '😀', '👩‍👩‍👧', '\u{10FFFF}', '\t')
      .map(text),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0x0d])) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.from([0xff]),
      Buffer.from([0xc3]), // a lead byte without its continuation
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
      Buffer.from([0x00]),
    ),
  },
);
const line = fc.array(linePiece, { maxLength: 6 }).map((pieces) => Buffer.concat(pieces));
const ending = fc.constantFrom('\n', '\r\n');

/** A whole input: optional BOM, lines with LF or CRLF, maybe no final newline. */
const input = fc
  .record({
    bom: fc.boolean(),
    lines: fc.array(fc.tuple(line, ending), { maxLength: 12 }),
    finalNewline: fc.boolean(),
  })
  .map(({ bom: withBom, lines, finalNewline }) => {
    const parts: Buffer[] = withBom ? [bom] : [];
    lines.forEach(([body, end], i) => {
      parts.push(body);
      if (i < lines.length - 1 || finalNewline) parts.push(text(end));
    });
    return Buffer.concat(parts);
  });

describe('readLines', () => {
  it('splits LF and CRLF lines, numbers them from 1, and drops a leading BOM', async () => {
    const lines = await linesOf([text('\uFEFFa;b\r\n\nc\n\r\nlast')]);
    expect(lines).toEqual([
      { number: 1, text: 'a;b' },
      { number: 2, text: '' },
      { number: 3, text: 'c' },
      { number: 4, text: '' },
      { number: 5, text: 'last' },
    ]);
  });

  it('keeps a BOM that is not at the very start, and only one CR per line ending', async () => {
    expect(await linesOf([text('a\n\uFEFFb\r\r\n')])).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: '\uFEFFb\r' },
    ]);
  });

  it('yields nothing for empty input or a file holding only a BOM', async () => {
    expect(await linesOf([])).toEqual([]);
    expect(await linesOf([Buffer.alloc(0)])).toEqual([]);
    expect(await linesOf([bom])).toEqual([]);
  });

  it('reports an invalid UTF-8 line by number, and decodes the lines around it', async () => {
    const bytes = Buffer.concat([text('ok\n'), Buffer.from([0x61, 0xff, 0x62]), text('\nfine')]);
    const lines = await linesOf([bytes]);
    expect(lines).toEqual([
      { number: 1, text: 'ok' },
      { number: 2, problem: 'invalid-utf8', preview: 'a\uFFFDb' },
      { number: 3, text: 'fine' },
    ]);
  });

  it('reports a line over 64 KiB as line-too-long with a short preview, and goes on', async () => {
    const long = 'x'.repeat(maxLineBytes + 1);
    for (const chunks of [
      [text(`a\n${long}\nb\n`)],
      split(text(`a\n${long}\nb\n`), [1, 5000, 70_000]),
    ]) {
      const lines = await linesOf(chunks);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toEqual({ number: 1, text: 'a' });
      expect(lines[1]).toMatchObject({ number: 2, problem: 'line-too-long' });
      expect((lines[1] as { preview: string }).preview).toBe('x'.repeat(200));
      expect(lines[2]).toEqual({ number: 3, text: 'b' });
    }
  });

  /** Lines with long texts shortened to their length, so a failure prints readably. */
  const summary = (lines: InputLine[]) =>
    lines.map((l) => ('text' in l ? { ...l, text: `${l.text.length}:${l.text.slice(-3)}` } : l));

  it('accepts a line of exactly 64 KiB however it is chunked, CRLF included', async () => {
    const body = 'y'.repeat(maxLineBytes);
    const bytes = text(`${body}\r\nz\r\n${body}y\r\n`);
    for (const cuts of [[], [10], [maxLineBytes], [maxLineBytes + 1], [100, maxLineBytes + 1]]) {
      const lines = await linesOf(split(bytes, cuts));
      expect(summary(lines), `cut at ${cuts}`).toEqual([
        { number: 1, text: `${maxLineBytes}:yyy` },
        { number: 2, text: '1:z' },
        { number: 3, problem: 'line-too-long', preview: 'y'.repeat(200) },
      ]);
    }
  });

  it('previews a long line of multi-byte characters the same however it is chunked', async () => {
    const bytes = text(`${'é'.repeat(40_000)}\n${'😀'.repeat(20_000)}\nok\n`);
    const whole = await linesOf([bytes]);
    expect(whole).toEqual([
      { number: 1, problem: 'line-too-long', preview: 'é'.repeat(100) },
      { number: 2, problem: 'line-too-long', preview: '😀'.repeat(50) },
      { number: 3, text: 'ok' },
    ]);
    for (const cuts of [[1], [1 << 16], [99, 80_001, 80_002], [150_000]]) {
      expect(await linesOf(split(bytes, cuts)), `cut at ${cuts}`).toEqual(whole);
    }
  });

  it('drops a BOM that arrives split over the first chunks, and keeps a short input that only looks like one', async () => {
    expect(await linesOf([Buffer.from([0xef]), Buffer.from([0xbb]), text('\xBF')])).toEqual([
      { number: 1, problem: 'invalid-utf8', preview: '\uFFFD\u00BF' },
    ]);
    expect(
      await linesOf([Buffer.alloc(0), Buffer.from([0xef]), Buffer.from([0xbb, 0xbf]), text('a')]),
    ).toEqual([{ number: 1, text: 'a' }]);
    expect(await linesOf([Buffer.from([0xef, 0xbb])])).toEqual([
      { number: 1, problem: 'invalid-utf8', preview: '\uFFFD' },
    ]);
    expect(await linesOf([Buffer.from([0xef]), text('x\n')])).toEqual([
      { number: 1, problem: 'invalid-utf8', preview: '\uFFFDx' },
    ]);
  });

  it('holds no chunk of a 200 MB line with no newline: the line is never buffered whole', async () => {
    const chunks = 3200;
    const sampled: WeakRef<ArrayBufferLike>[] = [];
    let alive = -1;
    const lines: InputLine[] = [];
    for await (const batch of readLines(
      (async function* () {
        for (let i = 0; i < chunks; i++) {
          const chunk = Buffer.alloc(1 << 16, 0x37);
          if (i % 100 === 0) sampled.push(new WeakRef(chunk.buffer));
          yield chunk;
          if (i === chunks - 1) {
            // Back to the event loop (WeakRef targets are kept until then), then a full GC:
            // the chunks read so far must be garbage, however long the line has grown.
            await setImmediate();
            collectGarbage();
            alive = sampled.filter((ref) => ref.deref() !== undefined).length;
          }
        }
      })(),
    )) {
      lines.push(...batch);
    }
    expect(lines).toEqual([{ number: 1, problem: 'line-too-long', preview: '7'.repeat(200) }]);
    expect(sampled).toHaveLength(32);
    expect(alive).toBe(0);
  });

  it('reports bytes and lines read to onBytes, for progress bars', async () => {
    const seen: [number, number][] = [];
    const chunks = [text('a\nb'), text('c\n'), text('d')];
    for await (const _ of readLines(
      (async function* () {
        yield* chunks;
      })(),
      (bytes, lines) => seen.push([bytes, lines]),
    )) {
      // drain
    }
    // The last line has no newline: it is counted once the input ends.
    expect(seen).toEqual([
      [3, 1],
      [5, 2],
      [6, 2],
      [6, 3],
    ]);
  });

  it('accepts strings as well as buffers', async () => {
    expect(await linesOf(['a\nb', 'c\r', '\n'])).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'bc' },
    ]);
  });

  it('yields the same lines however the bytes are cut into chunks (CRLF, BOM and multi-byte characters split)', async () => {
    await fc.assert(
      fc.asyncProperty(
        input,
        fc.array(fc.nat({ max: 400 }), { maxLength: 20 }),
        async (bytes, cuts) => {
          const whole = await linesOf([bytes]);
          const pieces = split(bytes, cuts);
          expect(Buffer.concat(pieces)).toEqual(bytes);
          expect(await linesOf(pieces)).toEqual(whole);
          // One byte at a time is the hardest split of all.
          const bytewise = [...bytes].map((b) => Buffer.from([b]));
          expect(await linesOf(bytewise)).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes each whole line exactly as Buffer#toString does, when it is valid UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const body = bytes.subarray(0, 3).equals(bom) ? bytes.subarray(3) : bytes;
        const raw: Buffer[] = [];
        let from = 0;
        for (let at = body.indexOf(0x0a); at !== -1; at = body.indexOf(0x0a, from)) {
          raw.push(body.subarray(from, at));
          from = at + 1;
        }
        if (from < body.length) raw.push(body.subarray(from));
        const lines = await linesOf([bytes]);
        expect(lines.map((l) => l.number)).toEqual(raw.map((_, i) => i + 1));
        lines.forEach((got, i) => {
          const bytesOfLine = raw[i] as Buffer;
          const stripped = bytesOfLine.at(-1) === 0x0d ? bytesOfLine.subarray(0, -1) : bytesOfLine;
          if ('text' in got) expect(Buffer.from(got.text, 'utf8')).toEqual(stripped);
          else expect(got.problem).toBe('invalid-utf8');
        });
      }),
      { numRuns: 200 },
    );
  });
});
