import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PermanentMailError, TemporaryMailError } from './mail-transport.ts';
import { toMailError } from './to-mail-error.ts';

const failure = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.response ?? 'failed')), fields);

describe('toMailError', () => {
  const cases: Array<[string, Record<string, unknown>, typeof PermanentMailError | typeof TemporaryMailError]> = [
    ['550 on RCPT TO', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' }, PermanentMailError],
    ['552 on DATA', { code: 'EMESSAGE', responseCode: 552 }, PermanentMailError],
    ['451 greylisting', { code: 'EENVELOPE', responseCode: 451 }, TemporaryMailError],
    ['421 shutting down', { code: 'ECONNECTION', responseCode: 421 }, TemporaryMailError],
    ['503 bad sequence: the session, not the mail', { code: 'EPROTOCOL', responseCode: 503 }, TemporaryMailError],
    ['535 bad credentials: our setup, not the invitee', { code: 'EAUTH', responseCode: 535 }, TemporaryMailError],
    ['connection refused', { code: 'ESOCKET', errno: -111 }, TemporaryMailError],
    ['timeout', { code: 'ETIMEDOUT' }, TemporaryMailError],
    ['connection closed', { code: 'ECONNECTION', response: 'Connection closed unexpectedly' }, TemporaryMailError],
    ['no recipient, refused before the relay', { code: 'EENVELOPE' }, PermanentMailError],
    ['nodemailer marks it permanent', { code: 'EMESSAGE', responseCode: 554, permanent: true }, PermanentMailError],
  ];
  for (const [name, fields, expected] of cases) {
    test(`${name} → ${expected.name}`, () => {
      const error = toMailError(failure(fields));
      assert.ok(error instanceof expected, `got ${error.name}: ${error.message}`);
      assert.equal(error.responseCode, fields.responseCode);
    });
  }

  test('keeps the cause and says what the relay answered', () => {
    const cause = failure({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' });
    const error = toMailError(cause);
    assert.equal(error.cause, cause);
    assert.equal(error.message, 'SMTP EENVELOPE: 550 5.1.1 No such user');
    assert.equal(toMailError(error), error);
    assert.ok(toMailError('weird') instanceof TemporaryMailError);
  });
});
