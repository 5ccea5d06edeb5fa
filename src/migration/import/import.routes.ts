import { Router } from 'express';
import { z } from 'zod';
import type { ApiTokenService } from '../../tokens/api-token.service.ts';
import { principalOf, requireRole } from '../../http/authenticate.ts';
import { AppError } from '../../http/app-error.ts';
import { validate } from '../../http/validate.ts';
import type { ImportFormat, ImportService } from './import.service.ts';
import { PayloadTooLargeError, spoolWithinLimit } from './spool-within-limit.ts';
import { HASH_DIALECTS } from '../../identity/hashes/hash-dialects.ts';

const queryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const importQuery = z.object({
  dry_run: queryFlag.default(false),
  default_path: z.enum(['jit', 'reset']).optional(),
  on_unsupported_hash: z.enum(['reject', 'jit', 'reset']).default('reject'),
  hash_dialect: z.enum(HASH_DIALECTS).optional(),
});

const errorsQuery = z.object({
  after_line: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

function formatOf(contentType: string | undefined): ImportFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (['application/x-ndjson', 'application/jsonl', 'application/jsonlines', 'application/x-jsonlines'].includes(type)) return 'jsonl';
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  throw new AppError('unsupported_media_type', `Send the export as application/x-ndjson (JSON Lines) or text/csv, not ${type || 'no Content-Type'}`, 415);
}

export function importRoutes(imports: ImportService, tokens: ApiTokenService, options: { legacyConfigured: boolean; maxBytes: number }): Router {
  const router = Router();
  const admin = requireRole(tokens, 'admin');

  router.post('/api/v1/imports', admin, async (req, res) => {
    const query = validate(importQuery, req.query);
    const format = formatOf(req.get('content-type'));
    const length = Number(req.get('content-length'));
    if (length > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
    // Node ends a body at its Content-Length; a chunked one is counted into a spool file before anything is written.
    const spooled = Number.isFinite(length) ? null : await spoolWithinLimit(req, options.maxBytes);
    try {
      const summary = await imports.run(spooled ? spooled.open() : req, {
        format,
        dryRun: query.dry_run,
        defaultPath: query.default_path ?? (options.legacyConfigured ? 'jit' : 'reset'),
        onUnsupportedHash: query.on_unsupported_hash,
        hashDialect: query.hash_dialect,
        bytesTotal: spooled ? spooled.bytes : length,
      }, principalOf(req), req.ip);
      res.status(201).location(`/api/v1/imports/${summary.id}`).json(summary);
    } finally {
      await spooled?.discard();
    }
  });

  router.get('/api/v1/imports', admin, async (_req, res) => {
    res.json({ imports: await imports.list(50) });
  });

  router.get('/api/v1/imports/:id', admin, async (req, res) => {
    res.json(await imports.get(String(req.params.id)));
  });

  router.get('/api/v1/imports/:id/errors', admin, async (req, res) => {
    const query = validate(errorsQuery, req.query);
    res.json(await imports.errors(String(req.params.id), query.after_line, query.limit));
  });

  return router;
}
