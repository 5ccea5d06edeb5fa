import type { BatchOutcome } from './import-batch-writer.ts';
import type { RowError } from './export-row.ts';

/** Row errors kept in the summary itself; all of them are in `GET /api/v1/imports/:id/errors`. */
export const SUMMARY_ERROR_LIMIT = 1000;

export interface ImportSummary {
  id: string;
  status: 'running' | 'completed' | 'failed';
  dry_run: boolean;
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  paths: Record<string, number>;
  hash_formats: Record<string, number>;
  /** Rows refused because their hash is a shape several families write and nothing said which. */
  ambiguous_hashes: number;
  ignored_fields: Record<string, number>;
  errors: Array<{ line: number; id: string | null; field: string; reason: string }>;
  errors_truncated: boolean;
  bytes_read: number;
  bytes_total: number | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number;
  rows_per_second: number;
  failure?: string;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counts an import as its batches complete; turns into the summary the API answers. */
export class ImportSummaryBuilder {
  rows = 0;
  bytesRead = 0;
  failure: string | null = null;
  readonly ignoredFields = new Map<string, number>();
  private imported = 0;
  private updated = 0;
  private unchanged = 0;
  private rejected = 0;
  private errorCount = 0;
  private ambiguousHashes = 0;
  private readonly paths: Record<string, number> = {};
  private readonly hashFormats: Record<string, number> = {};
  private readonly errors: RowError[] = [];

  constructor(readonly id: string, readonly dryRun: boolean, private readonly startedAt: Date, readonly bytesTotal: number | null) {}

  add(outcome: BatchOutcome): void {
    this.imported += outcome.imported.length;
    this.updated += outcome.updated.length;
    this.unchanged += outcome.unchanged.length;
    for (const group of [outcome.imported, outcome.updated, outcome.unchanged]) {
      for (const item of group) {
        bump(this.paths, item.path);
        if (item.hash) bump(this.hashFormats, item.hash.format);
      }
    }
    this.addErrors(outcome.rejected);
  }

  /** A row with several problems has several errors, one after another; it counts once as rejected. */
  addErrors(errors: RowError[]): void {
    for (let i = 0; i < errors.length; i++) if (i === 0 || errors[i]!.line !== errors[i - 1]!.line) this.rejected += 1;
    this.errorCount += errors.length;
    for (const { ambiguousHash, ...error } of errors) {
      if (ambiguousHash) this.ambiguousHashes += 1;
      if (this.errors.length < SUMMARY_ERROR_LIMIT) this.errors.push(error);
    }
  }

  counts() {
    return {
      rows: this.rows, imported: this.imported, updated: this.updated, unchanged: this.unchanged, rejected: this.rejected,
      paths: this.paths, hash_formats: this.hashFormats, ambiguous_hashes: this.ambiguousHashes, ignored_fields: Object.fromEntries(this.ignoredFields),
    };
  }

  toJSON(status: ImportSummary['status']): ImportSummary {
    const durationMs = Date.now() - this.startedAt.getTime();
    return {
      id: this.id, status, dry_run: this.dryRun, ...this.counts(),
      errors: [...this.errors].sort((a, b) => a.line - b.line),
      errors_truncated: this.errorCount > this.errors.length,
      bytes_read: this.bytesRead, bytes_total: this.bytesTotal,
      started_at: this.startedAt.toISOString(), finished_at: status === 'running' ? null : new Date().toISOString(),
      duration_ms: durationMs, rows_per_second: durationMs > 0 ? Math.round((this.rows * 1000) / durationMs) : this.rows,
      ...(this.failure ? { failure: this.failure } : {}),
    };
  }
}
