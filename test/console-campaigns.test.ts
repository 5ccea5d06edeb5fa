import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signedInStaff } from './support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

const CAMPAIGN_FORM = {
  name: 'Spring re-enrolment', capacity_per_hour: '20', contact_rate_percent: '5', max_per_hour: '', timezone: 'Europe/London',
  hours_days: ['1', '2', '3', '4', '5'], hours_start: '09:00', hours_end: '17:00', link_ttl_hours: '72', reminders: '48, 96',
  locale: 'en', methods: ['passkey', 'totp'],
};

describe('console campaign and wave pages', () => {
  let server: TestServer;
  let comms: Awaited<ReturnType<typeof signedInStaff>>;
  before(async () => {
    server = await startTestServer();
    const users = Array.from({ length: 30 }, (_, i) => ({ id: `c-${i}`, email: `user${i}@${i % 2 ? 'example.com' : 'example.org'}`, last_login_at: new Date(Date.now() - i * 86_400_000).toISOString() }));
    const imported = await server.api.post('/api/v1/imports?default_path=reset').set('authorization', `Bearer ${server.adminToken}`)
      .set('content-type', 'application/x-ndjson').send(jsonl(users));
    assert.equal(imported.body.imported, 30);
    comms = await signedInStaff(server, 'comms@example.com', 'comms');
  });
  after(() => server.close());
  const form = (path: string, fields: Record<string, unknown>) => comms.agent.post(path).type('form').send({ _csrf: comms.csrf, ...fields });

  test('a campaign is created from the form; bad fields are named beside their inputs', async () => {
    assert.match((await comms.agent.get('/console/campaigns')).text, /No campaigns yet/);
    assert.match((await comms.agent.get('/console/campaigns/new')).text, /name="hours_days" value="1" checked/);
    const bad = await form('/console/campaigns', { ...CAMPAIGN_FORM, capacity_per_hour: '0', timezone: 'Mars/Olympus', hours_end: '08:00' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /must be more than 0/);
    assert.match(bad.text, /must be an IANA time zone/);
    assert.match(bad.text, /end must be after start/);
    assert.match(bad.text, /value="Mars\/Olympus"/, 'what was sent is kept');

    const created = await form('/console/campaigns', CAMPAIGN_FORM);
    assert.equal(created.status, 303);
    const id = /^\/console\/campaigns\/([0-9a-f-]{36})$/.exec(created.headers.location!)![1]!;
    const page = await comms.agent.get(`/console/campaigns/${id}`);
    assert.match(page.text, /Campaign &quot;Spring re-enrolment&quot; created/);
    assert.match(page.text, /20 tickets an hour at the expected 5% contact rate is 400 invitations an hour, in staffed hours\./);
    assert.match(page.text, /Mon–Fri 09:00–17:00 \(Europe\/London\)/);
    assert.match(page.text, /reminders after 48, 96 hours/);
    const [campaign] = await server.query('SELECT helpdesk, reminders_after_hours, created_by FROM campaigns WHERE id = $1', [id]);
    assert.deepEqual(campaign.helpdesk, { capacity_per_hour: 20, contact_rate: 0.05, timezone: 'Europe/London', hours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] });
    assert.equal(campaign.created_by, 'comms@example.com');

    const saved = await form(`/console/campaigns/${id}/settings`, { ...CAMPAIGN_FORM, max_per_hour: '100', hours2_days: '6', hours2_start: '10:00', hours2_end: '13:00' });
    assert.equal(saved.status, 303);
    const after = await comms.agent.get(`/console/campaigns/${id}`);
    assert.match(after.text, /is 100 invitations an hour, capped at 100/);
    assert.match(after.text, /Mon–Fri 09:00–17:00; Sat 10:00–13:00/);
  });

  test('a wave: live preview on the API, created from the form, then paused, resumed and cancelled', async () => {
    const [{ id }] = await server.query("SELECT id FROM campaigns WHERE name = 'Spring re-enrolment'");
    const preview = await comms.agent.post(`/api/v1/campaigns/${id}/waves/preview`).set('x-csrf-token', comms.csrf)
      .send({ name: 'preview', cohort: { email_domains: ['example.com'] }, size: 10 });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.count, 10);
    const empty = await form(`/console/campaigns/${id}/waves`, { name: 'Nobody', paths: 'reset', email_domains: 'nomatch.example' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /matches no user who still needs an invitation/);

    const created = await form(`/console/campaigns/${id}/waves`, { name: 'Wave 1', paths: 'reset', email_domains: 'example.com', size: '10', last_login_after: '2000-01-01' });
    assert.equal(created.status, 303);
    const waveId = /^\/console\/waves\/([0-9a-f-]{36})$/.exec(created.headers.location!)![1]!;
    const [wave] = await server.query('SELECT targeted, cohort FROM waves WHERE id = $1', [waveId]);
    assert.equal(wave.targeted, 10);
    assert.deepEqual(wave.cohort, { paths: ['reset'], email_domains: ['example.com'], last_login_after: '2000-01-01T00:00:00Z' });

    const page = await comms.agent.get(`/console/waves/${waveId}`);
    assert.match(page.text, /Wave &quot;Wave 1&quot; created with 10 invitations/);
    assert.match(page.text, new RegExp(`data-wave-id="${waveId}"`));
    assert.match(page.text, /<script src="\/assets\/wave-status\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    const campaignPage = await comms.agent.get(`/console/campaigns/${id}`);
    assert.match(campaignPage.text, /<svg class="chart"/);
    assert.match(campaignPage.text, /10 invitations still to send/);

    assert.equal((await form(`/console/waves/${waveId}/pause`, {})).status, 303);
    assert.equal((await comms.agent.get(`/api/v1/waves/${waveId}`)).body.state, 'paused');
    assert.match((await comms.agent.get(`/console/waves/${waveId}`)).text, /action="\/console\/waves\/[^/]+\/resume"/);
    assert.equal((await form(`/console/waves/${waveId}/resume`, {})).status, 303);
    assert.equal((await form(`/console/waves/${waveId}/cancel`, { revoke_links: 'true' })).status, 303);
    assert.equal((await comms.agent.get(`/api/v1/waves/${waveId}`)).body.state, 'cancelled');
    const actions = (await server.query("SELECT action FROM audit_log WHERE actor = 'comms@example.com' AND target = $1 ORDER BY id", [`wave:${waveId}`])).map((r) => r.action);
    assert.deepEqual(actions, ['wave.create', 'wave.pause', 'wave.resume', 'wave.cancel']);
    assert.equal((await comms.agent.post(`/console/waves/${waveId}/pause`).type('form').send({})).status, 403, 'no CSRF token, no change');
  });

  test('support staff neither see nor change campaigns (the role matrix); the console sends them to /support', async () => {
    const support = await signedInStaff(server, 'support@example.com', 'support');
    const list = await support.agent.get('/console/campaigns');
    assert.equal(list.status, 403);
    assert.ok(!list.text.includes('href="/console/campaigns"'), 'no Campaigns link in their nav');
    const [{ id }] = await server.query("SELECT id FROM campaigns WHERE name = 'Spring re-enrolment'");
    assert.equal((await support.agent.get(`/console/campaigns/${id}`)).status, 403);
    assert.equal((await support.agent.post('/console/campaigns').type('form').send({ _csrf: support.csrf, ...CAMPAIGN_FORM })).status, 403);
    assert.equal((await support.agent.get('/console')).headers.location, '/support');
  });
});
