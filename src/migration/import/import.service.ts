import type { Readable } from 'node:stream';
import type { Db } from '../../storage/db.ts';
import type { Principal } from '../../http/roles.ts';
import type { Logger } from '../../observability/logger.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { AppError, InvalidRequestError, NotFoundError } from '../../http/app-error.ts';
import { classifyRow, type ClassifiedRow, type ClassifyOptions } from './classify-row.ts';
import type { RowError } from './export-row.ts';
import { ImportBatchWriter, type BatchOutcome } from './import-batch-writer.ts';
import { readCsvRows } from './read-csv-rows.ts';
import { readJsonlRows, type ParsedLine } from './read-jsonl-rows.ts';
import { validateExportRow } from './validate-export-row.ts';
import type { LegacyCheckCosts } from '../verify/legacy-check-costs.ts';
import { ImportSummaryBuilder, type ImportSummary } from './import-summary.ts';
import { listImportErrors, listRecentImports, loadImportSummary, type ImportListItem } from './load-import-summary.ts';

export type ImportFormat = 'jsonl' | 'csv';

export interface ImportRequest extends ClassifyOptions {
  format: ImportFormat;
  dryRun: boolean;
  bytesTotal: number | null;
}

const BATCH_ROWS = 2000;
const PROGRESS_EVERY_MS = 500;
const HEARTBEAT_MS = 30_000;
// A body whose first rows are all structurally broken is not an export at all (random bytes, the wrong file).
const STRUCTURE_PROBE_ROWS = 10;

/**
 * Streams an export into the users table: parse a line, validate it, classify it into a path, and write in
 * batches while the next batch is being parsed. Progress and the summary live in the `imports` row.
 */
