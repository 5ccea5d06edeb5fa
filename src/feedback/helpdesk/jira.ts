import { z } from 'zod';
import { validate } from '../../http/validate.ts';
import { hmac, safeEqual } from '../signatures.ts';
import { emailText, idText, type DeskAdapter } from './desk-adapter.ts';

/**
 * Jira Service Management (developer.atlassian.com/cloud/jira/platform/webhooks, "Secure admin webhooks"): an admin
 * webhook with a secret sends `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>` (the WebSub form). The signed
 * body carries no delivery timestamp, so a replay is stopped by (desk, ticket id) alone.
 */
const issueCreated = z.object({
  webhookEvent: z.string(),
  issue: z.object({
    id: z.union([z.string(), z.number()]),
    key: z.string().optional(),
    fields: z.object({
      summary: z.string().max(2000).optional(),
      labels: z.array(z.string().max(255)).max(500).optional(),
      reporter: z.object({ emailAddress: z.string().optional(), accountId: z.string().optional() }).nullish(),
    }).optional(),
  }, { message: 'is required on jira:issue_created' }),
});

export const jira: DeskAdapter = {
  desk: 'jira',
  verify({ raw, header }, secret) {
    const given = header('x-hub-signature');
    if (!given?.startsWith('sha256=')) return 'X-Hub-Signature (sha256=…) is missing';
    return safeEqual(given, `sha256=${hmac('sha256', secret, raw).toString('hex')}`) ? null : 'signature does not match';
  },
  parse(body) {
    const event = body as { webhookEvent?: unknown };
    if (event?.webhookEvent !== 'jira:issue_created') return { ignored: String(event?.webhookEvent ?? 'no webhookEvent').slice(0, 80) };
    const { issue } = validate(issueCreated, body);
    const ticketId = idText(issue.id)!;
    const email = emailText(issue.fields?.reporter?.emailAddress);
    // The reporter's emailAddress is absent when their profile visibility hides it.
    if (!email) return { noEmail: 'the reporter\'s emailAddress is hidden (Atlassian profile visibility)', ticketId };
    return { ticket: { ticketId, email, subject: issue.fields?.summary, tags: issue.fields?.labels ?? [] } };
  },
};
