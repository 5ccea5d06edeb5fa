import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { InvalidRequestError } from '../../http/app-error.ts';
import type { ParsedLine } from './read-jsonl-rows.ts';

/**
 * Streams CSV with a header row. A record that cannot be parsed (bad quoting, wrong column count) becomes a row
 * error with its line number; the rest of the file goes on. A header without `id` and `email` fails the import.
 */
export async function* readCsvRows(input: Readable, onBytes: (n: number) => void): AsyncGenerator<ParsedLine> {
  const skipped: ParsedLine[] = [];
  let header: string[] | null = null;
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      header = names.map((name) => name.trim());
      const missing = ['id', 'email'].filter((name) => !header!.includes(name));
      if (missing.length > 0) {
        throw new InvalidRequestError(
          missing.map((field) => ({ field, reason: 'the CSV header has no such column' })),
          `The CSV header must name the columns id and email; missing: ${missing.join(', ')}`,
        );
      }
      return header;
    },
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 1024 * 1024,
    on_skip: (error) => {
      if (error) {
        const line = (error as { lines?: number }).lines ?? 0;
        skipped.push({ line, id: null, field: 'row', reason: `malformed CSV: ${error.message.slice(0, 160)}` });
      }
    },
  });
  input.on('data', (chunk: Buffer) => onBytes(chunk.length));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    yield { line: record.info.lines, fields: record.record, fromCsv: true };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
