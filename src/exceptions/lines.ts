import { isUtf8 } from 'node:buffer';

/** One physical line of an input file, decoded, or the reason it could not be. */
export type InputLine =
  | { number: number; text: string }
  | { number: number; problem: 'invalid-utf8' | 'line-too-long'; preview: string };

/** Longer lines are reported, never buffered whole: memory stays flat on hostile input. */
export const maxLineBytes = 64 * 1024;

const newline = 0x0a;
const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a byte stream into lines (LF or CRLF; a UTF-8 BOM at the start is dropped), each
 * decoded as strict UTF-8, yielded a chunk's worth at a time. `onBytes` reports how many
 * bytes have been read, for progress bars.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<InputLine[]> {
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
    return decode(bytes, number);
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
          lines.push(lineOf(text, number));
        }
      } else {
        let from = 0;
        for (let at = block.indexOf(newline); ; at = block.indexOf(newline, from)) {
          number++;
          lines.push(decode(block.subarray(from, at === -1 ? block.length : at), number));
          if (at === -1) break;
          from = at + 1;
        }
      }
      start = lastNewline + 1;
    }
    append(chunk.subarray(start));
    onBytes?.(bytesRead);
    if (lines.length > 0) yield lines;
  }
  if (head !== undefined) append(head); // a short input that began like a BOM but was not one
  if (partialBytes > 0 || overlong !== undefined) yield [finishPartial()];
}

function decode(bytes: Buffer, number: number): InputLine {
  if (!isUtf8(bytes)) {
    return { number, problem: 'invalid-utf8', preview: previewOf(bytes) };
  }
  return lineOf(bytes.toString('utf8'), number);
}

function lineOf(text: string, number: number): InputLine {
  const body = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (body.length > maxLineBytes / 4 && Buffer.byteLength(body) > maxLineBytes) {
    return {
      number,
      problem: 'line-too-long',
      preview: previewOf(Buffer.from(body.slice(0, previewBytes))),
    };
  }
  return { number, text: body };
}

const previewBytes = 200;

/** The first 200 bytes of a line, decoded: the same however the line arrived in chunks. */
function previewOf(bytes: Buffer): string {
  return bytes.toString('utf8', 0, previewBytes);
}
