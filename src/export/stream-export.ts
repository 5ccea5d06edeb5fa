import type { SecretBox } from '../identity/secret-box.ts';
import type { Queryable } from '../storage/db.ts';
import { countUser, emptySummary, type ExportSummary } from './export-summary.ts';
import type { ExportUser } from './export-user.ts';
import { readExportUsers } from './read-export-users.ts';
import type { ExportContext, TargetWriter } from './target-writer.ts';

/** Where the lines go: `write` resolves false when the reader has gone, and the export stops reading. */
export interface LineSink {
  write(text: string): Promise<boolean>;
}

export interface StreamExportOptions {
  since?: Date;
  context: ExportContext;
  batchSize?: number;
}

/**
 * The export as NDJSON: a header line `{"export": {target, files}}` (the file layouts, which the CLI splits by),
 * one `{"file", "record"}` line per record, and a last `{"summary"}` line. Each batch of users is one write, and
 * the next batch is read only once the sink has taken it (backpressure), so memory stays at one batch.
 */
export async function streamExport(db: Queryable, box: SecretBox, writer: TargetWriter, sink: LineSink, options: StreamExportOptions): Promise<ExportSummary> {
  const started = Date.now();
  const summary = emptySummary(writer.target, options.since, options.context.targetRpId);
  for (const name of Object.keys(writer.files)) summary.files[name] = 0;
  const header = { export: { target: writer.target, files: writer.files, since: summary.since, rp_id: summary.rp_id } };
  if (!(await sink.write(`${JSON.stringify(header)}\n`))) return summary;
  const users = readExportUsers(db, box, { since: options.since, batchSize: options.batchSize, baseUrlHost: options.context.baseUrlHost });
  for await (const batch of users) {
    let text = '';
    for (const user of batch) text += linesFor(writer, user, options.context, summary);
    // Leaving the loop ends the generator: no further batch is read.
    if (text && !(await sink.write(text))) {
      summary.duration_ms = Date.now() - started;
      return summary;
    }
  }
  summary.completed = true;
  summary.duration_ms = Date.now() - started;
  await sink.write(`${JSON.stringify({ summary })}\n`);
  return summary;
}

function linesFor(writer: TargetWriter, user: ExportUser, context: ExportContext, summary: ExportSummary): string {
  if (user.state === 'disabled') {
    countUser(summary, user, [{ userId: user.id, legacyId: user.legacyId, credential: 'user', reason: 'disabled in cutover: not exported, so the target cannot sign them in' }], context.omit, 0);
    return '';
  }
  const { records, refusals } = writer.write(user, context);
  if (user.totpUnreadable) refusals.push({ userId: user.id, legacyId: user.legacyId, credential: 'totp', reason: 'the sealed authenticator-app secret does not open with this CUTOVER_SECRET (sealed under another key)' });
  let text = '';
  for (const record of records) {
    summary.files[record.file] = (summary.files[record.file] ?? 0) + 1;
    text += `${JSON.stringify(record)}\n`;
  }
  countUser(summary, user, refusals, context.omit, records.length);
  return text;
}
