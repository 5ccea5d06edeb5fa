import { createReadStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ExportSummary } from '../export/export-summary.ts';
import { EXPORT_TARGETS } from '../export/export-user.ts';
import type { FileLayout } from '../export/target-writer.ts';
import { callApi, CliError, describeFailure, type ClientOptions } from './api-client.ts';
import { FileSealer, MAGIC, openSealed, readPassphrase } from './export-crypto.ts';
import { ExportFiles } from './export-files.ts';
import { formatBytes } from './progress-bar.ts';

export interface ExportCommandOptions {
  target?: string;
  out?: string;
  since?: string;
  rpId?: string;
  omit?: string;
  passphraseFile?: string;
  json: boolean;
}

/** What `cutover export` leaves beside the files, for `confirm` and for people: no secrets in it. */
export const MANIFEST = 'manifest.json';

function checkTarget(target: string | undefined): string {
  if (!target || !(EXPORT_TARGETS as readonly string[]).includes(target)) throw new CliError(`--target must be one of ${EXPORT_TARGETS.join(', ')}${target ? `, got "${target}"` : ''}`);
  return target;
}

/** Writes a small file with mode 0600; it must not exist yet. */
async function writeNewFile(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(error.code === 'EEXIST' ? `${file} already exists: choose an empty --out directory` : `cannot create ${file}: ${error.message}`);
  });
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

function openStream(client: ClientOptions, pathAndQuery: string): Promise<IncomingMessage> {
  const target = new URL(pathAndQuery, client.url.endsWith('/') ? client.url : `${client.url}/`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { accept: 'application/x-ndjson' };
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'GET', headers }, resolve);
    req.on('error', (error) => reject(new CliError(`cannot reach cutover at ${client.url}: ${error.message}`)));
    req.end();
  });
}

/**
 * `cutover export --target T [--out DIR] [--since ISO] [--rp-id HOST] [--omit totp,passkey] [--passphrase-file F] [--json]`:
 * streams GET /api/v1/exports/:target into the target's files under DIR (mode 0700; files 0600), then prints the
 * summary. Exit codes: 0 everything went, 2 complete but some credentials or users could not go (listed), 1 failed.
 */