export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: {
      maxHashCheckMs?: number;
      /** Times one check of each new kind of stored hash, for the verify failure floor. */
      checkCosts?: LegacyCheckCosts;
    } = {},
  ) {}



  async run(body: Readable, request: ImportRequest, actor: Principal, ip?: string): Promise<ImportSummary> {
    const { rows } = await this.db.query<{ id: string; started_at: Date }>(
      `INSERT INTO imports (status, dry_run, content_type, options, bytes_total, created_by) VALUES ('running', $1, $2, $3, $4, $5) RETURNING id, started_at`,
      [request.dryRun, request.format, { default_path: request.defaultPath, on_unsupported_hash: request.onUnsupportedHash, hash_dialect: request.hashDialect ?? null }, request.bytesTotal, actor.name],
    );
    const { id, started_at: startedAt } = rows[0]!;
    const summary = new ImportSummaryBuilder(id, request.dryRun, startedAt, request.bytesTotal);
    const log = this.logger.child({ import: id });
    log.info({ format: request.format, dryRun: request.dryRun }, 'import started');
    // A slow upload can go a while between batches; the heartbeat tells the stalled-import reaper it is alive.
    const heartbeat = setInterval(() => {
      void this.db.query('UPDATE imports SET heartbeat_at = now(), bytes_read = $2 WHERE id = $1', [id, summary.bytesRead]).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await this.consume(body, request, summary);
      await this.finish(summary, 'completed');
      if (!request.dryRun) await this.options.checkCosts?.probeImport(id).catch((error: unknown) => log.warn({ err: error }, 'could not time the imported hashes for the verify failure floor'));
      await recordAudit(this.db, { actor, action: request.dryRun ? 'import.dry_run' : 'import.run', target: `import:${id}`, ip, details: summary.counts() });
      log.info(summary.counts(), 'import completed');
      return summary.toJSON('completed');
    } catch (error) {
      const failure = error instanceof AppError && error.expose ? error.message : 'the import stopped on an internal error';
      summary.failure = failure;
      await this.finish(summary, 'failed').catch((e: unknown) => log.error({ err: e }, 'could not record the failed import'));
      log.error({ err: error }, 'import failed');
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  async get(id: string): Promise<ImportSummary> {
    const summary = await loadImportSummary(this.db, id);
    if (!summary) throw new NotFoundError('Import');
    return summary;
  }

  /** The last `limit` imports, newest first, without row errors. */
  list(limit = 50): Promise<ImportListItem[]> {
    return listRecentImports(this.db, limit);
  }

  async errors(id: string, afterLine: number, limit: number) {
    const summary = await this.get(id);
    return { id: summary.id, rejected: summary.rejected, errors: await listImportErrors(this.db, id, afterLine, limit) };
  }

  private async consume(body: Readable, request: ImportRequest, summary: ImportSummaryBuilder): Promise<void> {
    const writer = new ImportBatchWriter(this.db, summary.id, request.dryRun);
    const onBytes = (n: number) => { summary.bytesRead += n; };
    const lines: AsyncIterable<ParsedLine> = request.format === 'csv' ? readCsvRows(body, onBytes) : readJsonlRows(body, onBytes);
    let batch: ClassifiedRow[] = [];
    let errors: RowError[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    let lastProgress = Date.now();
    let structured = 0;
    const classifyOptions = { ...request, maxCheckMs: this.options.maxHashCheckMs };

    const flush = async () => {
      const rows = batch;
      const rowErrors = errors;
      batch = [];
      errors = [];
      await inFlight; // one batch in the database while the next is parsed; lookups must see the previous writes
      inFlight = writer.write(rows).then(async (outcome: BatchOutcome) => {
        summary.add(outcome);
        await this.saveErrors(summary.id, [...rowErrors, ...outcome.rejected]);
        summary.addErrors(rowErrors);
        if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          await this.saveProgress(summary);
        }
      });
    };

    for await (const parsed of lines) {
      summary.rows += 1;
      if ('fields' in parsed) {
        structured += 1;
        const valid = validateExportRow(parsed, summary.ignoredFields);
        if (Array.isArray(valid)) errors.push(...valid);
        else {
          const classified = classifyRow(valid, classifyOptions);
          if ('row' in classified) batch.push(classified);
          else errors.push(classified);
        }
      } else {
        errors.push(parsed);
        if (structured === 0 && summary.rows >= STRUCTURE_PROBE_ROWS) throw notAnExport(request.format, parsed);
      }
      if (batch.length >= BATCH_ROWS || errors.length >= BATCH_ROWS) await flush();
    }
    if (summary.rows > 0 && structured === 0) throw notAnExport(request.format, errors[0]);
    await flush();
    await inFlight;
  }

  private async saveErrors(importId: string, errors: RowError[]): Promise<void> {
    if (errors.length === 0) return;
    await this.db.query(
      `INSERT INTO import_errors (import_id, line, legacy_id, field, reason)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
      [importId, errors.map((e) => e.line), errors.map((e) => e.id), errors.map((e) => e.field), errors.map((e) => e.reason)],
    );
  }

  private async saveProgress(summary: ImportSummaryBuilder): Promise<void> {
    const c = summary.counts();
    await this.db.query(
      `UPDATE imports SET rows = $2, imported = $3, updated = $4, unchanged = $5, rejected = $6, bytes_read = $7,
              paths = $8, hash_formats = $9, ignored_fields = $10, ambiguous_hashes = $11, heartbeat_at = now() WHERE id = $1`,
      [summary.id, c.rows, c.imported, c.updated, c.unchanged, c.rejected, summary.bytesRead, c.paths, c.hash_formats, c.ignored_fields, c.ambiguous_hashes],
    );
  }

  private async finish(summary: ImportSummaryBuilder, status: 'completed' | 'failed'): Promise<void> {
    await this.saveProgress(summary);
    await this.db.query('UPDATE imports SET status = $2, failure = $3, finished_at = now() WHERE id = $1', [summary.id, status, summary.failure]);
  }
}

function notAnExport(format: ImportFormat, first: RowError | undefined): InvalidRequestError {
  const what = format === 'csv' ? 'CSV with a header row' : 'JSON Lines (one JSON object per line)';
  const detail = first ? ` Line ${first.line}: ${first.reason}.` : '';
  return new InvalidRequestError([{ field: 'body', reason: `not ${what}` }], `The body is not ${what}.${detail}`);
}
