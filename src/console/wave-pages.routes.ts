import { Router } from 'express';
import { principalOf } from '../http/authenticate.ts';
import type { WaveStatus } from '../campaigns/campaign-types.ts';
import { redirectWithFlash, renderPage, type ConsoleContext } from './console-context.ts';
import type { CampaignPagesDeps } from './campaign-pages.routes.ts';
import { requireStaff } from './require-staff.ts';

/** How far a wave has got: invitations no longer queued, of those it targeted. */
export function waveProgress(wave: Pick<WaveStatus, 'targeted' | 'queued'>): number {
  return wave.targeted > 0 ? Math.round(((wave.targeted - wave.queued) / wave.targeted) * 1000) / 10 : 0;
}

/** /console/waves/:id: live counts (public/wave-status.js polls the API) and pause, resume and cancel. */
export function wavePages(ctx: ConsoleContext, deps: CampaignPagesDeps): Router {
  const router = Router();
  const act = requireStaff('comms');

  router.get('/console/waves/:id', ...requireStaff('comms'), async (req, res) => {
    const wave = await deps.waves.get(String(req.params.id));
    const [campaign, contacts] = await Promise.all([deps.campaigns.get(wave.campaign_id), deps.recentContacts(wave.campaign_id, wave.id)]);
    const editable = req.staffSession!.principal.role !== 'support';
    await renderPage(ctx, req, res, 'wave', {
      title: wave.name, nav: 'campaigns', wave, campaign, contacts, progress: waveProgress(wave), canEdit: editable,
      canPause: wave.state === 'scheduled' || wave.state === 'running', canResume: wave.state === 'paused',
      canCancel: wave.state !== 'cancelled',
      scripts: editable ? ['wave-status.js'] : [],
    });
  });

  router.post('/console/waves/:id/pause', ...act, async (req, res) => {
    const wave = await deps.waves.pause(String(req.params.id), principalOf(req), req.ip);
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/waves/${wave.id}`, 'Wave paused: nothing more is sent until you resume it. Links already sent still work.');
  });

  router.post('/console/waves/:id/resume', ...act, async (req, res) => {
    const wave = await deps.waves.resume(String(req.params.id), principalOf(req), req.ip);
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/waves/${wave.id}`, 'Wave resumed.');
  });

  router.post('/console/waves/:id/cancel', ...act, async (req, res) => {
    const revoke = req.body?.revoke_links === 'true';
    const wave = await deps.waves.cancel(String(req.params.id), revoke, principalOf(req), req.ip);
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/waves/${wave.id}`, revoke
      ? 'Wave cancelled and its links revoked: invitations already sent no longer work.'
      : 'Wave cancelled: nothing more is sent. Links already sent still work.');
  });

  return router;
}
