import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { RawRow, RowError } from './export-row.ts';

export type ParsedLine = RawRow | RowError;

const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Streams JSON Lines: one object per line, blank lines skipped. A line that is not a JSON object, or is longer than
 * MAX_LINE_BYTES, becomes a row error with its line number; the rest of the file goes on. Only one line is held at
 * a time: the part of an over-long line past the limit is dropped as it arrives, up to its newline.
 */
export async function* readJsonlRows(input: Readable, onBytes: (n: number) => void): AsyncGenerator<ParsedLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  // True while dropping the rest of an over-long line whose row error is already out.
  let skipping = false;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    pending += decoder.write(chunk);
    let start = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', start)) !== -1) {
      line += 1;
      const text = pending.slice(start, newline);
      start = newline + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      const parsed = isTooLong(text) ? tooLong(line) : parseLine(text, line);
      if (parsed) yield parsed;
    }
    pending = pending.slice(start);
    if (isTooLong(pending)) {
      if (!skipping) yield tooLong(line + 1);
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending.length > 0 && !skipping) {
    const parsed = isTooLong(pending) ? tooLong(line + 1) : parseLine(pending, line + 1);
    if (parsed) yield parsed;
  }
}

// A UTF-16 unit is at least one UTF-8 byte and at most three, so most lines need no byte count.
function isTooLong(text: string): boolean {
  if (text.length > MAX_LINE_BYTES) return true;
  return text.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(text) > MAX_LINE_BYTES;
}

const tooLong = (line: number): RowError => ({ line, id: null, field: 'row', reason: `line is longer than ${MAX_LINE_BYTES} bytes` });

function parseLine(text: string, line: number): ParsedLine | null {
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (trimmed.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    // JSON.parse quotes the bad input; keep the message readable when that input is binary.
    const message = (error as Error).message.replace(/[^\x20-\x7e\u00a0-\uffff]|\ufffd/g, '?').slice(0, 120);
    return { line, id: null, field: 'row', reason: `malformed JSON: ${message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, id: null, field: 'row', reason: 'each line must be a JSON object' };
  }
  return { line, fields: value as Record<string, unknown>, fromCsv: false };
}
