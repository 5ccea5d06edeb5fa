import type { Db } from '../storage/db.ts';
import type { Principal } from '../http/roles.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError, NotFoundError } from '../http/app-error.ts';
import type { CampaignForecast, CampaignInput, CampaignView, Helpdesk } from './campaign-types.ts';
import { explainThrottle } from './send-rate.ts';
import { loadContactCounts, throttleState } from './throttle-state.ts';
import { forecastSending } from './forecast-sending.ts';
import { isUuid } from '../storage/is-uuid.ts';

interface CampaignRow extends CampaignInput {
  id: string;
  state: 'active' | 'cancelled';
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, locale, link_ttl_hours, reminders_after_hours, methods, max_per_hour, helpdesk, state, created_at, updated_at';

/** Campaigns: their settings, and the throttle those settings and the learned contact rate give. */
export class CampaignService {
  constructor(private readonly db: Db) {}

  async create(input: CampaignInput, actor: Principal, ip?: string): Promise<CampaignView> {
    const row = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<CampaignRow>(
        `INSERT INTO campaigns (name, locale, link_ttl_hours, reminders_after_hours, methods, max_per_hour, helpdesk, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [input.name, input.locale, input.link_ttl_hours, input.reminders_after_hours, input.methods, input.max_per_hour, input.helpdesk, actor.name],
      );
      await recordAudit(tx, { actor, action: 'campaign.create', target: `campaign:${rows[0]!.id}`, ip, details: { name: input.name } });
      return rows[0]!;
    });
    return (await this.views([row]))[0]!;
  }

  async list(): Promise<CampaignView[]> {
    const { rows } = await this.db.query<CampaignRow>(`SELECT ${COLUMNS} FROM campaigns ORDER BY created_at DESC`);
    return this.views(rows);
  }

  async get(id: string): Promise<CampaignView> {
    return (await this.views([await this.row(id)]))[0]!;
  }

  async row(id: string): Promise<CampaignRow> {
    if (!isUuid(id)) throw new NotFoundError('Campaign');
    const { rows } = await this.db.query<CampaignRow>(`SELECT ${COLUMNS} FROM campaigns WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFoundError('Campaign');
    return rows[0];
  }

  /** Changes settings. Running waves pick up a new capacity or rate within a minute (the dispatcher re-reads). */
  async update(id: string, patch: Partial<Omit<CampaignInput, 'helpdesk'>> & { helpdesk?: Partial<Helpdesk> }, actor: Principal, ip?: string): Promise<CampaignView> {
    const current = await this.row(id);
    if (current.state === 'cancelled') throw new AppError('campaign_cancelled', 'This campaign is cancelled; its settings can no longer change', 409);
    const next = { ...current, ...patch, helpdesk: { ...current.helpdesk, ...patch.helpdesk } };
    const row = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<CampaignRow>(
        `UPDATE campaigns SET name = $2, locale = $3, link_ttl_hours = $4, reminders_after_hours = $5, methods = $6, max_per_hour = $7,
                helpdesk = $8, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, next.name, next.locale, next.link_ttl_hours, next.reminders_after_hours, next.methods, next.max_per_hour, next.helpdesk],
      );
      await recordAudit(tx, { actor, action: 'campaign.update', target: `campaign:${id}`, ip, details: { changed: Object.keys(patch) } });
      return rows[0]!;
    });
    return (await this.views([row]))[0]!;
  }

  /** Cancels the campaign and withdraws every invitation not yet sent, in all its waves. */
  async cancel(id: string, actor: Principal, ip?: string): Promise<CampaignView> {
    await this.row(id);
    await this.db.transaction(async (tx) => {
      await tx.query("UPDATE campaigns SET state = 'cancelled', updated_at = now() WHERE id = $1", [id]);
      const { rows } = await tx.query<{ id: string }>("SELECT id FROM waves WHERE campaign_id = $1 AND state IN ('scheduled', 'running', 'paused')", [id]);
      for (const wave of rows) await cancelWaveInTransaction(tx, wave.id, false);
      await recordAudit(tx, { actor, action: 'campaign.cancel', target: `campaign:${id}`, ip });
    });
    return this.get(id);
  }

  async forecast(id: string): Promise<CampaignForecast> {
    const view = await this.get(id);
    const { rows } = await this.db.query<{ remaining: number }>(
      "SELECT count(*)::int AS remaining FROM invitations i JOIN waves w ON w.id = i.wave_id WHERE i.campaign_id = $1 AND i.state = 'queued' AND w.state IN ('scheduled', 'running', 'paused')",
      [id],
    );
    const remaining = rows[0]!.remaining;
    const { days, endDate } = forecastSending(view.helpdesk, new Date(), remaining, view.send_rate_per_hour, view.contact_rate_learned.effective);
    return { remaining, days, end_date: endDate };
  }

  private async views(rows: CampaignRow[]): Promise<CampaignView[]> {
    const counts = await loadContactCounts(this.db, rows.map((r) => r.id));
    return rows.map((row) => {
      const state = throttleState(row, counts.get(row.id));
      return {
        id: row.id, name: row.name, locale: row.locale, link_ttl_hours: row.link_ttl_hours, reminders_after_hours: row.reminders_after_hours,
        methods: row.methods, max_per_hour: row.max_per_hour, helpdesk: row.helpdesk, state: row.state,
        send_rate_per_hour: state.ratePerHour, contact_rate_learned: state.contactRate,
        throttle_explanation: explainThrottle(row.helpdesk, state.contactRate, state.ratePerHour, row.max_per_hour),
        holding: row.state === 'cancelled' ? 'the campaign is cancelled' : state.holding,
        created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString(),
      };
    });
  }
}

/** Withdraws what a wave has not sent; with `revokeLinks`, also kills links already mailed. Records each change. */
export async function cancelWaveInTransaction(tx: import('../storage/db.ts').Queryable, waveId: string, revokeLinks: boolean): Promise<void> {
  await tx.query("UPDATE waves SET state = 'cancelled', cancelled_at = now() WHERE id = $1 AND state IN ('scheduled', 'running', 'paused')", [waveId]);
  await tx.query(
    `WITH withdrawn AS (
       UPDATE invitations SET state = 'cancelled', cancelled_at = now(), pending_mail = NULL
       WHERE wave_id = $1 AND state IN ('queued', 'sending') RETURNING id, user_id, wave_id, campaign_id)
     INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id) SELECT 'cancelled', user_id, id, wave_id, campaign_id FROM withdrawn`,
    [waveId],
  );
  if (revokeLinks) {
    await tx.query(
      `WITH revoked AS (
         UPDATE invitations SET state = 'revoked', revoked_at = now(), pending_mail = NULL, next_reminder_at = NULL
         WHERE wave_id = $1 AND state = 'sent' RETURNING id, user_id, wave_id, campaign_id)
       INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id) SELECT 'revoked', user_id, id, wave_id, campaign_id FROM revoked`,
      [waveId],
    );
  }
}
