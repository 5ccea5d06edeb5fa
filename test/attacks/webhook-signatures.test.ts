import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';
import {
  CERT_URL, SECRETS, TOPIC_ARN, genericHook, helpscoutHook, intercomHook, jiraHook, mailgunHook, postmarkHook, sendgridHook, sendgridKeys,
  sesBounce, snsHook, snsNotification, snsTestCertificate, zendeskHook, type SignedHook,
} from '../support/webhook-samples.ts';

/**
 * The nine feedback webhooks, attacked: an unauthenticated request that could suppress an address (stopping a
 * campaign's mail to it) or add contacts (slowing, or by their absence speeding, the throttle) must be refused.
 * Every refusal is 401 and records nothing; a replay of a valid signed request records nothing new and answers 200.
 */
const sns = snsTestCertificate();
const sendgrid = sendgridKeys();
const STALE = new Date(Date.now() - 6 * 60_000);
const VICTIM = 'victim@example.com';

const env = { ...SECRETS, SES_SNS_TOPIC_ARNS: TOPIC_ARN, SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64, HOOKS_MAX_KB: '64' };
let n = 0;
const uid = () => `${Date.now()}-${++n}`;

/** A valid request for each endpoint, a stale one where the party signs a timestamp, and one made with a wrong secret. */
// Postmark signs nothing (HTTP Basic over TLS) and Mailgun signs only timestamp + token, so a changed body cannot
// be told from the real one there: `bodySigned: false`. Mailgun's token is single use instead (tested below).
const HOOKS: Record<string, { valid: () => SignedHook; stale?: () => SignedHook; signatureHeaders: string[]; bodySigned?: false }> = {
  zendesk: { valid: () => zendeskHook({ id: uid(), email: VICTIM }), stale: () => zendeskHook({ id: uid(), email: VICTIM }, STALE), signatureHeaders: ['x-zendesk-webhook-signature'] },
  jira: { valid: () => jiraHook({ id: uid(), email: VICTIM }), signatureHeaders: ['x-hub-signature'] },
  helpscout: { valid: () => helpscoutHook({ id: Number(String(Date.now()).slice(-8)) + ++n, email: VICTIM }), signatureHeaders: ['x-helpscout-signature'] },
  intercom: { valid: () => intercomHook({ id: uid(), email: VICTIM }), signatureHeaders: ['x-hub-signature'] },
  generic: { valid: () => genericHook({ id: uid(), email: VICTIM }), stale: () => genericHook({ id: uid(), email: VICTIM }, STALE), signatureHeaders: ['x-cutover-signature'] },
  ses: { valid: () => snsNotification(sns.keyPem, uid(), sesBounce(VICTIM, undefined)), stale: () => snsNotification(sns.keyPem, uid(), sesBounce(VICTIM, undefined), '2', { Timestamp: STALE.toISOString() }), signatureHeaders: [] },
  sendgrid: { valid: () => sendgridHook(sendgrid.privateKey, [{ event: 'bounce', email: VICTIM, id: uid() }]), stale: () => sendgridHook(sendgrid.privateKey, [{ event: 'bounce', email: VICTIM, id: uid() }], STALE), signatureHeaders: ['x-twilio-email-event-webhook-signature'] },
  postmark: { valid: () => postmarkHook('HardBounce', VICTIM, Number(String(Date.now()).slice(-9)) + ++n), signatureHeaders: ['authorization'], bodySigned: false },
  mailgun: { valid: () => mailgunHook({ kind: 'permanent', email: VICTIM, id: uid(), token: `tok${uid()}`.padEnd(50, 'x') }), stale: () => mailgunHook({ kind: 'permanent', email: VICTIM, id: uid(), token: `tok${uid()}`.padEnd(50, 'y') }, STALE), signatureHeaders: [], bodySigned: false },
};

/** Flips one character of a base64/hex signature value, or of the SNS/Mailgun signature inside the body. */
function forge(hook: SignedHook): SignedHook {
  // Hex: the last digit. Base64: the first character (a late one may hold only padding bits, which decode the same).
  const flip = (s: string) => (/^[0-9a-f]+$/i.test(s.slice(-8)) && !s.endsWith('=')
    ? s.slice(0, -1) + (s.at(-1) === '0' ? '1' : '0')
    : (s[0] === 'A' ? 'B' : 'A') + s.slice(1));
  if (hook.path.endsWith('/ses')) { const b = JSON.parse(hook.body); b.Signature = flip(b.Signature); return { ...hook, body: JSON.stringify(b) }; }
  if (hook.path.endsWith('/mailgun')) { const b = JSON.parse(hook.body); b.signature.signature = flip(b.signature.signature); return { ...hook, body: JSON.stringify(b) }; }
  if (hook.path.endsWith('/postmark')) return { ...hook, headers: { ...hook.headers, authorization: `Basic ${Buffer.from(`${SECRETS.POSTMARK_WEBHOOK_USER}:guess-the-password-123`).toString('base64')}` } };
  const name = Object.keys(hook.headers).find((h) => h.includes('signature') && !h.endsWith('timestamp'))!;
  return { ...hook, headers: { ...hook.headers, [name]: flip(hook.headers[name]!) } };
}

