import type { QueueSystem } from '../queue/queue-system.ts';
import { QUEUES } from '../queue/queue-names.ts';
import type { Queryable } from '../storage/db.ts';
import { family, type ProcessMetrics } from './metrics-registry.ts';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/**
 * The whole /metrics page: this process's counters, then gauges read now from Postgres (invitations by state,
 * users by path and state, funnel stage counts from the rollups) and from Redis (BullMQ queue depth).
 */
export async function collectMetrics(db: Queryable, queues: QueueSystem, metrics: ProcessMetrics): Promise<string> {
  const [invitations, users, funnel, depth] = await Promise.all([
    db.query<{ state: string; n: number }>('SELECT state, count(*)::float8 AS n FROM invitations GROUP BY 1 ORDER BY 1'),
    db.query<{ path: string; state: string; n: number }>('SELECT path, state, count(*)::float8 AS n FROM users GROUP BY 1, 2 ORDER BY 1, 2'),
    db.query<{ campaign_id: string; stage: string; n: number }>(
      'SELECT campaign_id::text, stage, sum(campaign_users)::float8 AS n FROM funnel_rollup GROUP BY 1, 2 ORDER BY 1, 2',
    ),
    Promise.all(Object.values(QUEUES).map(async (name) => ({ name, counts: await queues.queue(name).getJobCounts(...JOB_STATES) }))),
  ]);
  return metrics.render()
    + family('cutover_invitations', 'gauge', 'Invitations by state.', invitations.rows.map((r) => ({ labels: { state: r.state }, value: r.n })))
    + family('cutover_users', 'gauge', 'Users by migration path and state.', users.rows.map((r) => ({ labels: { path: r.path, state: r.state }, value: r.n })))
    + family('cutover_funnel_users', 'gauge', 'Distinct users who reached each funnel stage or outcome, by campaign.',
      funnel.rows.map((r) => ({ labels: { campaign: r.campaign_id, stage: r.stage }, value: r.n })))
    + family('cutover_queue_jobs', 'gauge', 'BullMQ jobs by queue and state (queue depth).',
      depth.flatMap(({ name, counts }) => JOB_STATES.map((state) => ({ labels: { queue: name, state }, value: counts[state] ?? 0 }))));
}
