import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { createApp } from '../src/app.ts';
import { pruneAuditLog } from '../src/audit/prune-audit-log.ts';
import { discoverRoutes } from './support/discover-routes.ts';
import { addStaff, codeFor, finishSetup, signedInStaff, signIn } from './support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';
import { ALWAYS_STAFFED } from './support/invite.ts';


/**
 * Writes that are not audited, and why. Everything else that is not a GET must leave an audit entry.
 */
const NOT_AUDITED: Record<string, string> = {
  'POST /api/v1/verify': 'a sign-in check, not a change by staff: each attempt is a row in verification_events',
  'POST /hooks/okta/password-import': 'an end user\'s sign-in step through Okta, like POST /api/v1/verify: a verification_events row',
  'POST /hooks/kratos/password-migration': 'an end user\'s sign-in step through Kratos, like POST /api/v1/verify: a verification_events row',
  'POST /hooks/keycloak/users/:username': 'an end user\'s sign-in step through Keycloak, like POST /api/v1/verify: a verification_events row',
  'POST /hooks/fusionauth/connector': 'an end user\'s sign-in step through FusionAuth, like POST /api/v1/verify: a verification_events row',
  'POST /hooks/cognito/user-migration': 'an end user\'s sign-in (or forgot-password) step through Cognito, like POST /api/v1/verify: a verification_events row or the hand-over on the user',
  'POST /api/v1/campaigns/:id/waves/preview': 'reads only: counts and samples a cohort',
  'POST /console/login': 'audited as staff.login by the scenario below once the code is right (a wrong one as staff.login_failed)',
};
// Signed webhooks from help desks and mail providers: machine input, each kept as a row of its own (helpdesk_tickets,
// mail_events) with the desk or provider named; no staff member or API token acts.
for (const route of ['POST /hooks/helpdesk/zendesk', 'POST /hooks/helpdesk/jira', 'POST /hooks/helpdesk/helpscout', 'POST /hooks/helpdesk/intercom',
  'POST /hooks/helpdesk/generic', 'POST /hooks/mail/ses', 'POST /hooks/mail/sendgrid', 'POST /hooks/mail/postmark', 'POST /hooks/mail/mailgun']) {
  NOT_AUDITED[route] = 'a signed webhook: each ticket is a helpdesk_tickets row, each mail event a mail_events row';
}
// The end user's own re-enrolment and sign-in: neither staff nor an API token. Their steps are funnel events and
// verification events, written with each change.
for (const route of ['POST /enrol/method', 'POST /enrol/passkey/options', 'POST /enrol/passkey/verify', 'POST /enrol/app', 'POST /enrol/recovery-codes', 'POST /enrol/new-link',
  'POST /signin', 'POST /signin/passkey/options', 'POST /signin/passkey/verify', 'POST /signin/password', 'POST /signin/recovery']) {
  NOT_AUDITED[route] = 'an end user\'s own enrolment or sign-in step (funnel_events, verification_events)';
}

type Scenario = { action: string; role: string; actor?: string; reason?: string; run: () => Promise<{ status: number; text: string }> };

