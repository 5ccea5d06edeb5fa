import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../http/app-error.ts';

export interface SpooledBody {
  bytes: number;
  open(): Readable;
  discard(): Promise<void>;
}

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    // The rest of the body is not read: the connection closes after the answer.
    super('payload_too_large', `The export is larger than IMPORT_MAX_MB (${maxBytes} bytes)`, 413, { headers: { Connection: 'close' } });
  }
}

/**
 * A body without Content-Length (chunked) could be any size, and the import writes its batches as it reads. So it
 * is written to a private temporary file first, counted as it streams: past `maxBytes` it stops reading and fails
 * with 413 before any row is written. The caller imports from `open()` and then calls `discard()`.
 */
export async function spoolWithinLimit(body: Readable, maxBytes: number): Promise<SpooledBody> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cutover-import-'));
  const file = path.join(dir, 'body');
  const discard = () => rm(dir, { recursive: true, force: true });
  return new Promise<SpooledBody>((resolve, reject) => {
    const out = createWriteStream(file, { mode: 0o600 });
    let bytes = 0;
    let ended = false;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      body.pause();
      body.removeListener('data', onData);
      out.destroy();
      void discard().finally(() => reject(error));
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) return fail(new PayloadTooLargeError(maxBytes));
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => { if (!failed) body.resume(); });
      }
    };
    body.on('data', onData);
    body.once('end', () => { ended = true; out.end(); });
    body.once('error', fail);
    body.once('close', () => { if (!ended) fail(new AppError('upload_incomplete', 'The upload ended before its last chunk', 400)); });
    out.once('error', fail);
    out.once('finish', () => { if (!failed) resolve({ bytes, open: () => createReadStream(file), discard }); });
  });
}
