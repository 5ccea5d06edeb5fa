import { randomBytes } from 'node:crypto';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import type { Db } from '../storage/db.ts';
import type { Logger } from '../observability/logger.ts';
import type { QueueSystem } from '../queue/queue-system.ts';
import type { CampaignInput } from './campaign-types.ts';
import { SendBucket } from './send-bucket.ts';
import { loadContactCounts, throttleState, type ThrottleState } from './throttle-state.ts';
import { releaseDueMail, sweepLostSends } from './release-due-mail.ts';
import { ConnectionWatch, isConnectionError } from '../observability/connection-watch.ts';

export interface DispatcherOptions {
  prefix: string;
  /**
   * How often the dispatcher releases paced mail.
   * @defaultValue 50
   */
  tickMs?: number;
  /**
   * How long the campaign list and the learned contact rates are reused before they are read again.
   * @defaultValue 2000
   */
  refreshMs?: number;
  /** Tests and benchmarks can turn pacing off: every due mail is released at once. */
  unthrottled?: boolean;
  /**
   * A released mail still unsent after this long is put on the queue again (its job may have been lost with
   * Redis). A job that is merely slow is not sent twice: the job id is the same.
   * @defaultValue 60000
   */
  lostAfterMs?: number;
}

interface ActiveCampaign extends Pick<CampaignInput, 'helpdesk' | 'max_per_hour'> {
  id: string;
  throttle: ThrottleState;
}

const LOCK_TTL_MS = 5_000;
const LOCK_RENEW_MS = 1_000;

const MAX_RELEASE = 500;
// Mails released but not yet sent, across campaigns: keeps the send queue short, so that a pause or a cancel
// takes effect on what is still in Postgres rather than on a long queue in Redis.
const MAX_IN_FLIGHT = 1000;

/**
 * Releases invitations and reminders to the send queue at each campaign's rate. One dispatcher runs at a time
 * across all worker processes (a lock in the short-lived store that a dead process loses within seconds). Everything it decides
 * from is in Postgres: after a Redis restart it carries on, and a sweep re-queues sends whose jobs were lost.
 */
export class InvitationDispatcher {
  private readonly bucket: SendBucket;
  private readonly owner = randomBytes(8).toString('hex');
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private campaigns: ActiveCampaign[] = [];
  private refreshedAt = 0;
  private sweptAt = 0;
  private lockHeld = false;
  private lockCheckAt = 0;
  private backgroundWork: Promise<void> | undefined;

  private readonly storeWatch: ConnectionWatch;