describe('the audit trail: every staff action and every write through an API token', () => {
  let server: TestServer;
  let admin: string;
  let comms: string;
  let support: string;
  let staffAdmin: Awaited<ReturnType<typeof signedInStaff>>;
  let staffComms: Awaited<ReturnType<typeof signedInStaff>>;
  let staffSupport: Awaited<ReturnType<typeof signedInStaff>>;
  const users: Record<string, string> = {};

  before(async () => {
    server = await startTestServer();
    admin = `Bearer ${server.adminToken}`;
    comms = `Bearer ${await server.tokenFor('comms')}`;
    support = `Bearer ${await server.tokenFor('support')}`;
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `a-${i}`, email: `a${i}@example.com`, path: 'reset' }));
    const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl(rows));
    assert.equal(imported.body.imported, 12);
    for (const row of await server.query('SELECT id, legacy_id FROM users')) users[row.legacy_id] = row.id;
    staffAdmin = await signedInStaff(server, 'admin@audit.example', 'admin');
    staffComms = await signedInStaff(server, 'comms@audit.example', 'comms');
    staffSupport = await signedInStaff(server, 'support@audit.example', 'support');
  });
  after(() => server.close());

  const api = (method: 'post' | 'patch' | 'delete', path: string, token: string, body: object = {}) => server.api[method](path).set('authorization', token).send(body);
  const consoleForm = (who: { agent: ReturnType<typeof supertest.agent>; csrf: string }, path: string, fields: Record<string, unknown> = {}) => who.agent.post(path).type('form').send({ _csrf: who.csrf, ...fields });
  const campaignBody = { name: 'Audited', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [], methods: ['passkey'], max_per_hour: null, helpdesk: { capacity_per_hour: 10, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED } };
  const CAMPAIGN_FORM = { name: 'Audited form', capacity_per_hour: '20', contact_rate_percent: '5', max_per_hour: '', timezone: 'UTC', hours_days: ['1', '2', '3', '4', '5', '6', '7'], hours_start: '00:00', hours_end: '23:59', link_ttl_hours: '72', reminders: '', locale: 'en', methods: ['passkey'] };

  test('each write route leaves an entry with actor, role, action, target, IP and time (and the reason, where it takes one)', async () => {
    // Shared fixtures, made through the API as the scenarios need them.
    const ids = { campaign: '', wave: '' };
    const makeCampaign = async () => (await api('post', '/api/v1/campaigns', comms, campaignBody)).body.id as string;
    const makeWave = async (campaign: string, legacyIds: string[]) => {
      const created = await api('post', `/api/v1/campaigns/${campaign}/waves`, comms, { name: 'w', cohort: { legacy_ids: legacyIds } });
      assert.equal(created.status, 201, created.text);
      return created.body.id as string;
    };
    const liveLink = async (legacyId: string) => {
      await server.query("UPDATE invitations SET state = 'sent', sent_at = now(), expires_at = now() + interval '1 day' WHERE user_id = $1 AND state = 'queued'", [users[legacyId]]);
    };
    ids.campaign = await makeCampaign();
    ids.wave = await makeWave(ids.campaign, ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']);
    for (const id of ['a-2', 'a-3', 'a-4', 'a-5', 'a-6']) await liveLink(id);
    await api('post', `/api/v1/waves/${ids.wave}/pause`, comms);
    const newStaff = await addStaff(server, 'new@audit.example', 'support');

    const S: Record<string, Scenario> = {
      'POST /api/v1/imports': { action: 'import.run', role: 'admin', run: () => server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl([{ id: 'a-99', email: 'a99@example.com', path: 'reset' }])) },
      'POST /api/v1/tokens': { action: 'api_token.create', role: 'admin', run: () => api('post', '/api/v1/tokens', admin, { name: 'x', role: 'comms' }) },
      'DELETE /api/v1/tokens/:id': { action: 'api_token.revoke', role: 'admin', run: async () => api('delete', `/api/v1/tokens/${(await api('post', '/api/v1/tokens', admin, { name: 'y', role: 'comms' })).body.id}`, admin) },
      'POST /api/v1/staff': { action: 'staff.create', role: 'admin', run: () => api('post', '/api/v1/staff', admin, { email: 'api@audit.example', role: 'comms' }) },
      'POST /api/v1/staff/:id/disable': { action: 'staff.disable', role: 'admin', run: async () => api('post', `/api/v1/staff/${(await addStaff(server, 'gone@audit.example', 'comms')).id}/disable`, admin) },
      'POST /api/v1/campaigns': { action: 'campaign.create', role: 'comms', actor: 'test comms', run: () => api('post', '/api/v1/campaigns', comms, campaignBody) },
      'PATCH /api/v1/campaigns/:id': { action: 'campaign.update', role: 'comms', run: () => api('patch', `/api/v1/campaigns/${ids.campaign}`, comms, { name: 'Renamed' }) },
      'POST /api/v1/campaigns/:id/cancel': { action: 'campaign.cancel', role: 'comms', run: async () => api('post', `/api/v1/campaigns/${await makeCampaign()}/cancel`, comms) },
      'POST /api/v1/campaigns/:id/waves': { action: 'wave.create', role: 'comms', run: () => api('post', `/api/v1/campaigns/${ids.campaign}/waves`, comms, { name: 'w2', cohort: { legacy_ids: ['a-7'] } }) },
      'POST /api/v1/waves/:id/pause': { action: 'wave.pause', role: 'comms', run: async () => api('post', `/api/v1/waves/${await makeWave(ids.campaign, ['a-8'])}/pause`, comms) },
      'POST /api/v1/waves/:id/resume': { action: 'wave.resume', role: 'comms', run: () => api('post', `/api/v1/waves/${ids.wave}/resume`, comms) },
      'POST /api/v1/waves/:id/cancel': { action: 'wave.cancel', role: 'comms', run: async () => api('post', `/api/v1/waves/${await makeWave(ids.campaign, ['a-9'])}/cancel`, comms) },
      'POST /api/v1/support/contacts': { action: 'support.contact', role: 'support', run: () => api('post', '/api/v1/support/contacts', support, { login: 'a0@example.com', channel: 'phone' }) },
      'POST /api/v1/support/users/:id/resend-invitation': { action: 'support.invitation_resend', role: 'support', reason: 'reason 1', run: () => api('post', `/api/v1/support/users/${users['a-2']}/resend-invitation`, support, { reason: 'reason 1' }) },
      'POST /api/v1/support/users/:id/extend-link': { action: 'support.link_extend', role: 'support', reason: 'reason 2', run: () => api('post', `/api/v1/support/users/${users['a-3']}/extend-link`, support, { reason: 'reason 2', hours: 2 }) },
      'POST /api/v1/support/users/:id/contacts': { action: 'support.contact', role: 'support', reason: 'reason 3', run: () => api('post', `/api/v1/support/users/${users['a-0']}/contacts`, support, { reason: 'reason 3', channel: 'chat' }) },
      'POST /api/v1/support/users/:id/clear-lockout': { action: 'support.lockout_clear', role: 'support', reason: 'reason 4', run: () => api('post', `/api/v1/support/users/${users['a-0']}/clear-lockout`, support, { reason: 'reason 4' }) },
      'POST /api/v1/support/users/:id/reset-enrolment': { action: 'support.enrolment_reset', role: 'support', reason: 'reason 5', run: () => api('post', `/api/v1/support/users/${users['a-4']}/reset-enrolment`, support, { reason: 'reason 5' }) },
      'POST /api/v1/support/users/:id/lift-suppression': { action: 'support.suppression_lift', role: 'support', reason: 'reason 6', run: async () => {
        await server.query("INSERT INTO mail_suppressions (email, reason, provider) VALUES ('a11@example.com', 'bounced', 'ses')");
        return api('post', `/api/v1/support/users/${users['a-11']}/lift-suppression`, support, { reason: 'reason 6' });
      } },

      'POST /api/v1/exports/:target/confirm': { action: 'export.confirm', role: 'admin', run: () => api('post', '/api/v1/exports/keycloak/confirm', admin, { user_ids: [users['a-5']] }) },

      'POST /console/setup/:token': { action: 'staff.setup_complete', role: 'support', actor: 'new@audit.example', run: async () => { await finishSetup(supertest.agent(await server.url()), newStaff.setup_url); return { status: 303, text: '' }; } },
      'POST /console/logout': { action: 'staff.logout', role: 'comms', actor: 'leaving@audit.example', run: async () => {
        const leaving = await signedInStaff(server, 'leaving@audit.example', 'comms');
        return leaving.agent.post('/console/logout').type('form').send({ _csrf: leaving.csrf });
      } },
      'POST /console/staff': { action: 'staff.create', role: 'admin', actor: 'admin@audit.example', run: () => consoleForm(staffAdmin, '/console/staff', { email: 'form@audit.example', role: 'comms' }) },
      'POST /console/staff/:id/disable': { action: 'staff.disable', role: 'admin', actor: 'admin@audit.example', run: async () => consoleForm(staffAdmin, `/console/staff/${(await addStaff(server, 'gone2@audit.example', 'comms')).id}/disable`) },
      'POST /console/campaigns': { action: 'campaign.create', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, '/console/campaigns', CAMPAIGN_FORM) },
      'POST /console/campaigns/:id/settings': { action: 'campaign.update', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, `/console/campaigns/${ids.campaign}/settings`, CAMPAIGN_FORM) },
      'POST /console/campaigns/:id/cancel': { action: 'campaign.cancel', role: 'comms', actor: 'comms@audit.example', run: async () => consoleForm(staffComms, `/console/campaigns/${await makeCampaign()}/cancel`) },
      'POST /console/campaigns/:id/waves': { action: 'wave.create', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, `/console/campaigns/${ids.campaign}/waves`, { name: 'form wave', paths: 'reset', legacy_ids: 'a-10' }) },
      'POST /console/waves/:id/pause': { action: 'wave.pause', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, `/console/waves/${ids.wave}/pause`) },
      'POST /console/waves/:id/resume': { action: 'wave.resume', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, `/console/waves/${ids.wave}/resume`) },
      'POST /console/waves/:id/cancel': { action: 'wave.cancel', role: 'comms', actor: 'comms@audit.example', run: () => consoleForm(staffComms, `/console/waves/${ids.wave}/cancel`) },
      'POST /support/users/:id/resend-invitation': { action: 'support.invitation_resend', role: 'support', actor: 'support@audit.example', reason: 'console 1', run: () => consoleForm(staffSupport, `/support/users/${users['a-5']}/resend-invitation`, { reason: 'console 1' }) },
      'POST /support/users/:id/extend-link': { action: 'support.link_extend', role: 'support', actor: 'support@audit.example', reason: 'console 2', run: () => consoleForm(staffSupport, `/support/users/${users['a-6']}/extend-link`, { reason: 'console 2', hours: '3' }) },
      'POST /support/users/:id/contacts': { action: 'support.contact', role: 'support', actor: 'support@audit.example', reason: 'console 3', run: () => consoleForm(staffSupport, `/support/users/${users['a-1']}/contacts`, { reason: 'console 3', channel: 'email' }) },
      'POST /support/users/:id/clear-lockout': { action: 'support.lockout_clear', role: 'support', actor: 'support@audit.example', reason: 'console 4', run: () => consoleForm(staffSupport, `/support/users/${users['a-1']}/clear-lockout`, { reason: 'console 4' }) },
      'POST /support/users/:id/lift-suppression': { action: 'support.suppression_lift', role: 'support', actor: 'support@audit.example', reason: 'console 6', run: async () => {
        await server.query("INSERT INTO mail_suppressions (email, reason, provider) VALUES ('a11@example.com', 'complained', 'mailgun')");
        return consoleForm(staffSupport, `/support/users/${users['a-11']}/lift-suppression`, { reason: 'console 6' });
      } },
      'POST /support/users/:id/reset-enrolment': { action: 'support.enrolment_reset', role: 'support', actor: 'support@audit.example', reason: 'console 5', run: () => consoleForm(staffSupport, `/support/users/${users['a-1']}/reset-enrolment`, { reason: 'console 5', confirm: 'reset' }) },
    };

    const writes = discoverRoutes(createApp(server.container)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    const uncovered = writes.filter((w) => !(w in S) && !(w in NOT_AUDITED));
    assert.deepEqual(uncovered, [], `write routes with neither an audit scenario nor a reason in NOT_AUDITED (test/audit-trail.test.ts): ${uncovered.join(', ')}`);

    const failures: string[] = [];
    for (const write of writes.filter((w) => w in S)) {
      const scenario = S[write]!;
      const last = (await server.query('SELECT coalesce(max(id), 0)::bigint AS last FROM audit_log'))[0].last;
      const response = await scenario.run();
      if (response.status >= 400) {
        failures.push(`${write}: the scenario failed with ${response.status} ${response.text.slice(0, 200)}`);
        continue;
      }
      const entries = await server.query('SELECT actor, role, action, target, reason, ip, at FROM audit_log WHERE id > $1 AND action = $2', [last, scenario.action]);
      const entry = entries.at(-1);
      if (!entry) { failures.push(`${write}: no ${scenario.action} entry`); continue; }
      if (entry.role !== scenario.role) failures.push(`${write}: role ${entry.role}, expected ${scenario.role}`);
      if (!entry.actor || (scenario.actor && entry.actor !== scenario.actor)) failures.push(`${write}: actor ${entry.actor}, expected ${scenario.actor ?? 'someone'}`);
      if (!entry.target) failures.push(`${write}: no target`);
      if (!entry.ip) failures.push(`${write}: no IP`);
      if (!(entry.at instanceof Date) || Date.now() - entry.at.getTime() > 60_000) failures.push(`${write}: no recent time`);
      if (scenario.reason && entry.reason !== scenario.reason) failures.push(`${write}: reason ${entry.reason}, expected ${scenario.reason}`);
    }
    assert.deepEqual(failures, []);
  });

  test('a wrong then right staff sign-in is audited too', async () => {
    const created = await addStaff(server, 'login@audit.example', 'comms');
    const agent = supertest.agent(await server.url());
    const secret = await finishSetup(agent, created.setup_url);
    const [{ last }] = await server.query('SELECT coalesce(max(id), 0)::bigint AS last FROM audit_log');
    await signIn(agent, 'login@audit.example', '000000');
    assert.equal((await signIn(agent, 'login@audit.example', await codeFor(secret, 30))).status, 303);
    const actions = (await server.query('SELECT action, ip FROM audit_log WHERE id > $1 AND actor = $2 ORDER BY id', [last, 'login@audit.example']));
    assert.deepEqual(actions.map((a) => a.action), ['staff.login_failed', 'staff.login']);
    assert.ok(actions.every((a) => a.ip));
  });

  test('append only: the database refuses UPDATE and DELETE; only the retention job deletes, and only old entries', async () => {
    const refused = async (sql: string) => {
      await assert.rejects(server.query(sql), /append-only/);
      // Embedded mode: pglite-socket answers an error with an extra ReadyForQuery, which breaks the connection's next
      // query (electric-sql/pglite#958). Spend that query here.
      await server.query('SELECT 1').catch(() => undefined);
    };
    await refused("UPDATE audit_log SET reason = 'changed'");
    await refused('DELETE FROM audit_log');
    await server.query("INSERT INTO audit_log (actor, role, action, target, at) VALUES ('old', 'admin', 'test.old', 'x:1', now() - interval '401 days'), ('old', 'admin', 'test.recent', 'x:2', now() - interval '399 days')");
    const before = (await server.query('SELECT count(*)::int AS n FROM audit_log'))[0].n;
    assert.equal(await pruneAuditLog(server.container.db, server.container.config.AUDIT_RETENTION_DAYS), 1);
    assert.equal(server.container.config.AUDIT_RETENTION_DAYS, 400, 'the default');
    assert.equal((await server.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.old'"))[0].n, 0);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.recent'"))[0].n, 1);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM audit_log'))[0].n, before - 1);
    for (const method of ['put', 'patch', 'delete'] as const) {
      assert.equal((await server.api[method]('/api/v1/audit').set('authorization', admin)).status, 404, `no ${method} on the audit log`);
    }
  });

  test('/console/audit and GET /api/v1/audit filter by actor, action, target and date, a page at a time', async () => {
    await server.query(`INSERT INTO audit_log (actor, role, action, target, at)
      SELECT 'pager@example.com', 'support', 'test.page', 'user:p', now() - make_interval(mins => g) FROM generate_series(1, 60) g`);
    await server.query("INSERT INTO audit_log (actor, role, action, target, at) VALUES ('dated@example.com', 'admin', 'test.dated', 'x:9', '2026-01-15T12:00:00Z')");
    const get = (query: string) => server.api.get(`/api/v1/audit?${query}`).set('authorization', admin);
    const first = await get('actor=pager@example.com');
    assert.equal(first.body.entries.length, 50);
    const second = await get(`actor=pager@example.com&before=${first.body.next_before}`);
    assert.equal(second.body.entries.length, 10);
    assert.equal(second.body.next_before, null);
    assert.equal((await get('action=test')).body.entries.length, 50, '"test" is the family test.*');
    assert.equal((await get('action=test.dated')).body.entries.length, 1);
    assert.equal((await get('target=x:9')).body.entries[0].actor, 'dated@example.com');
    assert.equal((await get('from=2026-01-15&to=2026-01-15')).body.entries.length, 1);
    assert.equal((await get('from=2026-01-16&to=2026-01-20')).body.entries.filter((e: { action: string }) => e.action === 'test.dated').length, 0);
    const bad = await get('from=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.fields[0].field, 'from');
    assert.equal((await server.api.get('/api/v1/audit').set('authorization', support)).status, 403);

    const page = await staffAdmin.agent.get('/console/audit?actor=pager%40example.com');
    assert.equal(page.status, 200);
    assert.equal((page.text.match(/test\.page/g) ?? []).length, 50);
    assert.match(page.text, /Older entries/);
    const older = await staffAdmin.agent.get(/href="(\/console\/audit\?[^"]+)"[^>]*>Older entries/.exec(page.text)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    assert.equal((older.text.match(/test\.page/g) ?? []).length, 10);
    const dated = await staffAdmin.agent.get('/console/audit?action=test.dated&from=2026-01-01&to=2026-01-31');
    assert.match(dated.text, /dated@example\.com/);
    const badPage = await staffAdmin.agent.get('/console/audit?from=2026-13-45');
    assert.equal(badPage.status, 400);
    assert.match(badPage.text, /id="from-error"/);
    assert.equal((await staffSupport.agent.get('/console/audit')).status, 403);
  });
});
