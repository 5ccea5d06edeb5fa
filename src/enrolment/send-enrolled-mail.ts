import type { Db } from '../storage/db.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { renderMail } from '../mail/render-mail.ts';

export interface EnrolledMailDeps {
  db: Db;
  mail: MailTransport;
  org: { name: string; supportEmail: string; supportUrl?: string | null };
}

/**
 * The "you set up a new sign-in" notice after enrolment: it names the method and tells the user who to contact if
 * it was not them, the usual alarm for a link used by someone else. Sent once per enrolled invitation (the job id
 * is the invitation's); a mail that fails is retried by the queue.
 */
export async function sendEnrolledMail(deps: EnrolledMailDeps, invitationId: string): Promise<string> {
  const { rows: [row] } = await deps.db.query<{
    email: string | null; given_name: string | null; name: string | null; locale: string | null; campaign_locale: string; method: 'passkey' | 'totp' | null;
  }>(
    `SELECT u.email, u.given_name, u.name, u.locale, c.locale AS campaign_locale, i.method
     FROM invitations i JOIN users u ON u.id = i.user_id JOIN campaigns c ON c.id = i.campaign_id
     WHERE i.id = $1 AND i.state = 'enrolled'`,
    [invitationId],
  );
  if (!row?.email || (row.method !== 'passkey' && row.method !== 'totp')) return 'not enrolled';
  const rendered = renderMail('enrolled', row.locale ?? row.campaign_locale, {
    org: deps.org, user: { givenName: row.given_name, name: row.name, email: row.email }, method: row.method,
  });
  await deps.mail.send({ to: row.email, subject: rendered.subject, html: rendered.html, text: rendered.text, headers: { 'X-Cutover-Invitation': `${invitationId}/enrolled` } });
  return 'sent';
}
