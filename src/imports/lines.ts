import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';

/** One physical line of an input file, decoded, or the reason it could not be. */
export type InputLine =
  | { number: number; text: string }
  | { number: number; problem: 'invalid-utf8' | 'line-too-long'; preview: string };

/** Longer lines are reported, never buffered whole: memory stays flat on hostile input. */
export const maxLineBytes = 64 * 1024;

/** What a report says of a line that could not be read. */
export function unreadableMessage(problem: 'invalid-utf8' | 'line-too-long'): string {
  return problem === 'invalid-utf8'
    ? 'the line is not valid UTF-8: save the file as UTF-8'
    : `the line is longer than ${maxLineBytes / 1024} KiB: is this the right file?`;
}

const newline = 0x0a;
const bom = Buffer.from([0xef, 0xbb, 0xbf]);

export interface ReadLinesOptions {
  /**
   * Keep the CR of a CRLF ending at the end of each line's text (CSV keeps the line breaks of
   * quoted cells as they were); by default it is dropped.
   */
  keepCarriageReturns?: boolean;
}

/**
 * Splits a byte stream into lines (LF or CRLF; a UTF-8 BOM at the start is dropped), each
 * decoded as strict UTF-8, yielded a chunk's worth at a time. `onBytes` reports how many
 * bytes and lines have been read, for progress bars.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  onBytes?: (bytes: number, lines: number) => void,
  options: ReadLinesOptions = {},
): AsyncGenerator<InputLine[]> {
  const keepCr = options.keepCarriageReturns === true;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let overlong: string | undefined; // preview of the current line once it is too long
  let number = 0;
  let bytesRead = 0;
  // The first bytes, held until it is known whether they start with a BOM (it may come split).
  let head: Buffer | undefined = Buffer.alloc(0);

  const append = (bytes: Buffer) => {
    if (overlong !== undefined || bytes.length === 0) return;
    // One byte more than a line may hold: the CR of a CRLF ending, which lineOf strips.
    if (partialBytes + bytes.length > maxLineBytes + 1) {
      overlong = previewOf(Buffer.concat([...partial, bytes.subarray(0, previewBytes)]));
      partial = [];
      partialBytes = 0;
      return;
    }
    partial.push(bytes);
    partialBytes += bytes.length;
  };

  const finishPartial = (): InputLine => {
    number++;
    if (overlong !== undefined) {
      const line: InputLine = { number, problem: 'line-too-long', preview: overlong };
      overlong = undefined;
      return line;
    }
    const bytes = partial.length === 1 ? (partial[0] as Buffer) : Buffer.concat(partial);
    partial = [];
    partialBytes = 0;
    return decode(bytes, number, keepCr);
  };

  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    bytesRead += chunk.length;
    if (head !== undefined) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < bom.length && head.equals(bom.subarray(0, head.length))) continue;
      chunk = head.subarray(0, bom.length).equals(bom) ? head.subarray(bom.length) : head;
      head = undefined;
    }
    const lines: InputLine[] = [];
    let start = 0;
    const firstNewline = chunk.indexOf(newline);
    if (firstNewline !== -1 && (partialBytes > 0 || overlong !== undefined)) {
      append(chunk.subarray(0, firstNewline));
      lines.push(finishPartial());
      start = firstNewline + 1;
    }
    const lastNewline = chunk.lastIndexOf(newline);
    if (lastNewline >= start) {
      const block = chunk.subarray(start, lastNewline);
      // The common case: a block of whole lines that is valid UTF-8, decoded in one go.
      if (isUtf8(block)) {
        for (const text of block.toString('utf8').split('\n')) {
          number++;
          lines.push(lineOf(text, number, keepCr));
        }
      } else {
        let from = 0;
        for (let at = block.indexOf(newline); ; at = block.indexOf(newline, from)) {
          number++;
          lines.push(decode(block.subarray(from, at === -1 ? block.length : at), number, keepCr));
          if (at === -1) break;
          from = at + 1;
        }
      }
      start = lastNewline + 1;
    }
    append(chunk.subarray(start));
    onBytes?.(bytesRead, number);
    if (lines.length > 0) yield lines;
  }
  if (head !== undefined) append(head); // a short input that began like a BOM but was not one
  if (partialBytes > 0 || overlong !== undefined) {
    const last = finishPartial();
    onBytes?.(bytesRead, number); // the last line, which had no newline, is read now
    yield [last];
  }
}

function decode(bytes: Buffer, number: number, keepCr: boolean): InputLine {
  if (!isUtf8(bytes)) {
    return { number, problem: 'invalid-utf8', preview: previewOf(bytes) };
  }
  return lineOf(bytes.toString('utf8'), number, keepCr);
}

function lineOf(text: string, number: number, keepCr: boolean): InputLine {
  const body = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (body.length > maxLineBytes / 4 && Buffer.byteLength(body) > maxLineBytes) {
    return {
      number,
      problem: 'line-too-long',
      preview: previewOf(Buffer.from(body.slice(0, previewBytes))),
    };
  }
  return { number, text: keepCr ? text : body };
}

const previewBytes = 200;

/** The first 200 bytes of a line, decoded: the same however the line arrived in chunks. */
function previewOf(bytes: Buffer): string {
  return bytes.toString('utf8', 0, previewBytes);
}

/**
 * Looks at the first bytes before anything is written: a binary or UTF-16 file cannot be
 * read line by line, so the whole input is refused (exit 7) rather than rejected line by
 * line. Binary means a NUL in the first 8 KiB, or more than a third of them control
 * characters other than those text carries (tab, line breaks, escape sequences). `holds` says
 * what the input should be ("a list of phones and emails"); `retry` ends the UTF-16 message
 * ("import again").
 */
export async function refuseBinary(
  input: Readable | AsyncIterable<Buffer | string>,
  { holds, retry }: { holds: string; retry: string },
): Promise<AsyncIterable<Buffer>> {
  const iterator = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : toBuffer(first.value);
  const sample = head.subarray(0, 8192);
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new InputError(`the input is UTF-16: save it as UTF-8 and ${retry}`);
  }
  if (sample.includes(0) || controlShare(sample) > 1 / 3) {
    throw new InputError(
      `the input looks like a binary file, not ${holds}: is this the right file?`,
    );
  }
  return (async function* () {
    if (!first.done) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield toBuffer(next.value);
  })();
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

function controlShare(sample: Buffer): number {
  if (sample.length === 0) return 0;
  let controls = 0;
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1b) controls++;
  }
  return controls / sample.length;
}
