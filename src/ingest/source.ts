// Opening telemetry files: gzip is detected by its magic bytes, a UTF-8 byte order mark is dropped,
// and lines come with their 1-based numbers (CRLF or LF; a line may be many megabytes).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The decoded bytes of a file (gunzipped when needed), starting at `offset` of the raw file. */
export async function openDecoded(path: string, offset = 0): Promise<Readable> {
  const raw = createReadStream(path, { start: offset, highWaterMark: 1 << 20 });
  return (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
}

export interface Line {
  readonly text: string;
  readonly line: number;
}

/**
 * The lines of a stream. The last line may lack its newline (a truncated file): it is still
 * returned, and the caller decides whether it is complete.
 */
export async function* readLines(stream: Readable, firstLine = 1): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let line = firstLine;
  let first = firstLine === 1;
  const batch: Line[] = [];
  const push = (buf: Buffer) => {
    let text = buf.toString('utf8');
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    batch.push({ text, line: line++ });
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      if (pending.length) {
        pending.push(piece);
        push(Buffer.concat(pending));
        pending = [];
      } else {
        push(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (batch.length >= 2048) yield batch.splice(0, batch.length);
  }
  if (pending.length) push(Buffer.concat(pending));
  if (batch.length) yield batch.splice(0, batch.length);
}

/** The first non-blank text of a file (up to `max` decoded characters), for format sniffing. */
export async function peek(path: string, max = 64 * 1024): Promise<string> {
  const stream = await openDecoded(path);
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length >= max) break;
  }
  stream.destroy();
  return text.replace(/^\uFEFF/, '').slice(0, max);
}
