import type { Db } from '../storage/db.ts';
import type { QueueSystem } from '../queue/queue-system.ts';

/** One job per invitation, mail and attempt: a duplicate add is dropped, a retry after a failure is not. */
export function sendJobId(invitationId: string | number, mail: string, attempts: number): string {
  return `send-${invitationId}-${mail}-${attempts}`;
}

/**
 * Marks up to `limit` due mails of a campaign as pending and puts them on the send queue: reminders first, then
 * queued invitations in wave order and rank. Only waves that are running (or completed, for reminders) take part,
 * so a pause stops new sends within one tick.
 */
export async function releaseDueMail(db: Db, queues: QueueSystem, campaignId: string, limit: number): Promise<number> {
  const { rows } = await db.query<{ id: string; pending_mail: string; attempts: number }>(
    `WITH reminders AS (
       SELECT i.id, 'reminder_' || (i.reminders_sent + 1) AS mail, 0 AS priority, i.next_reminder_at AS sort_at, 0 AS rank
         FROM invitations i JOIN waves w ON w.id = i.wave_id
        WHERE i.campaign_id = $1 AND i.state = 'sent' AND i.pending_mail IS NULL AND i.next_reminder_at <= now()
          AND w.state IN ('running', 'completed')
        ORDER BY i.next_reminder_at LIMIT $2 FOR UPDATE OF i SKIP LOCKED),
     invitations_due AS (
       SELECT i.id, 'invitation' AS mail, 1 AS priority, w.created_at AS sort_at, i.rank
         FROM invitations i JOIN waves w ON w.id = i.wave_id
        WHERE i.campaign_id = $1 AND i.state = 'queued' AND w.state = 'running' AND (i.not_before IS NULL OR i.not_before <= now())
        ORDER BY w.created_at, i.rank LIMIT $2 FOR UPDATE OF i SKIP LOCKED),
     due AS (
       SELECT id, mail FROM (SELECT * FROM reminders UNION ALL SELECT * FROM invitations_due) d
        ORDER BY priority, sort_at, rank LIMIT $2)
     UPDATE invitations i SET pending_mail = due.mail, pending_since = now(), state = CASE WHEN i.state = 'queued' THEN 'sending' ELSE i.state END
       FROM due WHERE i.id = due.id
     RETURNING i.id, i.pending_mail, i.attempts`,
    [campaignId, limit],
  );
  await queues.addBulk('invitations.send', rows.map((row) => ({
    data: { invitationId: String(row.id), mail: row.pending_mail },
    jobId: sendJobId(row.id, row.pending_mail, row.attempts),
  })));
  return rows.length;
}

/** Sends marked pending longer ago than `lostAfterMs` whose job is gone (Redis flushed, say) go on the queue again. */
export async function sweepLostSends(db: Db, queues: QueueSystem, lostAfterMs = 60_000): Promise<number> {
  const { rows } = await db.query<{ id: string; pending_mail: string; attempts: number }>(
    `SELECT id, pending_mail, attempts FROM invitations
     WHERE pending_mail IS NOT NULL AND pending_since < now() - make_interval(secs => $1::float8 / 1000) LIMIT 10000`,
    [lostAfterMs],
  );
  await queues.addBulk('invitations.send', rows.map((row) => ({
    data: { invitationId: String(row.id), mail: row.pending_mail },
    jobId: sendJobId(row.id, row.pending_mail, row.attempts),
  })));
  return rows.length;
}
