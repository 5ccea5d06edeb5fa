import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';
import { ALWAYS_STAFFED } from './support/invite.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import { SECRETS, genericHook, helpscoutHook, intercomHook, jiraHook, zendeskEventHook, zendeskHook, type SignedHook } from './support/webhook-samples.ts';

/**
 * Help-desk tickets through the five signed endpoints, built from each desk's documented sample payload
 * (test/support/webhook-samples.ts names the sources): a ticket becomes a support contact on channel `ticket` and
 * feeds the throttle exactly as a contact recorded on the support page does.
 */
describe('help-desk tickets become contacts and feed the throttle', () => {
  let server: TestServer;
  let admin: string;
  const campaign = (name: string) => ({
    name, locale: 'en', link_ttl_hours: 72, reminders_after_hours: [], methods: ['passkey'], max_per_hour: null,
    helpdesk: { capacity_per_hour: 10, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED },
  });
  const send = (hook: SignedHook) => server.api.post(hook.path).set(hook.headers).send(hook.body);

  /** A campaign whose `count` invitees were mailed two days ago (old enough to count toward the learned rate). */
  async function mailedCampaign(prefix: string, count: number) {
    const users = Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, email: `${prefix}${i}@example.com`, path: 'reset' }));
    const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl(users));
    assert.equal(imported.status, 201, imported.text);
    const created = await server.api.post('/api/v1/campaigns').set('authorization', admin).send(campaign(prefix));
    assert.equal(created.status, 201, created.text);
    const wave = await server.api.post(`/api/v1/campaigns/${created.body.id}/waves`).set('authorization', admin).send({ name: 'w', cohort: { legacy_ids: users.map((u) => u.id) } });
    assert.equal(wave.status, 201, wave.text);
    // The mail went out two days ago: contacts from these invitees count toward the learned rate (CONTACT_MATURITY_HOURS).
    await server.query("UPDATE invitations SET state = 'sent', sent_at = now() - interval '2 days', last_mail_at = now() - interval '2 days', expires_at = now() + interval '1 day' WHERE wave_id = $1", [wave.body.id]);
    return { id: created.body.id as string, users };
  }

  before(async () => {
    server = await startTestServer({ env: { ...SECRETS } });
    admin = `Bearer ${server.adminToken}`;
  });
  after(() => server.close());

  test('throttle: at capacity_per_hour 10, Zendesk tickets raise the learned contact rate and lower send_rate_per_hour exactly as support-page contacts do', async () => {
    const viaPage = await mailedCampaign('page', 40);
    const viaZendesk = await mailedCampaign('zen', 40);
    const rate = async (id: string) => (await server.api.get(`/api/v1/campaigns/${id}`).set('authorization', admin)).body;
    const before = await rate(viaZendesk.id);
    // Beta(10, 190 + 40 mailed with no contact): 10 / 240, so 10 tickets an hour allow 240 invitations an hour
    assert.equal(before.send_rate_per_hour, 240);
    assert.equal(before.contact_rate_learned.contacts, 0);

    const support = `Bearer ${await server.tokenFor('support')}`;
    for (const user of viaPage.users.slice(0, 8)) {
      const recorded = await server.api.post('/api/v1/support/contacts').set('authorization', support).send({ login: user.email, channel: 'phone' });
      assert.equal(recorded.status, 201, recorded.text);
    }
    for (const [i, user] of viaZendesk.users.slice(0, 8).entries()) {
      const response = await send(zendeskHook({ id: `5${i}00`, email: user.email }));
      assert.equal(response.status, 200, response.text);
    }
    const page = await rate(viaPage.id);
    const zendesk = await rate(viaZendesk.id);
    assert.equal(zendesk.contact_rate_learned.contacts, 8);
    assert.ok(zendesk.contact_rate_learned.effective > 0.05, JSON.stringify(zendesk.contact_rate_learned));
    assert.ok(zendesk.send_rate_per_hour < before.send_rate_per_hour, `send rate ${zendesk.send_rate_per_hour}`);
    // Beta(10 + 8, 190 + 32): 18 / 240 = 0.075, and 10 / 0.075 = 133 an hour
    assert.equal(zendesk.send_rate_per_hour, 133);
    assert.deepEqual(zendesk.contact_rate_learned, page.contact_rate_learned, 'tickets and support-page contacts teach the throttle the same');
    assert.equal(zendesk.send_rate_per_hour, page.send_rate_per_hour);

    const rows = await server.query("SELECT channel, source, ticket_id, actor FROM support_contacts WHERE campaign_id = $1 ORDER BY ticket_id", [viaZendesk.id]);
    assert.equal(rows.length, 8);
    assert.deepEqual(rows[0], { channel: 'ticket', source: 'zendesk', ticket_id: '5000', actor: 'helpdesk:zendesk' });

    // A retried webhook counts once.
    assert.equal((await send(zendeskHook({ id: '5000', email: viaZendesk.users[0]!.email }))).status, 200);
    assert.equal((await rate(viaZendesk.id)).contact_rate_learned.contacts, 8);

    // The campaign page shows contacts by source.
    const comms = await signedInStaff(server, 'comms@desk.example', 'comms');
    const pageHtml = (await comms.agent.get(`/console/campaigns/${viaZendesk.id}`)).text;
    assert.match(pageHtml, /<tr data-source="zendesk"><td data-label="Source">zendesk tickets<\/td><td data-label="Contacts">8<\/td>/);
    const otherHtml = (await comms.agent.get(`/console/campaigns/${viaPage.id}`)).text;
    assert.match(otherHtml, /<tr data-source="support_page"><td data-label="Source">support page<\/td><td data-label="Contacts">8<\/td>/);
  });

  test('each desk\'s sample becomes a contact for the user it names, with the desk\'s ticket id', async () => {
    const { users } = await mailedCampaign('desk', 5);
    const hooks: Array<[string, SignedHook, string]> = [
      ['zendesk', zendeskHook({ id: '35436', email: users[0]!.email.toUpperCase() }), '35436'],
      ['jira', jiraHook({ id: '10002', email: users[1]!.email }), '10002'],
      ['helpscout', helpscoutHook({ id: 2391938111, email: users[2]!.email }), '2391938111'],
      ['intercom', intercomHook({ id: '403918311', email: users[3]!.email }), '403918311'],
      ['generic', genericHook({ id: 'FD-77', legacy_id: users[4]!.id }), 'FD-77'],
    ];
    for (const [desk, hook, ticketId] of hooks) {
      const response = await send(hook);
      assert.equal(response.status, 200, `${desk}: ${response.text}`);
      assert.deepEqual(response.body, { received: true });
      const [contact] = await server.query('SELECT s.channel, s.source, u.legacy_id FROM support_contacts s JOIN users u ON u.id = s.user_id WHERE s.ticket_id = $1', [ticketId]);
      assert.deepEqual(contact, { channel: 'ticket', source: desk, legacy_id: users[hooks.findIndex(([d]) => d === desk)]!.id }, desk);
    }
    // The support page tells the agent where the contact came from.
    const story = await server.api.get(`/api/v1/support/users/${(await server.query('SELECT id FROM users WHERE legacy_id = $1', [users[1]!.id]))[0].id}`).set('authorization', admin);
    assert.equal(story.body.contacts[0].source, 'jira');
    assert.equal(story.body.contacts[0].ticket_id, '10002');
  });

  test('unknown addresses are unattributed desk load, answered the same; uninvited users and other events do not count', async () => {
    const before = (await server.query('SELECT count(*)::int AS n FROM support_contacts'))[0].n;
    const unknown = await send(zendeskHook({ id: '90001', email: 'nobody@unknown.example' }));
    const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl([{ id: 'never-invited', email: 'never@example.com', path: 'reset' }]));
    assert.equal(imported.status, 201);
    const uninvited = await send(zendeskHook({ id: '90002', email: 'never@example.com' }));
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.body, uninvited.body, 'the answer does not say whether the address is known');
    assert.equal((await server.query('SELECT count(*)::int AS n FROM support_contacts'))[0].n, before);
    const outcomes = await server.query("SELECT ticket_id, outcome, user_id FROM helpdesk_tickets WHERE ticket_id IN ('90001', '90002') ORDER BY ticket_id");
    assert.deepEqual(outcomes.map((o) => [o.ticket_id, o.outcome, o.user_id === null]), [['90001', 'unattributed', true], ['90002', 'not_matched', false]]);

    // A Zendesk ticket.created event names no email: 202, nothing recorded.
    const event = await send(zendeskEventHook());
    assert.equal(event.status, 202);
    assert.equal(event.body.counted, false);
    assert.match(event.body.reason, /\{\{ticket\.requester\.email\}\}/);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM helpdesk_tickets WHERE ticket_id = '5158'"))[0].n, 0);

    // Unattributed load shows on every campaign page.
    const [{ id }] = await server.query('SELECT id FROM campaigns LIMIT 1');
    const html = (await (await signedInStaff(server, 'comms2@desk.example', 'comms')).agent.get(`/console/campaigns/${id}`)).text;
    assert.match(html, /<li data-desk="zendesk">zendesk: 1 in the last 24 h, 1 in 14 days<\/li>/);
  });

  test('a body that is not the desk\'s shape is 400 naming the field, after the signature holds', async () => {
    const body = JSON.stringify({ email: 'x@example.com' });
    const t = String(Math.floor(Date.now() / 1000));
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', SECRETS.HELPDESK_WEBHOOK_SECRET).update(`${t}.`).update(body).digest('hex');
    const response = await server.api.post('/hooks/helpdesk/generic').set('content-type', 'application/json').set('x-cutover-signature', `t=${t},v1=${sig}`).send(body);
    assert.equal(response.status, 400);
    assert.equal(response.body.fields[0].field, 'ticket_id');
  });
});
