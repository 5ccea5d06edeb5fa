import { Router, type Request, type Response } from 'express';
import { principalOf } from '../http/authenticate.ts';
import { InvalidRequestError } from '../http/app-error.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import type { WaveService } from '../campaigns/wave.service.ts';
import { campaignFormValues, describeHours, readCampaignForm, readWaveForm, type FieldErrors } from './campaign-form.ts';
import { redirectWithFlash, renderPage, type ConsoleContext } from './console-context.ts';
import { renderForecastChart } from './forecast-chart.ts';
import { requireStaff } from './require-staff.ts';
import type { RecentContact } from '../support/recent-contacts.ts';
import type { FeedbackSummary } from '../feedback/feedback-summary.ts';

export interface CampaignPagesDeps {
  campaigns: CampaignService;
  waves: WaveService;
  /** Tells an in-process dispatcher to re-read waves and rates now. */
  onChange: () => void;
  /** The latest help-desk contacts about the campaign or one wave (listed with a link to the support page). */
  recentContacts: (campaignId: string, waveId?: string) => Promise<RecentContact[]>;
  /** Contacts by source, bounces and complaints by provider, and desk load from unknown addresses. */
  feedback: (campaignId: string) => Promise<FeedbackSummary>;
}

type Form = Record<string, unknown>;
const canEdit = (req: Request) => req.staffSession?.principal.role !== 'support';
const fieldsOf = (error: InvalidRequestError): FieldErrors => Object.fromEntries((error.options.fields ?? []).map((f) => [f.field.replace(/^cohort\./, ''), f.reason]));

/** The new-wave form as sent (after an error), or its defaults: reset-path users, no other filter. */
function waveFormValues(form: Form | undefined): Form {
  const paths = form ? [form.paths ?? []].flat() : ['reset'];
  return { ...form, reset: paths.includes('reset'), jit: paths.includes('jit'), bulk_hash: paths.includes('bulk_hash') };
}

/**
 * /console/campaigns: the list, a new campaign, and a campaign's page (throttle in words, forecast chart, waves,
 * a new wave with a live cohort count, settings). Comms and admins only (the role matrix: support sees funnel and
 * progress, not campaigns).
 */
export function campaignPages(ctx: ConsoleContext, deps: CampaignPagesDeps): Router {
  const router = Router();
  const look = requireStaff('comms');
  const act = requireStaff('comms');

  const showNew = (req: Request, res: Response, form: Form | null, errors: FieldErrors = {}, status = 200) =>
    renderPage(ctx, req, res, 'campaign-new', { title: 'New campaign', nav: 'campaigns', form: campaignFormValues(form), errors }, status);

  const showCampaign = async (req: Request, res: Response, options: { settings?: Form; settingsErrors?: FieldErrors; wave?: Form; waveErrors?: FieldErrors } = {}, status = 200) => {
    const campaign = await deps.campaigns.get(String(req.params.id));
    const [waves, forecast, contacts, feedback] = await Promise.all([deps.waves.listForCampaign(campaign.id), deps.campaigns.forecast(campaign.id), deps.recentContacts(campaign.id), deps.feedback(campaign.id)]);
    await renderPage(ctx, req, res, 'campaign', {
      title: campaign.name, nav: 'campaigns', campaign, waves, forecast, contacts, feedback, canEdit: canEdit(req), hours: describeHours(campaign.helpdesk.hours),
      active: campaign.state === 'active', chart: renderForecastChart(forecast), chartCut: forecast.days.length > 42,
      settings: campaignFormValues(options.settings ?? campaign), settingsErrors: options.settingsErrors ?? {},
      openSettings: Boolean(options.settingsErrors), wave: waveFormValues(options.wave), waveErrors: options.waveErrors ?? {},
      scripts: canEdit(req) ? ['wave-preview.js'] : [],
    }, status);
  };

  router.get('/console/campaigns', ...look, async (req, res) => {
    await renderPage(ctx, req, res, 'campaigns', { title: 'Campaigns', nav: 'campaigns', campaigns: await deps.campaigns.list(), canEdit: canEdit(req) });
  });

  router.get('/console/campaigns/new', ...act, async (req, res) => {
    await showNew(req, res, null);
  });

  router.post('/console/campaigns', ...act, async (req, res) => {
    const form = readCampaignForm(req.body ?? {});
    if ('errors' in form) return showNew(req, res, req.body, form.errors, 400);
    const campaign = await deps.campaigns.create(form.value, principalOf(req), req.ip);
    await redirectWithFlash(ctx, req, res, `/console/campaigns/${campaign.id}`, `Campaign "${campaign.name}" created. Add a wave to start sending.`);
  });

  router.get('/console/campaigns/:id', ...look, async (req, res) => {
    await showCampaign(req, res);
  });

  router.post('/console/campaigns/:id/settings', ...act, async (req, res) => {
    const form = readCampaignForm(req.body ?? {});
    if ('errors' in form) return showCampaign(req, res, { settings: req.body, settingsErrors: form.errors }, 400);
    const campaign = await deps.campaigns.update(String(req.params.id), form.value, principalOf(req), req.ip);
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/campaigns/${campaign.id}`, `Settings saved. ${campaign.throttle_explanation}.`);
  });

  router.post('/console/campaigns/:id/cancel', ...act, async (req, res) => {
    const campaign = await deps.campaigns.cancel(String(req.params.id), principalOf(req), req.ip);
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/campaigns/${campaign.id}`, 'Campaign cancelled: nothing more will be sent.');
  });

  router.post('/console/campaigns/:id/waves', ...act, async (req, res) => {
    const form = readWaveForm(req.body ?? {});
    if ('errors' in form) return showCampaign(req, res, { wave: req.body, waveErrors: form.errors }, 400);
    let wave;
    try {
      wave = await deps.waves.create(String(req.params.id), form.value, principalOf(req), req.ip);
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      return showCampaign(req, res, { wave: req.body, waveErrors: fieldsOf(error) }, 400);
    }
    deps.onChange();
    await redirectWithFlash(ctx, req, res, `/console/waves/${wave.id}`, `Wave "${wave.name}" created with ${wave.targeted.toLocaleString('en-GB')} invitations.`);
  });

  return router;
}
