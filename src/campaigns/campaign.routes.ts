import { Router } from 'express';
import { z } from 'zod';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { principalOf, requireRole } from '../http/authenticate.ts';
import { validate } from '../http/validate.ts';
import type { CampaignService } from './campaign.service.ts';
import type { WaveService } from './wave.service.ts';
import { campaignPatchSchema, campaignSchema, cancelWaveSchema, waveSchema } from './campaign.schemas.ts';
import { recordSupportContact } from '../support/support-contact.service.ts';
import type { Db } from '../storage/db.ts';

const contactSchema = z.object({
  login: z.string().trim().min(1).max(320).optional(),
  user_id: z.string().uuid('must be a user id').optional(),
  channel: z.enum(['phone', 'chat', 'email', 'other']),
  note: z.string().max(2000).optional(),
}).refine((c) => c.login || c.user_id, { message: 'give login or user_id', path: ['login'] });

/** Campaigns and waves (admin, comms) and help-desk contacts (support, admin): thin handlers over the services. */
export function campaignRoutes(campaigns: CampaignService, waves: WaveService, tokens: ApiTokenService, db: Db, onChange: () => void): Router {
  const router = Router();
  const comms = requireRole(tokens, 'comms');
  const param = (value: unknown) => String(value);

  router.post('/api/v1/campaigns', comms, async (req, res) => {
    res.status(201).json(await campaigns.create(validate(campaignSchema, req.body ?? {}), principalOf(req), req.ip));
  });
  router.get('/api/v1/campaigns', comms, async (_req, res) => {
    res.json({ campaigns: await campaigns.list() });
  });
  router.get('/api/v1/campaigns/:id', comms, async (req, res) => {
    const campaign = await campaigns.get(param(req.params.id));
    res.json({ ...campaign, waves: await waves.listForCampaign(campaign.id) });
  });
  router.patch('/api/v1/campaigns/:id', comms, async (req, res) => {
    const updated = await campaigns.update(param(req.params.id), validate(campaignPatchSchema, req.body ?? {}), principalOf(req), req.ip);
    onChange();
    res.json(updated);
  });
  router.post('/api/v1/campaigns/:id/cancel', comms, async (req, res) => {
    const campaign = await campaigns.cancel(param(req.params.id), principalOf(req), req.ip);
    onChange();
    res.json(campaign);
  });
  router.get('/api/v1/campaigns/:id/forecast', comms, async (req, res) => {
    res.json(await campaigns.forecast(param(req.params.id)));
  });
  router.post('/api/v1/campaigns/:id/waves/preview', comms, async (req, res) => {
    res.json(await waves.preview(param(req.params.id), validate(waveSchema, req.body ?? {})));
  });
  router.post('/api/v1/campaigns/:id/waves', comms, async (req, res) => {
    const wave = await waves.create(param(req.params.id), validate(waveSchema, req.body ?? {}), principalOf(req), req.ip);
    onChange();
    res.status(201).json(wave);
  });
  router.get('/api/v1/waves/:id', comms, async (req, res) => {
    res.json(await waves.get(param(req.params.id)));
  });
  router.post('/api/v1/waves/:id/pause', comms, async (req, res) => {
    const wave = await waves.pause(param(req.params.id), principalOf(req), req.ip);
    onChange();
    res.json(wave);
  });
  router.post('/api/v1/waves/:id/resume', comms, async (req, res) => {
    const wave = await waves.resume(param(req.params.id), principalOf(req), req.ip);
    onChange();
    res.json(wave);
  });
  router.post('/api/v1/waves/:id/cancel', comms, async (req, res) => {
    const body = validate(cancelWaveSchema, req.body ?? {});
    const wave = await waves.cancel(param(req.params.id), body.revoke_links, principalOf(req), req.ip);
    onChange();
    res.json(wave);
  });
  router.post('/api/v1/support/contacts', requireRole(tokens, 'support'), async (req, res) => {
    res.status(201).json(await recordSupportContact(db, validate(contactSchema, req.body ?? {}), principalOf(req), req.ip));
  });
  return router;
}
