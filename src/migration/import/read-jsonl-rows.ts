import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { RawRow, RowError } from './export-row.ts';

export type ParsedLine = RawRow | RowError;

const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Streams JSON Lines: one object per line, blank lines skipped. A line that is not a JSON object becomes a row
 * error with its line number; the rest of the file goes on. Only one line is held at a time.
 */
export async function* readJsonlRows(input: Readable, onBytes: (n: number) => void): AsyncGenerator<ParsedLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    pending += decoder.write(chunk);
    let start = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', start)) !== -1) {
      line += 1;
      const parsed = parseLine(pending.slice(start, newline), line);
      if (parsed) yield parsed;
      start = newline + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_BYTES) {
      line += 1;
      yield { line, id: null, field: 'row', reason: `line is longer than ${MAX_LINE_BYTES} bytes` };
      pending = '';
      // Skip the rest of the oversized line.
      for await (const rest of input as AsyncIterable<Buffer>) {
        onBytes(rest.length);
        const text = decoder.write(rest);
        const at = text.indexOf('\n');
        if (at !== -1) {
          pending = text.slice(at + 1);
          break;
        }
      }
    }
  }
  pending += decoder.end();
  if (pending.length > 0) {
    const parsed = parseLine(pending, line + 1);
    if (parsed) yield parsed;
  }
}

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
