import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWorkers, type Workers } from '../src/worker.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { inviteUsers, waitFor } from './support/invite.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import {
  CERT_URL, SECRETS, TOPIC_ARN, mailgunHook, postmarkHook, sendgridHook, sendgridKeys, sesBounce, sesComplaint, snsNotification, snsTestCertificate,
  type SignedHook,
} from './support/webhook-samples.ts';

/**
 * Mail-provider events, built from each provider's documented samples (test/support/webhook-samples.ts), against
 * invitations really sent through SMTP: permanent bounces and complaints end the invitation and suppress the
 * address (no reminder, no new wave); a transient bounce is retried like a temporary SMTP failure.
 */
describe('mail-provider events mark bounces and complaints', () => {
  const smtp = new SmtpSink();
  const sns = snsTestCertificate();
  const sendgrid = sendgridKeys();
  let server: TestServer;
  let workers: Workers;
  let admin: string;
  let campaignId: string;
  const ids: Record<string, string> = {};
  const send = (hook: SignedHook) => server.api.post(hook.path).set(hook.headers).send(hook.body);
  const invitation = async (legacyId: string) => (await server.query(
    'SELECT i.* FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.legacy_id = $1 ORDER BY i.created_at DESC LIMIT 1', [legacyId]))[0];

  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({
      env: { SMTP_URL: smtpUrl, BASE_URL: 'http://id.acme.test', ...SECRETS, SES_SNS_TOPIC_ARNS: TOPIC_ARN, SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64 },
      snsHttpGet: async (url) => { if (url.href === CERT_URL) return sns.certPem; throw new Error(`unexpected GET ${url.href}`); },
    });
    workers = await startWorkers(server.container);
    admin = `Bearer ${server.adminToken}`;
    const invited = await inviteUsers(server, smtp, ['ses', 'sg', 'pm', 'mg', 'soft', 'quiet'].map((n) => ({ id: `m-${n}`, email: `${n}@mail.example` })), { reminders_after_hours: [48] });
    campaignId = invited.campaignId;
    for (const row of await server.query('SELECT id, legacy_id FROM users')) ids[row.legacy_id] = row.id;
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  test('each send carries a Message-ID that cutover keeps, and an SES permanent bounce finds the invitation by it', async () => {
    const mail = smtp.to('ses@mail.example').at(-1)!;
    const header = /^Message-ID: <([^>]+)>/im.exec(mail.raw)?.[1];
    assert.ok(header?.endsWith('@id.acme.test'), mail.raw.slice(0, 400));
    const [kept] = await server.query('SELECT invitation_id, mail, recipient FROM invitation_mails WHERE message_id = $1', [header]);
    assert.equal(String(kept.invitation_id), String((await invitation('m-ses')).id));

    const response = await send(snsNotification(sns.keyPem, 'ses-bounce-1', sesBounce('ses@mail.example', header), '1'));
    assert.equal(response.status, 200, response.text);
    const bounced = await invitation('m-ses');
    assert.equal(bounced.state, 'bounced');
    assert.ok(bounced.bounced_at);
    const [event] = await server.query("SELECT provider, kind, matched_by FROM mail_events WHERE event_id = 'ses-bounce-1:ses@mail.example'");
    assert.deepEqual(event, { provider: 'ses', kind: 'permanent_bounce', matched_by: 'message_id' });
    assert.equal((await server.query("SELECT count(*)::int AS n FROM mail_suppressions WHERE email = 'ses@mail.example' AND lifted_at IS NULL"))[0].n, 1);

    // The support story says why no mail goes out.
    const story = await server.api.get(`/api/v1/support/users/${ids['m-ses']}`).set('authorization', admin);
    assert.equal(story.body.suppressions[0].reason, 'bounced');
    assert.equal(story.body.suppressions[0].provider, 'ses');
    const supportStaff = await signedInStaff(server, 'support@mail.example', 'support');
    const page = await supportStaff.agent.get(`/support/users/${ids['m-ses']}`);
    assert.match(page.text, /data-suppressed="bounced"><p>No mail goes to this address: it bounced for good \(ses/);
  });

  test('complaints (SendGrid spamreport, SES complaint) mark the invitation complained: a funnel outcome in the API, the CSV and the console', async () => {
    const sg = await send(sendgridHook(sendgrid.privateKey, [{ event: 'spamreport', email: 'sg@mail.example', id: 'sg-spam-1' }]));
    assert.equal(sg.status, 200, sg.text);
    assert.equal((await invitation('m-sg')).state, 'complained');
    assert.equal((await server.query("SELECT matched_by FROM mail_events WHERE event_id = 'sg-spam-1'"))[0].matched_by, 'recipient');
    // SES's complaint about the address the bounce already suppressed: recorded, nothing changes twice.
    assert.equal((await send(snsNotification(sns.keyPem, 'ses-complaint-1', sesComplaint('ses@mail.example')))).status, 200);
    assert.equal((await invitation('m-ses')).state, 'bounced');

    const funnel = await server.api.get(`/api/v1/campaigns/${campaignId}/funnel`).set('authorization', admin);
    assert.equal(funnel.body.outcomes.complained, 1);
    assert.equal(funnel.body.outcomes.bounced, 1);
    const csv = await server.api.get(`/api/v1/campaigns/${campaignId}/funnel?format=csv`).set('authorization', admin);
    assert.match(csv.text, /^outcome,complained,,users,1$/m);
    const comms = await signedInStaff(server, 'comms@mail.example', 'comms');
    const html = (await comms.agent.get(`/console/campaigns/${campaignId}/funnel`)).text;
    assert.match(html, /<dt>Marked as spam<\/dt><dd data-outcome="complained">1<\/dd>/);
    // The wave's live counts (API and page) show it beside the bounces.
    const waveId = (await invitation('m-sg')).wave_id;
    const wave = await server.api.get(`/api/v1/waves/${waveId}`).set('authorization', admin);
    assert.equal(wave.body.complained, 1);
    assert.equal(wave.body.bounced, 1);
    const wavePage = (await comms.agent.get(`/console/waves/${waveId}`)).text;
    assert.match(wavePage, /<dt>Marked as spam<\/dt><dd data-field="complained">1<\/dd>/);
  });

  test('Postmark HardBounce and Mailgun permanent failure bounce too; the campaign page counts them by provider', async () => {
    assert.equal((await send(postmarkHook('HardBounce', 'pm@mail.example', 4242))).status, 200);
    assert.equal((await invitation('m-pm')).state, 'bounced');
    const mgId = /^Message-ID: <([^>]+)>/im.exec(smtp.to('mg@mail.example').at(-1)!.raw)![1];
    assert.equal((await send(mailgunHook({ kind: 'permanent', email: 'mg@mail.example', id: 'G9Bn5sl1TC6nu79C8C0bwg', token: 'a'.repeat(50), messageId: mgId }))).status, 200);
    assert.equal((await invitation('m-mg')).state, 'bounced');
    assert.equal((await server.query("SELECT matched_by FROM mail_events WHERE provider = 'mailgun'"))[0].matched_by, 'message_id');

    const comms = await signedInStaff(server, 'comms2@mail.example', 'comms');
    const html = (await comms.agent.get(`/console/campaigns/${campaignId}`)).text;
    assert.match(html, /<tr data-provider="postmark"><td data-label="Provider">postmark<\/td><td data-label="Bounced for good">1<\/td>/);
    assert.match(html, /<tr data-provider="sendgrid"><td data-label="Provider">sendgrid<\/td><td data-label="Bounced for good">0<\/td><td data-label="Bounced, retried">0<\/td><td data-label="Marked as spam">1<\/td>/);
  });

  test('a transient bounce is retried as a temporary SMTP failure is: back to the dispatcher with a backoff, then sent again', async () => {
    const before = smtp.to('soft@mail.example').length;
    assert.equal((await send(postmarkHook('SoftBounce', 'soft@mail.example', 4243))).status, 200);
    const retrying = await invitation('m-soft');
    assert.equal(retrying.state, 'queued');
    assert.equal(retrying.attempts, 1);
    assert.match(retrying.last_error, /^postmark: /);
    assert.ok(new Date(retrying.not_before).getTime() > Date.now() + 20_000, 'the first retry waits 30 s, as a temporary SMTP failure does');
    // Skip the wait: the dispatcher sends it again.
    await server.query('UPDATE invitations SET not_before = now() WHERE id = $1', [retrying.id]);
    await waitFor('the retried mail', async () => smtp.to('soft@mail.example').length > before);
    assert.equal((await invitation('m-soft')).state, 'sent');
  });

  test('suppressed addresses get no reminder and no new wave; support lifts a suppression with a reason, audited', async () => {
    // An address suppressed while its invitation is live (say a bounce to another sender's mail): the due reminder is withheld.
    await server.query("INSERT INTO mail_suppressions (email, reason, provider) VALUES ('quiet@mail.example', 'complained', 'ses')");
    const quiet = await invitation('m-quiet');
    const before = smtp.to('quiet@mail.example').length;
    await server.query('UPDATE invitations SET next_reminder_at = now() WHERE id = $1', [quiet.id]);
    await waitFor('the reminder to be withheld', async () => (await invitation('m-quiet')).next_reminder_at === null);
    assert.equal(smtp.to('quiet@mail.example').length, before, 'no reminder went to a suppressed address');
    assert.match((await invitation('m-quiet')).last_error, /address suppressed/);

    // A new wave leaves out every suppressed address (ses, sg, pm, mg, quiet) and takes the others.
    const preview = await server.api.post(`/api/v1/campaigns/${campaignId}/waves/preview`).set('authorization', admin)
      .send({ name: 'again', cohort: { legacy_ids: ['m-ses', 'm-sg', 'm-pm', 'm-mg', 'm-quiet'] } });
    assert.equal(preview.status, 200, preview.text);
    assert.equal(preview.body.count ?? preview.body.targeted, 0, JSON.stringify(preview.body));

    // Support: a resend is refused while suppressed; the lift needs a reason and is audited; then mail flows again.
    const support = `Bearer ${await server.tokenFor('support')}`;
    const refused = await server.api.post(`/api/v1/support/users/${ids['m-pm']}/resend-invitation`).set('authorization', support).send({ reason: 'user asked again' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'address_suppressed');
    const noReason = await server.api.post(`/api/v1/support/users/${ids['m-pm']}/lift-suppression`).set('authorization', support).send({});
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.fields[0].field, 'reason');
    const lifted = await server.api.post(`/api/v1/support/users/${ids['m-pm']}/lift-suppression`).set('authorization', support).send({ reason: 'mailbox fixed, user called' });
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal(lifted.body.suppressed_for, 'bounced');
    const [audit] = await server.query("SELECT action, reason, target FROM audit_log WHERE action = 'support.suppression_lift'");
    assert.deepEqual(audit, { action: 'support.suppression_lift', reason: 'mailbox fixed, user called', target: `user:${ids['m-pm']}` });
    assert.equal((await server.api.post(`/api/v1/support/users/${ids['m-pm']}/lift-suppression`).set('authorization', support).send({ reason: 'again' })).status, 409);
    const before2 = smtp.to('pm@mail.example').length;
    const resent = await server.api.post(`/api/v1/support/users/${ids['m-pm']}/resend-invitation`).set('authorization', support).send({ reason: 'user asked again' });
    assert.equal(resent.status, 201, resent.text);
    await waitFor('the mail after the lift', async () => smtp.to('pm@mail.example').length > before2);
  });
});
