import { startTestServer, type TestServer } from '../test/support/test-server.ts';

const ALWAYS = [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }];

export interface FunnelBenchResult {
  invitations: number;
  events: number;
  rollupRows: number;
  waveSeconds: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  /** Same run: a bare count(*) over the campaign's invitations. */
  baselineP50: number;
  /** Same run: the stage counts computed live from the invitations, without the rollups (one run). */
  liveMs: number;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Moves a 1M-invitation wave through the funnel in bulk statements (through the rollup trigger), spread over 14
 * days: 99% sent, 40% clicked, 30% started, 25% enrolled, 20% verified, reminders, bounces, failures and expiry.
 */
async function playFunnel(server: TestServer, waveId: string): Promise<void> {
  const step = async (what: string, sql: string) => {
    const started = performance.now();
    await server.query(sql, [waveId]);
    process.stderr.write(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  };
  // Each invitation's fate from its rank: r = rank % 100.
  await step('sent', `WITH s AS (UPDATE invitations SET state = 'sent', sent_at = now() - ((rank % 14) || ' days')::interval - interval '1 hour'
      WHERE wave_id = $1 AND rank % 100 < 99 RETURNING *)
    INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, mail, at) SELECT 'sent', user_id, id, wave_id, campaign_id, 'invitation', sent_at FROM s`);
  await step('bounced, failed', `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, at)
    SELECT CASE WHEN rank % 1000 < 995 THEN 'bounced' ELSE 'failed' END, user_id, id, wave_id, campaign_id, now() - ((rank % 14) || ' days')::interval
    FROM invitations WHERE wave_id = $1 AND rank % 100 = 99`);
  const later = (stage: string, cut: number, extra: string, hours: number) => step(stage, `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail, detail, at)
    SELECT '${stage}', user_id, id, wave_id, campaign_id, ${extra}, sent_at + ((${hours} + rank % 47) || ' hours')::interval
    FROM invitations WHERE wave_id = $1 AND rank % 100 < ${cut}`);
  const method = "CASE WHEN rank % 3 = 0 THEN 'totp' ELSE 'passkey' END";
  const mail = "CASE WHEN rank % 5 < 3 THEN 'invitation' WHEN rank % 5 = 3 THEN 'reminder_1' ELSE 'reminder_2' END";
  const platform = "jsonb_build_object('platform', (ARRAY['iOS','Android','Windows','macOS','Linux','ChromeOS','Other'])[1 + rank % 7])";
  await later('reminded', 60, `NULL, 'reminder_1', NULL`, 48);
  await later('clicked', 40, `NULL, ${mail}, NULL`, 1);
  await later('started', 30, `${method}, ${mail}, NULL`, 1);
  await later('enrolled', 25, `${method}, ${mail}, ${platform}`, 2);
  await later('verified', 20, `${method}, NULL, NULL`, 3);
  await step('expired', `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, at)
    SELECT 'expired', user_id, id, wave_id, campaign_id, sent_at + interval '72 hours' FROM invitations WHERE wave_id = $1 AND rank % 100 BETWEEN 25 AND 35`);
}

/** GET /api/v1/campaigns/:id/funnel on a campaign with `count` invitations: p50 goal under 100 ms. */
export async function funnelBench(count: number, requests = 200): Promise<FunnelBenchResult> {
  const server = await startTestServer();
  try {
    process.stderr.write(`seeding ${count.toLocaleString('en')} reset users…\n`);
    await server.query(
      `INSERT INTO users (legacy_id, email, path, locale, last_login_at)
       SELECT 'f-' || g, 'f' || g || '@example.com', 'reset', (ARRAY['en','de','fr','nl'])[1 + g % 4], now() - (g || ' minutes')::interval
       FROM generate_series(1, $1) g`, [count],
    );
    await server.query('ANALYZE users');
    const auth = `Bearer ${server.adminToken}`;
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', auth)
      .send({ name: 'bench', reminders_after_hours: [48], helpdesk: { capacity_per_hour: 20, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS } });
    if (campaign.status !== 201) throw new Error(campaign.text);
    const waveStarted = performance.now();
    const wave = await server.api.post(`/api/v1/campaigns/${campaign.body.id}/waves`).set('authorization', auth).send({ name: 'everyone', start_at: '2030-01-01T00:00:00Z' });
    const waveSeconds = (performance.now() - waveStarted) / 1000;
    if (wave.status !== 201) throw new Error(wave.text);
    process.stderr.write(`wave of ${wave.body.targeted.toLocaleString('en')} created in ${waveSeconds.toFixed(1)} s; playing the funnel…\n`);
    await playFunnel(server, wave.body.id);
    await server.query('VACUUM ANALYZE invitations');
    await server.query('VACUUM ANALYZE funnel_rollup');
    const [{ events }] = await server.query('SELECT count(*)::int AS events FROM funnel_events');
    const [{ rows: rollupRows }] = await server.query('SELECT count(*)::int AS rows FROM funnel_rollup');

    const path = `/api/v1/campaigns/${campaign.body.id}/funnel`;
    for (let i = 0; i < 10; i++) await server.api.get(path).set('authorization', auth); // warm up
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const response = await server.api.get(path).set('authorization', auth);
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(response.text);
      if (i === 0) process.stderr.write(`funnel: ${JSON.stringify(response.body.stages.map((s: { users: number }) => s.users))}\n`);
    }
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await server.query('SELECT count(*) FROM invitations WHERE campaign_id = $1', [campaign.body.id]);
      baseline.push(performance.now() - started);
    }
    const liveStarted = performance.now();
    await server.query(
      `SELECT count(DISTINCT user_id), count(DISTINCT user_id) FILTER (WHERE sent_at IS NOT NULL), count(DISTINCT user_id) FILTER (WHERE clicked_at IS NOT NULL)
       FROM invitations WHERE campaign_id = $1`, [campaign.body.id],
    );
    const liveMs = performance.now() - liveStarted;
    times.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    return {
      invitations: wave.body.targeted, events, rollupRows, waveSeconds, requests,
      p50: round(percentile(times, 0.5)), p90: round(percentile(times, 0.9)), p99: round(percentile(times, 0.99)),
      baselineP50: round(percentile(baseline, 0.5)), liveMs: Math.round(liveMs),
    };
  } finally {
    await server.close();
  }
}
