import { Router, type Response } from 'express';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../http/app-error.ts';
import { principalOf, requireRole } from '../http/authenticate.ts';
import { validate } from '../http/validate.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Queryable } from '../storage/db.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { confirmHandOff } from './confirm-hand-off.ts';
import { confirmBody, exportQuery, targetParams } from './export.schemas.ts';
import type { ExportTarget } from './export-user.ts';
import { streamExport, type LineSink } from './stream-export.ts';
import { TARGET_WRITERS } from './targets/index.ts';

export interface ExportRouteDeps {
  db: Queryable;
  box: SecretBox;
  tokens: ApiTokenService;
  /** BASE_URL's host: the RP ID of passkeys made before rp_id was recorded */
  baseUrlHost: string;
  /** the RP ID the target uses unless `?rp_id=` says otherwise (WEBAUTHN_RP_ID) */
  defaultRpId: string;
}

/** Exports hold every TOTP seed: a few at a time per process, so that a stuck client cannot pile them up. */
const MAX_RUNNING = 2;

/**
 * GET /api/v1/exports/:target (admin): the users cutover holds credentials for, in the target's import shapes, as
 * NDJSON (see stream-export.ts). POST /api/v1/exports/:target/confirm (admin): the target imported these users.
 * Both are audited.
 */
export function exportRoutes(deps: ExportRouteDeps): Router {
  const router = Router();
  let running = 0;

  router.get('/api/v1/exports/:target', requireRole(deps.tokens), async (req, res) => {
    const { target } = validate(targetParams, req.params) as { target: ExportTarget };
    const query = validate(exportQuery, req.query);
    const writer = TARGET_WRITERS[target];
    if (running >= MAX_RUNNING) throw new AppError('export_busy', `${MAX_RUNNING} exports are running; try again when one ends`, 429, { headers: { 'Retry-After': '30' } });
    const actor = principalOf(req);
    // Before the first secret leaves: who started which export, even if the process dies half way.
    await recordAudit(deps.db, { actor, action: 'export.started', target: `export:${target}`, ip: req.ip, details: { target, since: query.since ?? null } });
    running += 1;
    res.status(200).type('application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="cutover-export-${target}.ndjson"`);
    res.flushHeaders();
    const since = query.since ? new Date(query.since) : undefined;
    const rpId = query.rp_id ?? deps.defaultRpId;
    const audit = (details: Record<string, unknown>) => recordAudit(deps.db, { actor, action: 'export.run', target: `export:${target}`, ip: req.ip, details: { target, since: query.since ?? null, rp_id: rpId, ...details } });
    let summary;
    try {
      summary = await streamExport(deps.db, deps.box, writer, responseSink(res), {
        since, context: { baseUrlHost: deps.baseUrlHost, targetRpId: rpId, omit: query.omit },
      });
    } catch (error) {
      await audit({ completed: false, failed: true }).catch(() => undefined);
      throw error;
    } finally {
      running -= 1;
    }
    res.end();
    // Audited whether or not the client stayed to the end: it has read up to `users_read` users' records.
    await audit({
      completed: summary.completed, users_read: summary.users_read, users_exported: summary.users_exported,
      credentials: summary.credentials, refusals: summary.refusals.length,
    });
  });

  router.post('/api/v1/exports/:target/confirm', requireRole(deps.tokens), async (req, res) => {
    const { target } = validate(targetParams, req.params);
    const body = validate(confirmBody, req.body ?? {});
    const result = await confirmHandOff(deps.db, target, body.user_ids, body.logins);
    await recordAudit(deps.db, {
      actor: principalOf(req), action: 'export.confirm', target: `export:${target}`, ip: req.ip,
      details: { target, requested: body.user_ids.length + body.logins.length, matched: result.matched, handed_off: result.handed_off, already_handed_off: result.already_handed_off, unknown: result.unknown.length },
    });
    res.json({ target, ...result });
  });

  return router;
}

/** A client that takes nothing for this long has its export ended, so it does not hold one of the MAX_RUNNING slots. */
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * Writes with backpressure: waits for 'drain' when the socket's buffer is full, and answers false once it closed
 * or took nothing for DRAIN_TIMEOUT_MS (then the response is destroyed).
 */
function responseSink(res: Response): LineSink {
  return {
    write(text) {
      if (res.destroyed || res.writableEnded) return Promise.resolve(false);
      if (res.write(text)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          done(false);
          res.destroy();
        }, DRAIN_TIMEOUT_MS);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(ok);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        res.on('drain', onDrain);
        res.on('close', onClose);
      });
    },
  };
}
