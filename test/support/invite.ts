import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { enrolmentLink, type SmtpSink } from './smtp-sink.ts';
import { jsonl, type TestServer } from './test-server.ts';

export const ALWAYS_STAFFED = [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }];

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface InvitedUser {
  legacyId: string;
  email: string;
  /** The path of the link in the invitation mail: /enrol/<token>. */
  link: string;
  token: string;
}

/**
 * Imports reset-path users, runs a campaign wave for them through the real worker and SMTP server, and returns each
 * user's link from the mail they received. Needs the server's workers to be running.
 */
export async function inviteUsers(server: TestServer, smtp: SmtpSink, users: { id: string; email: string; given_name?: string; locale?: string }[], campaign: Record<string, unknown> = {}): Promise<{ campaignId: string; waveId: string; users: InvitedUser[] }> {
  const admin = `Bearer ${server.adminToken}`;
  const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson')
    .send(jsonl(users.map((u) => ({ path: 'reset', ...u }))));
  assert.equal(imported.status, 201, imported.text);
  const created = await server.api.post('/api/v1/campaigns').set('authorization', admin).send({
    name: 'Re-enrolment', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [], methods: ['passkey', 'totp'], max_per_hour: null,
    helpdesk: { capacity_per_hour: 1800, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED }, ...campaign,
  });
  assert.equal(created.status, 201, created.text);
  const wave = await server.api.post(`/api/v1/campaigns/${created.body.id}/waves`).set('authorization', admin)
    .send({ name: 'Wave', cohort: { paths: ['reset'], legacy_ids: users.map((u) => u.id) } });
  assert.equal(wave.status, 201, wave.text);
  const invited = await waitFor('invitation mails', async () => {
    const found = users.map((u) => smtp.to(u.email).at(-1));
    return found.every(Boolean) ? found : undefined;
  });
  // The mail can arrive a moment before the send job marks the invitation sent; a link opened in that gap is not live yet.
  await waitFor('invitations marked sent', async () => {
    const [row] = await server.query(
      "SELECT count(*) FILTER (WHERE i.state = 'queued' OR i.state = 'sending')::int AS pending FROM invitations i WHERE i.wave_id = $1", [wave.body.id]);
    return row.pending === 0 ? true : undefined;
  });
  return {
    campaignId: created.body.id, waveId: wave.body.id,
    users: users.map((u, i) => {
      const { url, token } = enrolmentLink(invited[i]!);
      return { legacyId: u.id, email: u.email, link: new URL(url).pathname, token };
    }),
  };
}