  constructor(private readonly db: Db, private readonly store: ShortLivedStore, private readonly queues: QueueSystem, private readonly logger: Logger, private readonly options: DispatcherOptions) {
    this.storeWatch = new ConnectionWatch(logger, 'the dispatcher\'s lock and token bucket', '');
    this.bucket = new SendBucket(store, options.prefix);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 50);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.backgroundWork;
    await this.store.deleteIfValue(this.lockKey, this.owner).catch(() => undefined);
  }

  private get lockKey(): string {
    return `${this.options.prefix}:dispatcher-lock`;
  }

  /** Forces the next tick to re-read campaigns and rates (after a wave or setting changed). */
  refreshSoon(): void {
    this.refreshedAt = 0;
    this.lockCheckAt = 0;
  }

  /**
   * Releases what the buckets allow. Only the release itself is on the tick's path: the lock is renewed once a
   * second, and re-reading campaigns and sweeping lost sends run beside it, so that a late tick does not waste
   * the tokens the bucket could not keep.
   */
  async tick(now = Date.now()): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      if (now >= this.lockCheckAt) {
        this.lockHeld = await this.holdLock();
        this.lockCheckAt = now + LOCK_RENEW_MS;
      }
      this.storeWatch.back();
      if (!this.lockHeld) return;
      this.background(now);
      if (this.campaigns.length === 0) return;
      const { rows: [flight] } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM invitations WHERE pending_mail IS NOT NULL');
      let room = Math.min(MAX_RELEASE, MAX_IN_FLIGHT - flight!.n);
      for (const campaign of this.campaigns) {
        if (room <= 0) break;
        room -= await this.dispatch(campaign, now, room);
      }
    } catch (error) {
      // It ticks every DISPATCH_INTERVAL_MS: a store that is away is logged once (and once when it is back), not per tick.
      if (isConnectionError(error)) this.storeWatch.lost(error);
      else this.logger.error({ err: error }, 'dispatcher tick failed');
    } finally {
      this.running = false;
    }
  }

  private background(now: number): void {
    if (this.backgroundWork) return;
    const lostAfterMs = this.options.lostAfterMs ?? 60_000;
    const refresh = now - this.refreshedAt > (this.options.refreshMs ?? 2000);
    const sweep = now - this.sweptAt > lostAfterMs / 2;
    if (!refresh && !sweep) return;
    if (sweep) this.sweptAt = now;
    this.backgroundWork = (async () => {
      if (refresh) await this.refresh(now);
      if (sweep) {
        const requeued = await sweepLostSends(this.db, this.queues, lostAfterMs);
        if (requeued > 0) this.logger.warn({ requeued }, 're-queued sends whose jobs were lost');
      }
    })().catch((error: unknown) => this.logger.error({ err: error }, 'dispatcher refresh failed')).finally(() => { this.backgroundWork = undefined; });
  }

  private async holdLock(): Promise<boolean> {
    return this.store.claim(this.lockKey, this.owner, LOCK_TTL_MS);
  }

  private async refresh(now: number): Promise<void> {
    this.refreshedAt = now;
    await this.db.query("UPDATE waves SET state = 'running', started_at = now() WHERE state = 'scheduled' AND start_at <= now()");
    await this.db.query(
      `UPDATE waves w SET state = 'completed', completed_at = now() WHERE w.state = 'running'
       AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.wave_id = w.id AND i.state IN ('queued', 'sending'))`,
    );
    const { rows } = await this.db.query<{ id: string; helpdesk: CampaignInput['helpdesk']; max_per_hour: number | null }>(
      // Both probes ride partial indexes, so a completed wave of a million rows costs nothing here.
      `SELECT c.id, c.helpdesk, c.max_per_hour FROM campaigns c WHERE c.state = 'active' AND (
         EXISTS (SELECT 1 FROM waves w JOIN invitations i ON i.wave_id = w.id AND i.state = 'queued'
                 WHERE w.campaign_id = c.id AND w.state = 'running')
         OR EXISTS (SELECT 1 FROM invitations i WHERE i.campaign_id = c.id AND i.state = 'sent' AND i.next_reminder_at IS NOT NULL))`,
    );
    const counts = await loadContactCounts(this.db, rows.map((r) => r.id));
    this.campaigns = rows.map((row) => ({ ...row, throttle: throttleState(row, counts.get(row.id), new Date(now)) }));
  }

  private async dispatch(campaign: ActiveCampaign, now: number, room: number): Promise<number> {
    if (this.options.unthrottled) return releaseDueMail(this.db, this.queues, campaign.id, room);
    if (campaign.throttle.holding || campaign.throttle.ratePerHour <= 0) return 0;
    // Burst of one tick's worth (at least one mail): in any minute at most ceil(rate/60) + 1 go out.
    const capacity = Math.max(1, (campaign.throttle.ratePerHour * (this.options.tickMs ?? 50)) / 3_600_000);
    const allowed = await this.bucket.take(campaign.id, campaign.throttle.ratePerHour, capacity, room, now);
    if (allowed === 0) return 0;
    const released = await releaseDueMail(this.db, this.queues, campaign.id, allowed);
    await this.bucket.refund(campaign.id, allowed - released, capacity);
    return released;
  }
}
