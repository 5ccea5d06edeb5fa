import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { FileLayout } from '../export/target-writer.ts';
import { CliError } from './api-client.ts';
import type { FileSealer } from './export-crypto.ts';

/** Bytes gathered before one write to disk. */
const FLUSH_BYTES = 64 * 1024;

interface Part {
  name: string;
  handle: FileHandle;
  seal: ReturnType<FileSealer['open']> | null;
  /** plaintext bytes so far, including the opening bracket: what the platform's size limit counts */
  bytes: number;
  items: number;
  pending: Buffer[];
  pendingBytes: number;
}

/** The file name for one file of a target: `auth0-users-0001.json`, `keycloak-users.json`, `okta-users.jsonl`. */
export function fileName(target: string, file: string, layout: FileLayout, part: number, sealed: boolean): string {
  const split = layout.maxBytes !== undefined || layout.maxItems !== undefined;
  return `${target}-${file}${split ? `-${String(part).padStart(4, '0')}` : ''}.${layout.form === 'json-lines' ? 'jsonl' : 'json'}${sealed ? '.enc' : ''}`;
}

/**
 * Writes one export's records into the target's files, as its FileLayout says: a JSON array, JSON lines, or an
 * object holding the array under `wrapKey`, one record per line; a new numbered part before a record would take
 * a part past `maxBytes` or `maxItems`. Each file is created with mode 0600 and must not exist yet (`wx`: no
 * following a planted symlink, no overwriting an earlier export).
 */
export class ExportFiles {
  private readonly parts = new Map<string, Part>();
  private readonly counters = new Map<string, number>();
  private readonly created: string[] = [];
  readonly written: Array<{ file: string; name: string; records: number; bytes: number }> = [];

  constructor(private readonly dir: string, private readonly target: string, private readonly layouts: Record<string, FileLayout>, private readonly sealer: FileSealer | null) {}

  async add(file: string, record: unknown): Promise<void> {
    const layout = this.layouts[file];
    if (!layout) throw new CliError(`the server sent a record for "${file}", which its header did not list`);
    const text = Buffer.from(JSON.stringify(record), 'utf8');
    const { open: opening, separator, close } = framing(layout);
    let part = this.parts.get(file);
    if (part) {
      const projected = part.bytes + separator.length + text.length + close.length;
      if ((layout.maxBytes !== undefined && projected > layout.maxBytes) || (layout.maxItems !== undefined && part.items >= layout.maxItems)) {
        await this.closePart(file, part);
        part = undefined;
      }
    }
    if (!part) {
      part = await this.openPart(file, layout);
      if (layout.maxBytes !== undefined && opening.length + text.length + close.length > layout.maxBytes) {
        throw new CliError(`one ${file} record is ${text.length} bytes, more than a whole ${layout.maxBytes}-byte part`);
      }
      this.push(part, opening);
    } else this.push(part, separator);
    this.push(part, text);
    part.items += 1;
    if (part.pendingBytes >= FLUSH_BYTES) await this.flush(part);
  }

  async finish(): Promise<void> {
    for (const [file, part] of this.parts) await this.closePart(file, part);
  }

  /** The export failed: close and delete every file it made, so no partial copy of the secrets stays behind. */
  async abandon(): Promise<void> {
    for (const part of this.parts.values()) await part.handle.close().catch(() => undefined);
    this.parts.clear();
    for (const file of this.created) await unlink(file).catch(() => undefined);
    this.written.length = 0;
  }

  private async openPart(file: string, layout: FileLayout): Promise<Part> {
    const number = (this.counters.get(file) ?? 0) + 1;
    this.counters.set(file, number);
    const name = fileName(this.target, file, layout, number, this.sealer !== null);
    let handle: FileHandle;
    try {
      handle = await open(path.join(this.dir, name), 'wx', 0o600);
      this.created.push(path.join(this.dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === 'EEXIST' ? `${path.join(this.dir, name)} already exists: choose an empty --out directory` : `cannot create ${path.join(this.dir, name)}: ${(error as Error).message}`);
    }
    const seal = this.sealer?.open() ?? null;
    const part: Part = { name, handle, seal, bytes: 0, items: 0, pending: [], pendingBytes: 0 };
    if (seal) {
      part.pending.push(seal.header);
      part.pendingBytes += seal.header.length;
    }
    this.parts.set(file, part);
    return part;
  }

  private push(part: Part, bytes: Buffer): void {
    part.bytes += bytes.length;
    const out = part.seal ? part.seal.update(bytes) : bytes;
    part.pending.push(out);
    part.pendingBytes += out.length;
  }

  private async flush(part: Part): Promise<void> {
    if (part.pendingBytes === 0) return;
    const chunk = Buffer.concat(part.pending, part.pendingBytes);
    part.pending = [];
    part.pendingBytes = 0;
    await part.handle.write(chunk);
  }

  private async closePart(file: string, part: Part): Promise<void> {
    const layout = this.layouts[file]!;
    this.push(part, framing(layout).close);
    if (part.seal) {
      const last = part.seal.end();
      part.pending.push(last);
      part.pendingBytes += last.length;
    }
    await this.flush(part);
    await part.handle.close();
    this.parts.delete(file);
    this.written.push({ file, name: part.name, records: part.items, bytes: part.bytes });
  }
}

function framing(layout: FileLayout): { open: Buffer; separator: Buffer; close: Buffer } {
  switch (layout.form) {
    case 'json-lines':
      return { open: Buffer.alloc(0), separator: Buffer.from('\n'), close: Buffer.from('\n') };
    case 'json-array':
      return { open: Buffer.from('[\n'), separator: Buffer.from(',\n'), close: Buffer.from('\n]\n') };
    case 'json-object':
      return { open: Buffer.from(`{${JSON.stringify(layout.wrapKey ?? 'items')}: [\n`), separator: Buffer.from(',\n'), close: Buffer.from('\n]}\n') };
  }
}