/** The same signature over a body changed to name another address (the classic tamper). */
function tamper(hook: SignedHook): SignedHook {
  return { ...hook, body: hook.body.replace(VICTIM, 'other@example.com') };
}

describe('feedback webhooks refuse forged, stale and replayed requests', () => {
  let server: TestServer;
  const fetched: string[] = [];

  before(async () => {
    server = await startTestServer({
      env,
      snsHttpGet: async (url) => {
        fetched.push(url.href);
        if (url.href === CERT_URL) return sns.certPem;
        if (url.searchParams.get('Action') === 'ConfirmSubscription') return '<ConfirmSubscriptionResponse/>';
        throw new Error(`unexpected GET ${url.href}`);
      },
    });
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 'v-1', email: VICTIM, path: 'reset' }]));
    assert.equal(imported.status, 201, imported.text);
  });
  after(() => server.close());

  const send = (hook: SignedHook) => server.api.post(hook.path).set(hook.headers).send(hook.body);
  const recorded = async () => (await server.query(
    `SELECT (SELECT count(*) FROM helpdesk_tickets)::int AS tickets, (SELECT count(*) FROM support_contacts)::int AS contacts,
            (SELECT count(*) FROM mail_events)::int AS mail_events, (SELECT count(*) FROM mail_suppressions)::int AS suppressions`))[0];

  for (const [name, hook] of Object.entries(HOOKS)) {
    test(`${name}: missing and forged signatures${hook.bodySigned === false ? '' : ', a tampered body'}${hook.stale ? ', a stale timestamp' : ''} are 401 and record nothing; a replay records nothing new`, async () => {
      const before = await recorded();
      const valid = hook.valid();
      const missing = { ...valid, headers: Object.fromEntries(Object.entries(valid.headers).filter(([h]) => !hook.signatureHeaders.includes(h))) };
      if (name === 'ses') missing.body = JSON.stringify({ ...JSON.parse(valid.body), Signature: undefined });
      if (name === 'mailgun') missing.body = JSON.stringify({ ...JSON.parse(valid.body), signature: undefined });
      const attempts: Array<[string, SignedHook]> = [['missing', missing], ['forged', forge(valid)]];
      if (hook.bodySigned !== false) attempts.push(['tampered', tamper(valid)]);
      if (hook.stale) attempts.push(['stale', hook.stale()]);
      for (const [what, attempt] of attempts) {
        const response = await send(attempt);
        assert.equal(response.status, 401, `${name} ${what}: ${response.status} ${response.text}`);
        assert.deepEqual(response.body, { error: 'unauthorized', message: 'The webhook signature is missing or not right' });
      }
      assert.deepEqual(await recorded(), before, `${name}: a refused request recorded something`);

      const first = await send(valid);
      assert.equal(first.status, 200, first.text);
      const afterFirst = await recorded();
      assert.notDeepEqual(afterFirst, before, `${name}: the valid request recorded nothing`);
      const replay = await send(valid);
      assert.equal(replay.status, 200, replay.text);
      assert.deepEqual(replay.body, first.body);
      assert.deepEqual(await recorded(), afterFirst, `${name}: the replay recorded something new`);
    });
  }

  test('Mailgun signs only timestamp + token: the same token with other event-data records nothing', async () => {
    const token = `reuse${uid()}`.padEnd(50, 'z');
    assert.equal((await send(mailgunHook({ kind: 'temporary', email: VICTIM, id: uid(), token }))).status, 200);
    const before = await recorded();
    const swapped = mailgunHook({ kind: 'complained', email: 'someone-else@example.com', id: uid(), token });
    assert.equal((await send(swapped)).status, 200);
    assert.deepEqual(await recorded(), before);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM mail_suppressions WHERE email = 'someone-else@example.com'"))[0].n, 0);
  });

  test('SES: certificates only from https://sns.<topic region>.amazonaws.com/….pem; unknown topics refused; nothing else is fetched', async () => {
    const before = await recorded();
    const evil = [
      'https://evil.example.com/cert.pem',
      'https://sns.us-west-2.amazonaws.com.evil.example/cert.pem',
      'https://sns.us-west-2.amazonaws.com@evil.example/cert.pem',
      'https://user:pw@sns.us-west-2.amazonaws.com/cert.pem',
      'http://sns.us-west-2.amazonaws.com/cert.pem',
      'https://sns.us-west-2.amazonaws.com:8443/cert.pem',
      'https://sns.eu-west-1.amazonaws.com/cert.pem', // another region than the topic's
      'https://sns.us-west-2.amazonaws.com/cert.txt',
      'https://sns.us-west-2.amazonaws.com/cert.pem?redirect=http://169.254.169.254/',
      'file:///etc/passwd',
    ];
    fetched.length = 0;
    for (const certUrl of evil) {
      const hook = snsHook(sns.keyPem, { Type: 'Notification', MessageId: uid(), TopicArn: TOPIC_ARN, Message: sesBounce(VICTIM, undefined), Timestamp: new Date().toISOString() }, '2', certUrl);
      assert.equal((await send(hook)).status, 401, certUrl);
    }
    const otherTopic = snsHook(sns.keyPem, { Type: 'Notification', MessageId: uid(), TopicArn: 'arn:aws:sns:us-west-2:123456789012:someone-elses', Message: sesBounce(VICTIM, undefined), Timestamp: new Date().toISOString() });
    assert.equal((await send(otherTopic)).status, 401);
    assert.deepEqual(fetched, [], 'no URL but the topic region\'s SNS host is ever fetched');
    assert.deepEqual(await recorded(), before);
  });

  test('SES: a made-up certificate path on the real SNS host is fetched once, not once per request', async () => {
    fetched.length = 0;
    const madeUp = 'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-made-up.pem';
    for (let i = 0; i < 3; i++) {
      const hook = snsHook(sns.keyPem, { Type: 'Notification', MessageId: uid(), TopicArn: TOPIC_ARN, Message: sesBounce(VICTIM, undefined), Timestamp: new Date().toISOString() }, '2', madeUp);
      assert.equal((await send(hook)).status, 401);
    }
    assert.deepEqual(fetched, [madeUp]);
  });

  test('SES: a SubscriptionConfirmation is confirmed only when signed, and only at the SNS ConfirmSubscription URL for its topic', async () => {
    const confirm = (subscribeUrl: string, signedBy = sns.keyPem) => snsHook(signedBy, {
      Type: 'SubscriptionConfirmation', MessageId: uid(), Token: '2336412f37fb687f5d51e6e2425f004aed', TopicArn: TOPIC_ARN,
      Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.`, SubscribeURL: subscribeUrl, Timestamp: new Date().toISOString(),
    });
    const good = `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC_ARN)}&Token=2336412f37fb687f5d51e6e2425f004aed`;
    fetched.length = 0;
    assert.equal((await send(confirm('https://evil.example/?Action=ConfirmSubscription'))).status, 401);
    assert.equal((await send(confirm(`https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent('arn:aws:sns:us-west-2:123456789012:other')}`))).status, 401);
    const unsigned = JSON.parse(confirm(good).body);
    unsigned.Signature = 'AAAA';
    assert.equal((await server.api.post('/hooks/mail/ses').set('content-type', 'text/plain').send(JSON.stringify(unsigned))).status, 401);
    assert.deepEqual(fetched.filter((u) => u !== CERT_URL), [], 'a SubscribeURL is never fetched before the message verifies');
    assert.equal((await send(confirm(good))).status, 200);
    assert.deepEqual(fetched.filter((u) => u !== CERT_URL), [good]);
  });

  test('a body over HOOKS_MAX_KB is 413 before any work', async () => {
    const big = zendeskHook({ id: uid(), email: VICTIM, subject: 'x'.repeat(70 * 1024) });
    const response = await send(big);
    assert.equal(response.status, 413);
  });
});

describe('feedback webhooks with no secret set', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ snsHttpGet: async () => { throw new Error('no fetch expected'); } }); });
  after(() => server.close());

  test('all nine answer 401 to requests that would be valid, and record nothing', async () => {
    for (const [name, hook] of Object.entries(HOOKS)) {
      const valid = hook.valid();
      const response = await server.api.post(valid.path).set(valid.headers).send(valid.body);
      assert.equal(response.status, 401, `${name}: ${response.status}`);
    }
    const [counts] = await server.query('SELECT (SELECT count(*) FROM helpdesk_tickets)::int + (SELECT count(*) FROM mail_events)::int AS n');
    assert.equal(counts.n, 0);
  });
});