export async function exportCommand(client: ClientOptions, options: ExportCommandOptions): Promise<number> {
  const target = checkTarget(options.target);
  const passphrase = options.passphraseFile ? readPassphrase(options.passphraseFile) : null;
  const query = new URLSearchParams();
  if (options.since) query.set('since', options.since);
  if (options.rpId) query.set('rp_id', options.rpId);
  if (options.omit) query.set('omit', options.omit);
  const dir = path.resolve(options.out ?? `cutover-export-${target}-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`);

  const response = await openStream(client, `api/v1/exports/${target}${query.size ? `?${query}` : ''}`);
  if (response.statusCode !== 200) {
    let text = '';
    for await (const chunk of response) text += chunk;
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    if (options.json) process.stdout.write(`${JSON.stringify(body)}\n`);
    throw new CliError(`export failed: ${describeFailure({ status: response.statusCode ?? 0, body })}`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const status = new StatusLine(target);
  let files: ExportFiles | null = null;
  let layouts: Record<string, FileLayout> = {};
  let summary: ExportSummary | null = null;
  let lineNumber = 0;
  try {
    let rest = '';
    // Reading the body chunk by chunk, and awaiting each file write, is the backpressure: the socket is not read
    // while the disk is behind, so the server waits too.
    for await (const chunk of response as AsyncIterable<Buffer>) {
      status.bytes += chunk.length;
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        lineNumber += 1;
        if (!line) continue;
        const message = parseLine(line, lineNumber);
        if ('export' in message) {
          layouts = message.export.files;
          files = new ExportFiles(dir, target, layouts, passphrase ? new FileSealer(passphrase) : null);
        } else if ('file' in message) {
          if (!files) throw new CliError('the server sent records before its export header');
          await files.add(message.file, message.record);
          status.records += 1;
          status.draw();
        } else if ('summary' in message) summary = message.summary;
      }
    }
    if (!summary || !files) throw new CliError('the export ended early: the server closed the stream before its summary line; the files written so far were deleted');
    await files.finish();
  } catch (error) {
    await files?.abandon();
    if (error instanceof CliError) throw error;
    throw new CliError(`the export broke off (${(error as Error).message}); the files written so far were deleted`);
  } finally {
    status.done();
  }
  const written = files.written;
  await writeNewFile(path.join(dir, MANIFEST), `${JSON.stringify({ target, created_at: new Date().toISOString(), sealed: passphrase !== null, layouts, files: written, summary: { ...summary, refusals: summary.refusals.length } }, null, 2)}\n`);
  await writeNewFile(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(options.json ? `${JSON.stringify({ out: dir, files: written, summary }, null, 2)}\n` : formatExportSummary(dir, summary, written));
  return summary.refusals.length > 0 ? 2 : 0;
}

type Line = { export: { files: Record<string, FileLayout> } } | { file: string; record: unknown } | { summary: ExportSummary };

function parseLine(line: string, lineNumber: number): Line {
  try {
    return JSON.parse(line) as Line;
  } catch {
    throw new CliError(`line ${lineNumber} of the server's export stream is not JSON`);
  }
}

class StatusLine {
  records = 0;
  bytes = 0;
  private last = 0;
  private readonly started = Date.now();
  private readonly enabled = Boolean(process.stderr.isTTY);
  constructor(private readonly target: string) {}

  draw(): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const rate = this.records / Math.max(0.001, (now - this.started) / 1000);
    process.stderr.write(`\r\x1b[2Kexporting for ${this.target}: ${this.records.toLocaleString('en')} records, ${formatBytes(this.bytes)} (${Math.round(rate).toLocaleString('en')} records/s)`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}

const n = (value: number) => value.toLocaleString('en');

export function formatExportSummary(dir: string, summary: ExportSummary, written: ExportFiles['written']): string {
  const lines = [
    `Export for ${summary.target} ${summary.completed ? 'complete' : 'INCOMPLETE'} in ${(summary.duration_ms / 1000).toFixed(1)} s${summary.since ? ` (changed since ${summary.since})` : ''}, RP ID ${summary.rp_id}`,
    `  users read        ${n(summary.users_read)}`,
    `  users exported    ${n(summary.users_exported)}`,
    `  passwords         ${n(summary.credentials.password)}${summary.not_exported.password ? ` (${n(summary.not_exported.password)} not exported)` : ''}`,
    `  authenticator app ${n(summary.credentials.totp)}${summary.not_exported.totp ? ` (${n(summary.not_exported.totp)} not exported)` : ''}`,
    `  passkeys          ${n(summary.credentials.passkey)}${summary.not_exported.passkey ? ` (${n(summary.not_exported.passkey)} not exported)` : ''}`,
    `  files in ${dir} (mode 0600; they hold secrets: delete them after the import):`,
    ...written.map((f) => `    ${f.name}  ${n(f.records)} records, ${formatBytes(f.bytes)}`),
  ];
  if (summary.refusals.length) {
    const byReason = new Map<string, number>();
    for (const r of summary.refusals) byReason.set(`${r.credential}: ${r.reason}`, (byReason.get(`${r.credential}: ${r.reason}`) ?? 0) + 1);
    lines.push(`  not exported (${n(summary.refusals.length)}; every user and reason in summary.json):`);
    for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) lines.push(`    ${n(count)} × ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A written file's records, one per line as `cutover export` writes them (a reformatted array is parsed whole). */
async function* recordsOf(file: string, passphrase: string | null): AsyncGenerator<unknown> {
  const head = await readFile(file).then((b) => b.subarray(0, MAGIC.length)).catch(() => {
    throw new CliError(`cannot read ${file}`);
  });
  const sealed = head.equals(MAGIC);
  if (sealed && !passphrase) throw new CliError(`${file} is sealed: pass --passphrase-file`);
  const text = sealed ? openSealed(await readFile(file), passphrase!, file).toString('utf8') : null;
  const lines = text !== null ? text.split('\n') : createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    const line = raw.trim().replace(/,$/, '');
    if (line === '' || line === '[' || line === ']' || line === ']}' || /^\{"[^"]*": \[$/.test(line)) continue;
    try {
      yield JSON.parse(line);
    } catch {
      throw new CliError(`${file} line ${lineNumber}: not one record per line as cutover export writes it`);
    }
  }
}

function at(record: unknown, dotted: string): unknown {
  let value: unknown = record;
  for (const key of dotted.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/**
 * `cutover export confirm --target T FILE…`: the target imported these files. Reads each file's users (by the
 * manifest.json beside it) and POSTs their ids, 1,000 at a time, to /api/v1/exports/:target/confirm, which marks
 * them handed off. Running it again changes nothing.
 */
export async function exportConfirmCommand(client: ClientOptions, options: { target?: string; files: string[]; passphraseFile?: string; json: boolean }): Promise<number> {
  const target = checkTarget(options.target);
  if (options.files.length === 0) throw new CliError('export confirm needs the FILEs the target imported');
  const passphrase = options.passphraseFile ? readPassphrase(options.passphraseFile) : null;
  const totals = { target, files: 0, matched: 0, handed_off: 0, already_handed_off: 0, unknown: [] as string[] };
  for (const file of options.files) {
    const manifestPath = path.join(path.dirname(file), MANIFEST);
    const manifest = await readFile(manifestPath, 'utf8').then((t) => JSON.parse(t) as { target: string; layouts: Record<string, FileLayout>; files: Array<{ file: string; name: string }> }).catch(() => {
      throw new CliError(`no readable ${MANIFEST} beside ${file}: confirm reads the files cutover export wrote, in their directory`);
    });
    if (manifest.target !== target) throw new CliError(`${file} is a ${manifest.target} export, not ${target}`);
    const entry = manifest.files.find((f) => f.name === path.basename(file));
    if (!entry) throw new CliError(`${file} is not one of the files in ${manifestPath}`);
    const by = manifest.layouts[entry.file]?.confirmBy;
    if (!by) {
      if (!options.json) process.stderr.write(`${file}: holds no users to confirm (skipped)\n`);
      continue;
    }
    totals.files += 1;
    let batch: string[] = [];
    const send = async () => {
      if (!batch.length) return;
      const response = await callApi(client, 'POST', `api/v1/exports/${target}/confirm`, by.kind === 'user_id' ? { user_ids: batch } : { logins: batch });
      if (response.status !== 200) throw new CliError(`confirm failed: ${describeFailure(response)}`);
      const body = response.body as { matched: number; handed_off: number; already_handed_off: number; unknown: string[] };
      totals.matched += body.matched;
      totals.handed_off += body.handed_off;
      totals.already_handed_off += body.already_handed_off;
      totals.unknown.push(...body.unknown);
      batch = [];
    };
    for await (const record of recordsOf(file, passphrase)) {
      const value = at(record, by.field);
      if (typeof value !== 'string') throw new CliError(`${file}: a record has no ${by.field}`);
      batch.push(value);
      if (batch.length === 1000) await send();
    }
    await send();
  }
  process.stdout.write(options.json ? `${JSON.stringify(totals, null, 2)}\n` : [
    `Confirmed for ${target}: ${n(totals.matched)} users in ${totals.files} files`,
    `  handed off now      ${n(totals.handed_off)}`,
    `  already handed off  ${n(totals.already_handed_off)}`,
    ...(totals.unknown.length ? [`  unknown to cutover  ${n(totals.unknown.length)}: ${totals.unknown.slice(0, 10).join(', ')}${totals.unknown.length > 10 ? ' …' : ''}`] : []),
  ].join('\n') + '\n');
  return totals.unknown.length > 0 ? 2 : 0;
}

/** `cutover export decrypt --passphrase-file F FILE.enc…`: writes FILE beside each (mode 0600), for the import. */
export async function exportDecryptCommand(options: { files: string[]; passphraseFile?: string }): Promise<number> {
  if (!options.passphraseFile) throw new CliError('export decrypt needs --passphrase-file');
  if (options.files.length === 0) throw new CliError('export decrypt needs the FILE.enc files');
  const passphrase = readPassphrase(options.passphraseFile);
  for (const file of options.files) {
    if (!file.endsWith('.enc')) throw new CliError(`${file} does not end in .enc`);
    const plain = openSealed(await readFile(file), passphrase, file);
    await writeNewFile(file.slice(0, -'.enc'.length), plain.toString('utf8'));
    process.stdout.write(`${file.slice(0, -'.enc'.length)}\n`);
  }
  return 0;
}
