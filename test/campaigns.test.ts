import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startWorkers, type Workers } from '../src/worker.ts';
import { expireInvitations } from '../src/campaigns/expire-invitations.ts';
import { enrolmentLink, SmtpSink } from './support/smtp-sink.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';
import { ALWAYS_STAFFED, waitFor } from './support/invite.ts';


describe('reset campaigns end to end, into a real SMTP server', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let comms: string;
  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({ env: { SMTP_URL: smtpUrl, ORG_NAME: 'Acme Bank', SUPPORT_EMAIL: 'help@acme.test', BASE_URL: 'https://id.acme.test' } });
    workers = await startWorkers(server.container);
    comms = `Bearer ${await server.tokenFor('comms')}`;
    const users = Array.from({ length: 30 }, (_, i) => ({
      id: `r-${i}`, email: `r${i}@example.com`, given_name: `User${i}`, path: 'reset',
      locale: i % 3 === 0 ? 'de' : i % 3 === 1 ? 'en' : 'pt', last_login_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    }));
    users.push({ id: 'hash-user', email: 'hash@example.com', given_name: 'H', path: 'jit', locale: 'en', last_login_at: '2026-03-01T00:00:00Z' });
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson').send(jsonl(users));
    assert.equal(imported.body.imported, 31);
    // r-0 tried to sign in and was refused as reset-path: the wave puts them first.
    await server.query("UPDATE users SET refused_signin_at = now() WHERE legacy_id = 'r-0'");
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const api = () => server.api;
  const post = (path: string, body: unknown, token = comms) => api().post(path).set('authorization', token).send(body as object);

  async function createCampaign(overrides: Record<string, unknown> = {}) {
    const response = await post('/api/v1/campaigns', {
      name: 'Spring re-enrolment', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [48, 120], methods: ['passkey', 'totp'], max_per_hour: null,
      helpdesk: { capacity_per_hour: 1800, contact_rate: 0.05, timezone: 'Europe/London', hours: ALWAYS_STAFFED }, ...overrides,
    });
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  test('a campaign answers its computed send rate and explains it', async () => {
    const campaign = await createCampaign();
    assert.equal(campaign.send_rate_per_hour, 36_000);
    assert.match(campaign.throttle_explanation, /1800 tickets an hour at the expected 5% contact rate is 36,000 invitations an hour/);
    const listed = await api().get('/api/v1/campaigns').set('authorization', comms);
    assert.ok(listed.body.campaigns.some((c: { id: string }) => c.id === campaign.id));
  });

  test('a wave targets the cohort in order, sends paced invitations with working links, then reminders and expiry', async () => {
    const campaign = await createCampaign();
    const preview = await post(`/api/v1/campaigns/${campaign.id}/waves/preview`, { name: 'w', cohort: { paths: ['reset'] }, size: 12 });
    assert.equal(preview.body.count, 12);
    assert.equal(preview.body.sample[0].legacy_id, 'r-0', 'refused sign-ins first');
    assert.equal(preview.body.sample[1].legacy_id, 'r-29', 'then the most recently active');
    assert.equal((await server.query('SELECT count(*)::int AS n FROM invitations')).at(0).n, 0, 'a preview writes nothing');

    const created = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'First wave', cohort: { paths: ['reset'] }, size: 12 });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.targeted, 12);
    assert.ok(created.body.warnings.some((w: string) => /locale "pt"/.test(w)), JSON.stringify(created.body.warnings));
    const rest = await post(`/api/v1/campaigns/${campaign.id}/waves/preview`, { name: 'w' });
    assert.equal(rest.body.count, 18, 'users holding a live invitation are left out');

    const wave = await waitFor('all 12 sent', async () => {
      const status = await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms);
      return status.body.sent === 12 && status.body;
    });
    assert.equal(wave.targeted, 12);
    const mails = smtp.mails.filter((m) => /^r\d+@/.test(m.to[0]!));
    assert.equal(mails.length, 12);
    const german = smtp.to('r0@example.com')[0]!;
    assert.match(german.body, /Acme Bank/);
    const { url, token } = enrolmentLink(german);
    assert.ok(url.startsWith('https://id.acme.test/enrol/'));
    const hash = createHash('sha256').update(token).digest('hex');
    const [stored] = await server.query('SELECT t.mail, i.state FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id WHERE t.token_hash = $1', [hash]);
    assert.deepEqual(stored, { mail: 'invitation', state: 'sent' });
    assert.equal((await server.query('SELECT 1 FROM invitation_tokens WHERE token_hash = $1', [token])).length, 0, 'the token itself is never stored');
    const events = await server.query("SELECT stage, count(*)::int AS n FROM funnel_events WHERE wave_id = $1 GROUP BY stage ORDER BY stage", [created.body.id]);
    assert.deepEqual(events, [{ stage: 'sent', n: 12 }, { stage: 'targeted', n: 12 }]);

    // Time passes: the first reminder falls due.
    await server.query("UPDATE invitations SET next_reminder_at = now() WHERE wave_id = $1", [created.body.id]);
    const reminded = await waitFor('reminders', async () => {
      const status = await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms);
      return status.body.reminders_sent === 12 && status.body;
    });
    assert.equal(reminded.reminders_sent, 12);
    const reminder = smtp.to('r0@example.com')[1]!;
    assert.notEqual(enrolmentLink(reminder).token, token, 'each mail has its own link');
    const [next] = await server.query("SELECT next_reminder_at - sent_at AS gap FROM invitations WHERE wave_id = $1 LIMIT 1", [created.body.id]);
    assert.equal(next.gap.hours ?? next.gap.days * 24, 120, 'the second reminder is due 120 h after the first mail');

    // The deadline passes with no reminder due first.
    await server.query("UPDATE invitations SET expires_at = now() - interval '1 second', next_reminder_at = NULL WHERE wave_id = $1", [created.body.id]);
    assert.equal(await expireInvitations(server.container.db), 12);
    const expired = await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms);
    assert.equal(expired.body.expired, 12);
  });

  test('pause stops sending within seconds, resume goes on, cancel withdraws the rest and can revoke links', async () => {
    const campaign = await createCampaign({ helpdesk: { capacity_per_hour: 180, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED } }); // 3,600/h: one a second
    const created = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'Slow wave', cohort: { paths: ['reset'] } });
    assert.equal(created.body.targeted, 30, 'the first wave expired, so its users can be invited again');
    await waitFor('two sent', async () => (await server.query("SELECT count(*)::int AS n FROM invitations WHERE wave_id = $1 AND sent_at IS NOT NULL", [created.body.id]))[0].n >= 2);
    const paused = await post(`/api/v1/waves/${created.body.id}/pause`, {});
    assert.equal(paused.body.state, 'paused');
    await sleep(1500);
    const sentAtPause = (await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms)).body.sent;
    await sleep(2500);
    assert.equal((await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms)).body.sent, sentAtPause, 'nothing is sent while paused');
    assert.equal((await post(`/api/v1/waves/${created.body.id}/resume`, {})).body.state, 'running');
    await waitFor('more sent after resume', async () => (await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms)).body.sent > sentAtPause);
    const cancelled = await post(`/api/v1/waves/${created.body.id}/cancel`, { revoke_links: true });
    assert.equal(cancelled.body.state, 'cancelled');
    assert.ok(cancelled.body.cancelled > 0);
    const states = await server.query("SELECT state, count(*)::int AS n FROM invitations WHERE wave_id = $1 GROUP BY state", [created.body.id]);
    assert.deepEqual(new Set(states.map((s) => s.state)), new Set(['cancelled', 'revoked']));
    const sentBefore = smtp.mails.length;
    await sleep(1500);
    assert.equal(smtp.mails.length, sentBefore, 'nothing more goes out after cancel');
  });

  test('a permanent SMTP refusal marks the invitation bounced; a temporary one is retried later', async () => {
    await server.query("UPDATE invitations SET state = 'expired' WHERE state IN ('sent', 'queued', 'sending')");
    smtp.reject = (to) => (to === 'r1@example.com' ? 'permanent' : to === 'r2@example.com' ? 'temporary' : null);
    const campaign = await createCampaign();
    const created = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'Bounces', cohort: { legacy_ids: ['r-1', 'r-2', 'r-4'] } });
    assert.equal(created.body.targeted, 3);
    await waitFor('bounce and retry recorded', async () => {
      const rows = await server.query("SELECT u.legacy_id, i.state, i.attempts FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.wave_id = $1 ORDER BY 1", [created.body.id]);
      return rows[0]?.state === 'bounced' && rows[1]?.attempts >= 1 && rows[2]?.state === 'sent' && rows;
    });
    smtp.reject = () => null;
    await server.query("UPDATE invitations SET not_before = now() WHERE wave_id = $1", [created.body.id]);
    const [retried] = await waitFor('the retry sent', async () => {
      const rows = await server.query("SELECT i.state FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.wave_id = $1 AND u.legacy_id = 'r-2'", [created.body.id]);
      return rows[0]?.state === 'sent' && rows;
    });
    assert.equal(retried.state, 'sent');
    const status = await api().get(`/api/v1/waves/${created.body.id}`).set('authorization', comms);
    assert.equal(status.body.bounced, 1);
  });

  test('support contacts count toward the campaign and its learned contact rate', async () => {
    const support = `Bearer ${await server.tokenFor('support')}`;
    const contact = await post('/api/v1/support/contacts', { login: 'r4@example.com', channel: 'phone', note: 'What is this mail?' }, support);
    assert.equal(contact.status, 201, contact.text);
    assert.ok(contact.body.campaign_id);
    const fresh = await api().get(`/api/v1/campaigns/${contact.body.campaign_id}`).set('authorization', comms);
    assert.equal(fresh.body.contact_rate_learned.contacts_last_hour, 1);
    assert.equal(fresh.body.contact_rate_learned.effective, 0.05, 'a contact about a mail sent minutes ago does not move the rate yet');
    // A day later the invitations are mature: the contact and the sends count.
    await server.query("UPDATE invitations SET sent_at = sent_at - interval '2 days' WHERE campaign_id = $1", [contact.body.campaign_id]);
    const campaign = await api().get(`/api/v1/campaigns/${contact.body.campaign_id}`).set('authorization', comms);
    assert.equal(campaign.body.contact_rate_learned.contacts, 1);
    assert.ok(campaign.body.contact_rate_learned.invitations_sent >= 2);
    assert.ok(campaign.body.contact_rate_learned.effective !== 0.05, JSON.stringify(campaign.body.contact_rate_learned));
    const unknown = await post('/api/v1/support/contacts', { login: 'nobody@example.com', channel: 'phone' }, support);
    assert.equal(unknown.status, 404);
    assert.equal((await post('/api/v1/support/contacts', { login: 'r4@example.com', channel: 'fax' }, support)).status, 400);
    assert.equal((await post('/api/v1/support/contacts', { login: 'r4@example.com', channel: 'phone' })).status, 403, 'comms may not record contacts');
  });

  test('bad input answers 400 with the field and the reason', async () => {
    const base = { name: 'x', helpdesk: { capacity_per_hour: 10, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED } };
    const cases: Array<[unknown, string]> = [
      [{ ...base, helpdesk: { ...base.helpdesk, hours: [{ days: [8], start: '09:00', end: '17:00' }] } }, 'helpdesk.hours.0.days.0'],
      [{ ...base, helpdesk: { ...base.helpdesk, hours: [{ days: [1], start: '25:00', end: '17:00' }] } }, 'helpdesk.hours.0.start'],
      [{ ...base, helpdesk: { ...base.helpdesk, hours: [{ days: [1], start: '17:00', end: '09:00' }] } }, 'helpdesk.hours.0.end'],
      [{ ...base, helpdesk: { ...base.helpdesk, contact_rate: 0 } }, 'helpdesk.contact_rate'],
      [{ ...base, helpdesk: { ...base.helpdesk, contact_rate: 1.5 } }, 'helpdesk.contact_rate'],
      [{ ...base, helpdesk: { ...base.helpdesk, timezone: 'Mars/Base' } }, 'helpdesk.timezone'],
    ];
    for (const [body, field] of cases) {
      const response = await post('/api/v1/campaigns', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.ok(response.body.fields.some((f: { field: string }) => f.field === field), `${field}: ${JSON.stringify(response.body.fields)}`);
    }
    assert.equal((await post('/api/v1/campaigns/00000000-0000-0000-0000-000000000000/waves', { name: 'w' })).status, 404);
    const campaign = await createCampaign();
    const empty = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'w', cohort: { legacy_ids: ['nobody'] } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.fields[0].field, 'cohort');
    const past = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'w', start_at: new Date(Date.now() - 5 * 60_000).toISOString() });
    assert.equal(past.status, 400);
    assert.equal(past.body.fields[0].field, 'start_at');
    await post(`/api/v1/campaigns/${campaign.id}/cancel`, {});
    const onCancelled = await post(`/api/v1/campaigns/${campaign.id}/waves`, { name: 'w' });
    assert.equal(onCancelled.status, 400);
    assert.equal(onCancelled.body.fields[0].field, 'campaign');
    assert.equal((await post('/api/v1/campaigns', base, `Bearer ${await server.tokenFor('support')}`)).status, 403);
  });
});
