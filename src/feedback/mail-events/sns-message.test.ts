import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signingCertUrl, snsStringToSign, subscribeUrl, topicRegion, type SnsMessage } from './sns-message.ts';

// docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html: the fields, in
// order, each as "Name\nValue\n"; Subject only when present.
test('the string to sign lists the documented fields in order, Subject only when present', () => {
  const base = { Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'hello\nworld', Timestamp: '2026-01-01T00:00:00.000Z', SignatureVersion: '2', Signature: '', SigningCertURL: '' } satisfies SnsMessage;
  assert.equal(snsStringToSign(base), 'Message\nhello\nworld\nMessageId\nm-1\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nNotification\n');
  assert.match(snsStringToSign({ ...base, Subject: 'S' }), /MessageId\nm-1\nSubject\nS\nTimestamp/);
  const confirmation = { ...base, Type: 'SubscriptionConfirmation', SubscribeURL: 'https://x', Token: 'tok' };
  assert.equal(snsStringToSign(confirmation), 'Message\nhello\nworld\nMessageId\nm-1\nSubscribeURL\nhttps://x\nTimestamp\n2026-01-01T00:00:00.000Z\nToken\ntok\nTopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nSubscriptionConfirmation\n');
});

test('certificate and subscribe URLs: only https on the topic region\'s SNS host', () => {
  assert.equal(topicRegion('arn:aws:sns:eu-central-1:123456789012:feedback'), 'eu-central-1');
  assert.ok(signingCertUrl('https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-abc.pem', 'eu-central-1'));
  for (const bad of ['https://sns.eu-central-1.amazonaws.com.attacker.io/a.pem', 'https://attacker.io/sns.eu-central-1.amazonaws.com/a.pem',
    'https://sns.eu-central-1.amazonaws.com%2F@attacker.io/a.pem', 'https://a:b@sns.eu-central-1.amazonaws.com/a.pem', 'https://sns.eu-central-1.amazonaws.com./a.pem',
    'http://sns.eu-central-1.amazonaws.com/a.pem', 'https://sns.us-east-1.amazonaws.com/a.pem', 'https://sns.eu-central-1.amazonaws.com/a.pem#x', 'not a url']) {
    assert.equal(signingCertUrl(bad, 'eu-central-1'), null, bad);
  }
  const arn = 'arn:aws:sns:eu-central-1:123456789012:feedback';
  assert.ok(subscribeUrl(`https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${arn}&Token=t`, 'eu-central-1', arn));
  assert.equal(subscribeUrl(`https://sns.eu-central-1.amazonaws.com/?Action=Publish&TopicArn=${arn}`, 'eu-central-1', arn), null);
  assert.equal(subscribeUrl(`https://sns.eu-central-1.amazonaws.com/x?Action=ConfirmSubscription&TopicArn=${arn}`, 'eu-central-1', arn), null);
});
