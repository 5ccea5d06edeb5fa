import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { signedInStaff } from './support/staff-helpers.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { ALWAYS_STAFFED } from './support/invite.ts';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const utcDate = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Funnel, progress and /metrics against known numbers. Invitations move and funnel events are written with SQL
 * here (the enrolment flow is tested on its own); the rollups come from the real trigger, and the figures through
 * the real HTTP API, CSV and console pages.
 */
describe('funnel, progress and metrics', () => {
  let server: TestServer;
  let support: string;
  let campaignId: string;
  let wave1: string;
  let wave2: string;

  const admin = () => `Bearer ${server.adminToken}`;
  /** Writes `stage` for each listed user's latest invitation in one statement, with the given columns. */
  const events = (stage: string, legacyIds: string[], extra: { method?: string; mail?: string; platform?: string } = {}) => server.query(
    `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail, detail)
     SELECT $1, i.user_id, i.id, i.wave_id, i.campaign_id, $3, $4, $5
     FROM users u JOIN LATERAL (SELECT * FROM invitations WHERE user_id = u.id ORDER BY id DESC LIMIT 1) i ON true
     WHERE u.legacy_id = ANY($2)`,
    [stage, legacyIds, extra.method ?? null, extra.mail ?? null, extra.platform ? { platform: extra.platform } : null],
  );
  const invitations = (set: string, legacyIds: string[]) => server.query(
    `UPDATE invitations i SET ${set} FROM users u WHERE u.id = i.user_id AND u.legacy_id = ANY($1)
       AND i.id = (SELECT max(id) FROM invitations WHERE user_id = u.id)`, [legacyIds],
  );
  const createWave = async (name: string) => {
    const response = await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', admin()).send({ name, cohort: { paths: ['reset'] } });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; targeted: number };
  };

  before(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN } });
    support = `Bearer ${await server.tokenFor('support')}`;
    await server.query(
      `INSERT INTO users (legacy_id, email, path, locale, state, migrated_at)
       SELECT 'r' || g, 'r' || g || '@example.com', 'reset', CASE WHEN g < 6 THEN 'en' ELSE 'de' END, 'pending', null FROM generate_series(0, 9) g
       UNION ALL SELECT 'j' || g, 'j' || g || '@example.com', 'jit', 'en', CASE WHEN g < 3 THEN 'pending' ELSE 'migrated' END,
         CASE WHEN g < 3 THEN null ELSE now() - interval '2 days' END FROM generate_series(0, 4) g
       UNION ALL SELECT 'b' || g, 'b' || g || '@example.com', 'bulk_hash', 'en',
         CASE WHEN g < 4 THEN 'pending' WHEN g = 4 THEN 'migrated' ELSE 'disabled' END,
         CASE WHEN g = 4 THEN now() - interval '20 days' END FROM generate_series(0, 5) g`,
    );
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', admin()).send({
      name: 'Spring re-enrolment', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [48], methods: ['passkey', 'totp'], max_per_hour: null,
      helpdesk: { capacity_per_hour: 100, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED },
    });
    assert.equal(campaign.status, 201, campaign.text);
    campaignId = campaign.body.id;

    const first = await createWave('Wave 1');
    assert.equal(first.targeted, 10);
    wave1 = first.id;
    const sent = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    await invitations("state = 'sent', sent_at = now() - interval '5 hours'", ['r0', 'r1', 'r3', 'r5', 'r6']);
    await invitations("state = 'sent', sent_at = now() - interval '40 hours'", ['r2', 'r4', 'r7']);
    await events('sent', sent, { mail: 'invitation' });
    await invitations("state = 'bounced', bounced_at = now()", ['r8', 'r9']);
    await events('bounced', ['r8', 'r9']);
    await events('clicked', ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], { mail: 'invitation' });
    await events('clicked', ['r0'], { mail: 'invitation' }); // a second open: still one user
    await events('started', ['r0', 'r1', 'r2'], { method: 'passkey' });
    await events('started', ['r3', 'r4'], { method: 'totp' });
    await events('enrolled', ['r0', 'r1'], { method: 'passkey', mail: 'invitation', platform: 'iOS' });
    await events('enrolled', ['r2'], { method: 'passkey', mail: 'reminder_1', platform: 'Android' });
    await events('enrolled', ['r4'], { method: 'totp', mail: 'invitation', platform: 'Windows' });
    await invitations("state = 'enrolled', enrolled_at = now()", ['r0', 'r1', 'r2', 'r4']);
    await server.query("UPDATE users SET state = 'enrolled', enrolled_at = now() WHERE legacy_id IN ('r0', 'r1', 'r2', 'r4')");
    await events('verified', ['r0', 'r1'], { method: 'passkey' });
    await events('verified', ['r4'], { method: 'totp' });
    await events('reminded', ['r5', 'r6', 'r7'], { mail: 'reminder_1' });
    await events('reminded', ['r5'], { mail: 'reminder_2' });
    const contact = await server.api.post('/api/v1/support/contacts').set('authorization', support).send({ login: 'r6@example.com', channel: 'phone', note: 'what is this mail?' });
    assert.equal(contact.status, 201, contact.text);
    await invitations("state = 'expired', expired_at = now()", ['r7']);
    await events('expired', ['r7']);

    // r7 (expired) and r8, r9 (bounced) are invited again; r7's second mail must not count twice for the campaign.
    const second = await createWave('Wave 2');
    assert.equal(second.targeted, 3);
    wave2 = second.id;
    await invitations("state = 'sent', sent_at = now()", ['r7']);
    await events('sent', ['r7'], { mail: 'invitation' });

    await server.query(
      `INSERT INTO verification_events (path, outcome, legacy_called, at)
       VALUES ('jit', 'verified', true, now()), ('jit', 'verified', true, now()), ('jit', 'invalid_credentials', true, now()),
              ('bulk_hash', 'verified', false, now()), ('jit', 'verified', true, now() - interval '1 day'), ('jit', 'verified', true, now() - interval '1 day')`,
    );
  });
  after(() => server.close());

  test('the campaign funnel counts each user once per stage, across waves', async () => {
    const response = await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', support);
    assert.equal(response.status, 200, response.text);
    const funnel = response.body;
    assert.deepEqual(funnel.stages.map((s: { stage: string; users: number }) => [s.stage, s.users]),
      [['targeted', 10], ['sent', 8], ['clicked', 6], ['started', 5], ['enrolled', 4], ['verified', 3]]);
    assert.deepEqual(funnel.stages[1], { stage: 'sent', users: 8, conversion: 0.8, drop_off: 2, of_targeted: 0.8 });
    assert.equal(funnel.stages[4].conversion, 0.8);
    assert.deepEqual(funnel.outcomes, { bounced: 2, complained: 0, failed: 0, expired: 1, reminded: 3, contacted_support: 1, cancelled: 0, revoked: 0 });
    assert.deepEqual(funnel.methods, { passkey: 3, totp: 1 });
    assert.deepEqual(funnel.by_mail, { invitation: 3, reminder_1: 1 });
    assert.deepEqual(funnel.by_platform, { iOS: 2, Android: 1, Windows: 1 });
    assert.deepEqual(funnel.by_method, { passkey: { started: 3, enrolled: 3, verified: 2 }, totp: { started: 2, enrolled: 1, verified: 1 } });
    assert.deepEqual(funnel.time_to_enrol_hours, { p50: 5.05, p90: 40.05, resolution_hours: 0.1, users: 4 });
    assert.deepEqual(funnel.by_wave.map((w: { name: string; stages: Record<string, number> }) => [w.name, w.stages.targeted, w.stages.sent, w.stages.enrolled]),
      [['Wave 1', 10, 8, 4], ['Wave 2', 3, 1, 0]]);
    assert.deepEqual(funnel.by_locale.map((l: { key: string; stages: Record<string, number>; conversion: number }) => [l.key, l.stages.sent, l.stages.enrolled, l.conversion]),
      [['en', 6, 4, 0.6667], ['de', 2, 0, 0]]);
    assert.equal(funnel.over_time.length, 1);
    assert.deepEqual({ ...funnel.over_time[0] }, { date: utcDate(), targeted: 10, sent: 8, clicked: 6, started: 5, enrolled: 4, verified: 3, conversion: 0.5 });
  });

  test('a wave funnel counts that wave alone', async () => {
    const one = await server.api.get(`/api/v1/waves/${wave1}/funnel`).set('authorization', admin());
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.body.stages.map((s: { users: number }) => s.users), [10, 8, 6, 5, 4, 3]);
    assert.equal(one.body.scope.wave_name, 'Wave 1');
    const two = await server.api.get(`/api/v1/waves/${wave2}/funnel`).set('authorization', admin());
    assert.deepEqual(two.body.stages.map((s: { users: number }) => s.users), [3, 1, 0, 0, 0, 0]);
    assert.deepEqual(two.body.outcomes.expired, 0);
  });

  test('the rollups equal a rebuild from the events', async () => {
    const snapshot = () => server.query('SELECT * FROM funnel_rollup ORDER BY campaign_id, wave_id, stage, day, locale, method, mail, platform');
    const hours = () => server.query('SELECT * FROM funnel_enrol_hours ORDER BY campaign_id, wave_id, tenths');
    const [before, beforeHours] = [await snapshot(), await hours()];
    assert.ok(before.length > 10);
    await server.query('SELECT funnel_rollup_rebuild()');
    assert.deepEqual(await snapshot(), before);
    assert.deepEqual(await hours(), beforeHours);
  });

  test('the funnel as CSV holds the same figures', async () => {
    const response = await server.api.get(`/api/v1/campaigns/${campaignId}/funnel?format=csv`).set('authorization', support);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type']!, /^text\/csv/);
    assert.match(response.headers['content-disposition']!, /^attachment; filename="?funnel-campaign-/);
    const lines = response.text.split('\r\n');
    assert.equal(lines[0], 'section,key,name,metric,value');
    for (const line of ['stage,sent,,users,8', 'stage,sent,,conversion,0.8', 'outcome,bounced,,users,2', 'method,passkey,,enrolled,3',
      'by_mail,reminder_1,,enrolled,1', 'by_platform,iOS,,enrolled,2', 'time_to_enrol_hours,p50,,hours,5.05', `by_wave,${wave2},Wave 2,targeted,3`,
      'by_locale,de,,sent,2', `over_time,${utcDate()},,enrolled,4`]) {
      assert.ok(lines.includes(line), `CSV has ${line}`);
    }
  });

  test('funnel API: roles, unknown ids and bad input', async () => {
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const comms = `Bearer ${await server.tokenFor('comms')}`;
    assert.equal((await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`)).status, 401);
    assert.equal((await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', verifier)).status, 403);
    assert.equal((await server.api.get(`/api/v1/waves/${wave1}/funnel`).set('authorization', verifier)).status, 403);
    assert.equal((await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', comms)).status, 200);
    assert.equal((await server.api.get(`/api/v1/campaigns/${randomUUID()}/funnel`).set('authorization', comms)).status, 404);
    assert.equal((await server.api.get('/api/v1/campaigns/not-an-id/funnel').set('authorization', comms)).status, 404);
    assert.equal((await server.api.get(`/api/v1/waves/${randomUUID()}/funnel`).set('authorization', comms)).status, 404);
    const bad = await server.api.get(`/api/v1/campaigns/${campaignId}/funnel?format=xml`).set('authorization', comms);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.fields[0].field, 'format');
  });

  test('progress tells how far the migration is from switching off the legacy system', async () => {
    const response = await server.api.get('/api/v1/progress').set('authorization', support);
    assert.equal(response.status, 200, response.text);
    const p = response.body;
    assert.equal(p.users.total, 21);
    assert.deepEqual(p.users.by_path.reset, { pending: 6, migrated: 0, enrolled: 4, disabled: 0, total: 10 });
    assert.deepEqual(p.users.by_path.jit, { pending: 3, migrated: 2, enrolled: 0, disabled: 0, total: 5 });
    assert.deepEqual(p.users.by_path.bulk_hash, { pending: 4, migrated: 1, enrolled: 0, disabled: 1, total: 6 });
    assert.deepEqual(p.legacy_dependence, { jit_not_migrated: 3, bulk_hash_not_signed_in: 4, reset_not_enrolled: 6, total: 13 });
    assert.deepEqual(p.off_legacy, { users: 7, share: 0.35 });
    // 6 users moved off in the last 14 days (4 enrolled, 2 jit migrated; b4 migrated 20 days ago): 13 ÷ (6/14) → 31 days.
    assert.deepEqual(p.projection, { window_days: 14, moved_off: 6, per_day: 0.4, remaining: 13, days_left: 31, projected_date: utcDate(31) });
    assert.equal(p.legacy_verifications.days.length, 30);
    assert.deepEqual(p.legacy_verifications.days.at(-1), { date: utcDate(), legacy_calls: 3, verifications: 4 });
    assert.deepEqual(p.legacy_verifications.days.at(-2), { date: utcDate(-1), legacy_calls: 2, verifications: 2 });
    const desk = p.helpdesk.campaigns.find((c: { campaign_id: string }) => c.campaign_id === campaignId);
    assert.deepEqual(desk.days.at(-1), { date: utcDate(), contacts: 1, capacity: 2400 });
    assert.equal(desk.contacts, 1);

    const csv = await server.api.get('/api/v1/progress?format=csv').set('authorization', support);
    assert.match(csv.headers['content-type']!, /^text\/csv/);
    for (const line of ['users,jit,pending,3', 'legacy_dependence,total,users,13', 'off_legacy,all,share,0.35', `legacy_verifications,${utcDate()},legacy_calls,3`,
      `projection,legacy,projected_date,${utcDate(31)}`, `helpdesk:Spring re-enrolment,${utcDate()},contacts,1`]) {
      assert.ok(csv.text.split('\r\n').includes(line), `CSV has ${line}`);
    }
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    assert.equal((await server.api.get('/api/v1/progress').set('authorization', verifier)).status, 403);
    assert.equal((await server.api.get('/api/v1/progress')).status, 401);
  });

  test('/metrics needs the metrics token or an admin token, and speaks the Prometheus text format', async () => {
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const refused = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'r3@example.com', password: 'whatever-it-is' });
    assert.equal(refused.status, 401);

    assert.equal((await server.api.get('/metrics')).status, 401);
    assert.equal((await server.api.get('/metrics').set('authorization', 'Bearer wrong-token-wrong-token-wrong')).status, 401);
    assert.equal((await server.api.get('/metrics').set('authorization', support)).status, 403);
    assert.equal((await server.api.get('/metrics').set('authorization', admin())).status, 200);
    const response = await server.api.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type']!, /^text\/plain; version=0\.0\.4/);
    const text = response.text;
    assert.match(text, /^# TYPE cutover_verifications_total counter$/m);
    assert.match(text, /^cutover_verifications_total\{path="reset",outcome="refused_reset"\} 1$/m);
    assert.match(text, /^# TYPE cutover_legacy_call_duration_seconds histogram$/m);
    assert.match(text, /^cutover_invitations\{state="enrolled"\} 4$/m);
    assert.match(text, /^cutover_invitations\{state="bounced"\} 2$/m);
    assert.match(text, /^cutover_users\{path="jit",state="pending"\} 3$/m);
    assert.match(text, new RegExp(`^cutover_funnel_users\\{campaign="${campaignId}",stage="enrolled"\\} 4$`, 'm'));
    assert.match(text, /^cutover_queue_jobs\{queue="send",state="waiting"\} \d+$/m);
    for (const line of text.trimEnd().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [-+\d.eInfNa]+)$/, line);
  });

  test('console: the funnel and progress pages show the same figures, with charts, CSV and live refresh', async () => {
    const staff = await signedInStaff(server, 'desk@example.com', 'support');
    const page = await staff.agent.get(`/console/campaigns/${campaignId}/funnel`);
    assert.equal(page.status, 200, page.text);
    assert.doesNotMatch(page.headers['content-security-policy']!, /unsafe-inline/);
    assert.match(page.text, /<script src="\/assets\/live-refresh\.js\?v=[0-9a-f]+" defer><\/script>/);
    assert.doesNotMatch(page.text, /<script>|style="/);
    assert.match(page.text, /<tr data-stage="enrolled">\s*<td data-label="">enrolled<\/td>\s*<td data-label="Users" class="num" data-field="users">4<\/td>/);
    assert.match(page.text, /<svg class="chart chart-fluid chart-bars"[^>]*><title>Users reaching each stage<\/title>/);
    assert.match(page.text, /Enrolled so far ÷ sent so far/);
    assert.match(page.text, new RegExp(`href="/api/v1/campaigns/${campaignId}/funnel\\?format(=|&#x3D;)csv"`));
    assert.match(page.text, new RegExp(`<a href="/console/waves/${wave2}/funnel">Wave 2</a>`));
    assert.match(page.text, /<dd data-outcome="contacted_support">1<\/dd>/);

    const live = await staff.agent.get(`/console/campaigns/${campaignId}/funnel/live`);
    assert.equal(live.status, 200);
    assert.doesNotMatch(live.text, /<html|<head/);
    assert.match(live.text, /data-field="users">8</);

    const wavePage = await staff.agent.get(`/console/waves/${wave2}/funnel`);
    assert.equal(wavePage.status, 200);
    assert.match(wavePage.text, /<h1>Funnel: Wave 2<\/h1>/);
    assert.equal((await staff.agent.get(`/console/waves/${randomUUID()}/funnel`)).status, 404);

    assert.doesNotMatch(page.text, /href="\/console\/campaigns"/, 'support staff are not sent to the campaign pages they may not open');
    const comms = await signedInStaff(server, 'comms-lead@example.com', 'comms');
    const campaignPage = await comms.agent.get(`/console/campaigns/${campaignId}`);
    assert.match(campaignPage.text, new RegExp(`href="/console/campaigns/${campaignId}/funnel"`));
    const wavePageLink = await comms.agent.get(`/console/waves/${wave1}`);
    assert.match(wavePageLink.text, new RegExp(`href="/console/waves/${wave1}/funnel"`));
    assert.match((await comms.agent.get(`/console/waves/${wave1}/funnel`)).text, new RegExp(`<a href="/console/waves/${wave1}">Wave 1</a>`));

    const progress = await staff.agent.get('/console/progress');
    assert.equal(progress.status, 200);
    assert.match(progress.text, /<a href="\/console\/progress" aria-current="page">Progress<\/a>/);
    assert.match(progress.text, /data-field="dependent">13</);
    assert.match(progress.text, /data-field="off-share">35%</);
    assert.match(progress.text, new RegExp(`on <strong>${utcDate(31)}</strong>, in 31 days`));
    assert.match(progress.text, /href="\/api\/v1\/progress\?format=csv"/);
    assert.match(progress.text, /<title>Help-desk contacts a day against capacity: Spring re-enrolment<\/title>/);
    assert.equal((await staff.agent.get('/console/progress/live')).status, 200);
    const csv = await staff.agent.get('/api/v1/progress?format=csv');
    assert.equal(csv.status, 200, 'the CSV link works with the staff session');

    const signedOut = await server.api.get('/console/progress');
    assert.equal(signedOut.status, 303);
    assert.equal(signedOut.headers.location, '/console/login?next=%2Fconsole%2Fprogress');
  });

  test('concurrent writers of the same user\'s event count that user once', async () => {
    const contacted = async () => (await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', support)).body.outcomes.contacted_support;
    assert.equal(await contacted(), 1);
    // Eight transactions at once each record a contact for r9 and hold it open a moment; then one for r8 and r9 together.
    await Promise.all(Array.from({ length: 8 }, () => server.container.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id)
         SELECT 'contacted_support', i.user_id, i.id, i.wave_id, i.campaign_id FROM invitations i JOIN users u ON u.id = i.user_id
         WHERE u.legacy_id = 'r9' ORDER BY i.id DESC LIMIT 1`,
      );
      await sleep(30);
    })));
    await events('contacted_support', ['r8', 'r9']);
    assert.equal(await contacted(), 3);
    const [{ events: written }] = await server.query("SELECT sum(events)::int AS events FROM funnel_rollup WHERE stage = 'contacted_support'");
    assert.equal(written, 11, 'every event is still counted as an event');
  });

  test('a writer that waited counts the user once even when its event has the lower id', async (t) => {
    // The embedded database has one connection, so two transactions cannot interleave there; on PostgreSQL they do.
    if (server.container.db.embedded) return t.diagnostic('needs two connections');
    const contacted = async () => (await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', support)).body.outcomes.contacted_support;
    const before = await contacted();
    const [{ id: userId }] = await server.query("SELECT id FROM users WHERE legacy_id = 'r5'");
    const insert = `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id)
      SELECT 'contacted_support', user_id, id, wave_id, campaign_id FROM invitations WHERE user_id = $1 ORDER BY id DESC LIMIT 1`;
    const first = await server.container.db.connect();
    const second = await server.container.db.connect();
    try {
      // `first` holds r5's lock; `second` takes its event id, then waits in the trigger; `first` writes (a higher id) and commits.
      await first.query('BEGIN');
      await first.query('SELECT pg_advisory_xact_lock(74219006, hashtext($1::text))', [userId]);
      const waiting = second.query(insert, [userId]);
      await sleep(200);
      await first.query(insert, [userId]);
      await first.query('COMMIT');
      await waiting;
    } finally {
      first.release();
      second.release();
    }
    assert.equal(await contacted(), before + 1, 'r5 counts once');
  });
});
