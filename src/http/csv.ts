import type { Response } from 'express';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. Text that a spreadsheet would run as a
 * formula (= + - @ at the start) gets a leading apostrophe; numbers are written as they are.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Sends CSV as a download named `filename`. */
export function sendCsv(res: Response, filename: string, header: string[], rows: CsvValue[][]): void {
  res.type('text/csv; charset=utf-8').attachment(filename).send(toCsv(header, rows));
}
