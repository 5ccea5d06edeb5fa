import { createHmac, createSign, generateKeyPairSync, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Each desk's and provider's documented sample payload, with the test's own secret, and the signing each party
 * documents. Only the addresses and ids are changed so that they name the test's users.
 */
export const SECRETS = {
  ZENDESK_WEBHOOK_SECRET: 'zendesk-test-secret-0123456789',
  JIRA_WEBHOOK_SECRET: 'jira-test-secret-0123456789',
  HELPSCOUT_WEBHOOK_SECRET: 'helpscout-test-secret-012345',
  INTERCOM_CLIENT_SECRET: 'intercom-test-secret-0123456789',
  HELPDESK_WEBHOOK_SECRET: 'generic-test-secret-0123456789',
  POSTMARK_WEBHOOK_USER: 'postmark',
  POSTMARK_WEBHOOK_PASSWORD: 'postmark-test-password-0123',
  MAILGUN_WEBHOOK_SIGNING_KEY: 'key-mailgun-test-0123456789abcdef',
} as const;

export const TOPIC_ARN = 'arn:aws:sns:us-west-2:123456789012:ses-feedback';
export const CERT_URL = 'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem';

export interface SignedHook { path: string; headers: Record<string, string>; body: string }

const b64 = (mac: Buffer) => mac.toString('base64');
const hex = (mac: Buffer) => mac.toString('hex');
const mac = (alg: 'sha1' | 'sha256', key: string, ...parts: string[]) => {
  const h = createHmac(alg, key);
  for (const p of parts) h.update(p);
  return h.digest();
};

// Zendesk: the trigger webhook body the README tells admins to write; the signature as
// developer.zendesk.com/documentation/webhooks/verifying: base64(HMACSHA256(TIMESTAMP + BODY)).
export function zendeskHook(ticket: { id: string; email: string; subject?: string; tags?: string }, at = new Date()): SignedHook {
  const body = JSON.stringify({ ticket_id: ticket.id, email: ticket.email, subject: ticket.subject ?? 'Cannot sign in after the upgrade', tags: ticket.tags ?? 'login migration' });
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { path: '/hooks/helpdesk/zendesk', body, headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': b64(mac('sha256', SECRETS.ZENDESK_WEBHOOK_SECRET, timestamp, body)), 'x-zendesk-webhook-signature-timestamp': timestamp } };
}

// Zendesk's ticket.created event (developer.zendesk.com/api-reference/webhooks/event-types/ticket-events): the
// requester by requester_id only.
export function zendeskEventHook(at = new Date()): SignedHook {
  const body = JSON.stringify({
    type: 'zen:event-type:ticket.created', account_id: 22129848, id: 'cbe4028c-7239-495d-b020-f22348516046', time: at.toISOString(),
    zendesk_event_version: '2022-11-06', subject: 'zen:ticket:5158',
    detail: { actor_id: '8447388090494', assignee_id: '8447388090494', created_at: at.toISOString(), id: '5158', requester_id: '8447388090494', status: 'OPEN', subject: 'Help, my printer is on fire!', tags: ['enterprise'], via: { channel: 'web_service' } },
    event: { meta: { sequence: { id: 'OGMyNzg4ZGMtNzE4Ny00NmQ2LWI3ZTItNjQ3ZDJiZTllYjU2', position: 1, total: 1 } } },
  });
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { path: '/hooks/helpdesk/zendesk', body, headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': b64(mac('sha256', SECRETS.ZENDESK_WEBHOOK_SECRET, timestamp, body)), 'x-zendesk-webhook-signature-timestamp': timestamp } };
}

// Jira Cloud `jira:issue_created` (developer.atlassian.com/cloud/jira/platform/webhooks, example payload), signed
// X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>.
export function jiraHook(issue: { id: string; email: string }): SignedHook {
  const body = JSON.stringify({
    timestamp: Date.now(), webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created',
    user: { accountId: '5b10a2844c20165700ede21g', displayName: 'Service desk' },
    issue: { id: issue.id, self: `https://your-domain.atlassian.net/rest/api/2/issue/${issue.id}`, key: `SD-${issue.id}`, fields: { summary: 'Cannot log in with my new passkey', labels: ['login'], reporter: { accountId: '5b10ac8d82e05b22cc7d4ef5', emailAddress: issue.email, displayName: 'Reporter' }, issuetype: { name: 'Get IT help' } } },
  });
  return { path: '/hooks/helpdesk/jira', body, headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${hex(mac('sha256', SECRETS.JIRA_WEBHOOK_SECRET, body))}` } };
}

// Help Scout convo.created (developer.helpscout.com/webhooks: v2 Conversation object), X-HelpScout-Signature =
// base64(HMAC-SHA1(secret key, body)).
export function helpscoutHook(convo: { id: number; email: string }): SignedHook {
  const body = JSON.stringify({
    id: convo.id, number: 3, threads: 1, type: 'email', folderId: 1234, status: 'active', state: 'published', subject: 'I need help!',
    preview: 'Hello, I tried to download the file off your site...', mailboxId: 85, createdAt: '2012-10-10T12:00:00Z',
    primaryCustomer: { id: 76, type: 'customer', first: 'Vernon', last: 'Bear', email: convo.email },
    tags: [{ id: 9150, color: '#929499', tag: 'migration' }],
  });
  return { path: '/hooks/helpdesk/helpscout', body, headers: { 'content-type': 'application/json', 'x-helpscout-event': 'convo.created', 'x-helpscout-signature': b64(mac('sha1', SECRETS.HELPSCOUT_WEBHOOK_SECRET, body)) } };
}

// Intercom conversation.user.created notification (developers.intercom.com, "Webhook models": notification_event
// with the conversation in data.item), X-Hub-Signature: sha1=<hex HMAC-SHA1(client_secret, body)>.
export function intercomHook(conversation: { id: string; email: string }): SignedHook {
  const body = JSON.stringify({
    type: 'notification_event', app_id: 'a86dr8yl', id: `notif_${conversation.id}`, topic: 'conversation.user.created', delivery_status: 'pending',
    delivery_attempts: 1, delivered_at: 0, first_sent_at: Math.floor(Date.now() / 1000), created_at: Math.floor(Date.now() / 1000),
    data: { type: 'notification_event_data', item: { type: 'conversation', id: conversation.id, title: null, state: 'open',
      source: { type: 'conversation', id: '403918311', delivered_as: 'customer_initiated', subject: '', body: '<p>Hi, my sign-in stopped working</p>', author: { type: 'user', id: '5ff3ee8e3f1f3e7c9a7b1e9f', name: 'Jane', email: conversation.email } },
      tags: { type: 'tag.list', tags: [] } } },
  });
  return { path: '/hooks/helpdesk/intercom', body, headers: { 'content-type': 'application/json', 'x-hub-signature': `sha1=${hex(mac('sha1', SECRETS.INTERCOM_CLIENT_SECRET, body))}` } };
}

// cutover's generic form (README, "Connect your help desk").
export function genericHook(ticket: { id: string; email?: string; legacy_id?: string }, at = new Date()): SignedHook {
  const body = JSON.stringify({ ticket_id: ticket.id, email: ticket.email, legacy_id: ticket.legacy_id, channel: 'freshdesk', subject: 'Password reset link did not arrive', created_at: at.toISOString() });
  const t = String(Math.floor(at.getTime() / 1000));
  return { path: '/hooks/helpdesk/generic', body, headers: { 'content-type': 'application/json', 'x-cutover-signature': `t=${t},v1=${hex(mac('sha256', SECRETS.HELPDESK_WEBHOOK_SECRET, `${t}.`, body))}` } };
}

/** A test SNS signing key and certificate, made with openssl for this test run; nothing is fetched from AWS. */
export function snsTestCertificate(): { keyPem: string; certPem: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sns-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=sns.amazonaws.com'], { stdio: 'ignore' });
    return { keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'), certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** An SNS message signed as docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html says. */
export function snsHook(keyPem: string, message: Record<string, string>, version: '1' | '2' = '2', certUrl = CERT_URL): SignedHook {
  const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  const toSign = fields.filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
  const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(toSign).sign(keyPem, 'base64');
  const body = JSON.stringify({ ...message, SignatureVersion: version, Signature: signature, SigningCertURL: certUrl, UnsubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe' });
  return { path: '/hooks/mail/ses', body, headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type! } };
}

// SES bounce notification with a DSN (docs.aws.amazon.com/ses/latest/dg/notification-examples.html).
export function sesBounce(recipient: string, messageId: string | undefined, bounceType: 'Permanent' | 'Transient' = 'Permanent') {
  return JSON.stringify({
    notificationType: 'Bounce',
    bounce: { bounceType, reportingMTA: 'dns; email.example.com', bouncedRecipients: [{ emailAddress: recipient, status: '5.1.1', action: 'failed', diagnosticCode: 'smtp; 550 5.1.1 <jane@example.com>... User' }], bounceSubType: 'General', timestamp: new Date().toISOString(), feedbackId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000', remoteMtaIp: '127.0.2.0' },
    mail: { timestamp: new Date().toISOString(), source: 'john@example.com', sourceArn: 'arn:aws:ses:us-east-1:888888888888:identity/example.com', sourceIp: '127.0.3.0', sendingAccountId: '123456789012', messageId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000', destination: [recipient], headersTruncated: false,
      commonHeaders: { from: ['John Doe <john@example.com>'], to: [recipient], messageId: messageId ? `<${messageId}>` : undefined, subject: 'Hello' } },
  });
}

// SES complaint notification (same page, "Complaint notification with a feedback report").
export function sesComplaint(recipient: string) {
  return JSON.stringify({
    notificationType: 'Complaint',
    complaint: { userAgent: 'AnyCompany Feedback Loop (V0.01)', complainedRecipients: [{ emailAddress: recipient }], complaintFeedbackType: 'abuse', arrivalDate: new Date().toISOString(), timestamp: new Date().toISOString(), feedbackId: '000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000' },
    mail: { timestamp: new Date().toISOString(), messageId: '000001378603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000', source: 'john@example.com', destination: [recipient] },
  });
}

export function snsNotification(keyPem: string, messageId: string, message: string, version: '1' | '2' = '2', extra: Record<string, string> = {}): SignedHook {
  return snsHook(keyPem, { Type: 'Notification', MessageId: messageId, TopicArn: TOPIC_ARN, Message: message, Timestamp: new Date().toISOString(), ...extra }, version);
}

/** SendGrid's Signed Event Webhook, with a P-256 key made here (the public key is the setting, base64 DER). */
export function sendgridKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

// Event Webhook reference (twilio.com/docs/sendgrid/for-developers/tracking-events/event): bounce and spamreport.
export function sendgridHook(privateKey: ReturnType<typeof sendgridKeys>['privateKey'], events: Array<{ event: 'bounce' | 'spamreport' | 'deferred'; email: string; id: string; smtpId?: string }>, at = new Date()): SignedHook {
  const body = JSON.stringify(events.map((e) => ({
    email: e.email, timestamp: Math.floor(at.getTime() / 1000), 'smtp-id': e.smtpId ? `<${e.smtpId}>` : '<14c5d75ce93.dfd.64b469@ismtpd-555>', event: e.event,
    category: 'cat facts', sg_event_id: e.id, sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    ...(e.event === 'bounce' ? { reason: '500 unknown recipient', status: '5.0.0', type: 'bounce', bounce_classification: 'Invalid Address' } : {}),
    ...(e.event === 'deferred' ? { response: '400 try again later', attempt: '5' } : {}),
  })));
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
  return { path: '/hooks/mail/sendgrid', body, headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp } };
}

// Postmark bounce webhook (postmarkapp.com/developer/webhooks/bounce-webhook) and spam complaint webhook.
export function postmarkHook(kind: 'HardBounce' | 'SoftBounce' | 'SpamComplaint', email: string, id: number, credentials = `${SECRETS.POSTMARK_WEBHOOK_USER}:${SECRETS.POSTMARK_WEBHOOK_PASSWORD}`): SignedHook {
  const body = JSON.stringify(kind === 'SpamComplaint'
    ? { RecordType: 'SpamComplaint', MessageStream: 'outbound', ID: id, Type: 'SpamComplaint', TypeCode: 100001, Name: 'Spam complaint', Tag: 'Test', MessageID: '00000000-0000-0000-0000-000000000000', ServerID: 23, Description: '', Details: 'Test spam complaint details', Email: email, From: 'sender@example.com', BouncedAt: new Date().toISOString(), DumpAvailable: true, Inactive: true, CanActivate: false, Subject: 'Test subject', Content: '<Abuse report dump>' }
    : { RecordType: 'Bounce', MessageStream: 'outbound', ID: id, Type: kind, TypeCode: kind === 'HardBounce' ? 1 : 4096, Name: kind === 'HardBounce' ? 'Hard bounce' : 'Soft bounce', Tag: 'Test', MessageID: '883953f4-6105-42a2-a16a-77a8eac79483', Metadata: { a_key: 'a_value' }, ServerID: 23, Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).', Details: 'Test bounce details', Email: email, From: 'sender@example.com', BouncedAt: new Date().toISOString(), DumpAvailable: true, Inactive: kind === 'HardBounce', CanActivate: true, Subject: 'Test subject' });
  return { path: '/hooks/mail/postmark', body, headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

// Mailgun webhook payload (documentation.mailgun.com …/webhooks/webhook-payloads: "Failed (permanent)" and
// "Complained"), signed as "Securing Webhooks": hex HMAC-SHA256(key, timestamp + token).
export function mailgunHook(event: { kind: 'permanent' | 'temporary' | 'complained'; email: string; id: string; token: string; messageId?: string }, at = new Date()): SignedHook {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const data = event.kind === 'complained'
    ? { event: 'complained', id: event.id, timestamp: at.getTime() / 1000, 'log-level': 'warn', recipient: event.email, message: { headers: { 'message-id': event.messageId ?? '20130503192659.13651.20287@sample.mailgun.com', to: event.email, subject: 'Hello' } } }
    : { event: 'failed', id: event.id, timestamp: at.getTime() / 1000, 'log-level': 'error', severity: event.kind, reason: event.kind === 'permanent' ? 'suppress-bounce' : 'generic', recipient: event.email,
      'delivery-status': { 'attempt-no': 1, code: event.kind === 'permanent' ? 605 : 452, message: event.kind === 'permanent' ? 'Not delivering to previously bounced address' : 'Too many recipients', description: '' },
      message: { headers: { 'message-id': event.messageId ?? '20130503182626.18666.16540@sample.mailgun.com', to: event.email, subject: 'Test permanent_fail webhook' } } };
  const body = JSON.stringify({ signature: { timestamp, token: event.token, signature: hex(mac('sha256', SECRETS.MAILGUN_WEBHOOK_SIGNING_KEY, timestamp, event.token)) }, 'event-data': data });
  return { path: '/hooks/mail/mailgun', body, headers: { 'content-type': 'application/json' } };
}
