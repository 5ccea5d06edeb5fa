import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTicketMatch, ticketPasses } from './ticket-match.ts';

const ticket = (subject: string, tags: string[] = []) => ({ ticketId: '1', email: 'a@example.com', subject, tags });

test('HELPDESK_MATCH: a tag, words in the subject, or by default users invited in the last 14 days', () => {
  assert.deepEqual(parseTicketMatch(undefined), { kind: 'invited', days: 14 });
  const tag = parseTicketMatch('tag:Cutover');
  assert.ok(ticketPasses(tag, ticket('anything', ['billing', 'cutover'])));
  assert.ok(!ticketPasses(tag, ticket('cutover in the subject', ['billing'])));
  const words = parseTicketMatch('subject:passkey, sign in ,login');
  assert.deepEqual(words, { kind: 'subject', words: ['passkey', 'sign in', 'login'] });
  assert.ok(ticketPasses(words, ticket('Cannot SIGN IN since Monday')));
  assert.ok(!ticketPasses(words, ticket('Invoice question')));
  assert.ok(ticketPasses(parseTicketMatch(undefined), ticket('anything')), 'the default rule looks at the user, not the ticket');
});
