import { z } from 'zod';
import { validate } from '../../http/validate.ts';
import { hmac, safeEqual } from '../signatures.ts';
import { emailText, idText, type DeskAdapter } from './desk-adapter.ts';

/**
 * Intercom (developers.intercom.com, "Webhooks": signed notifications): `X-Hub-Signature: sha1=<hex
 * HMAC-SHA1(client_secret, body)>`. Topic `conversation.user.created` carries the conversation in `data.item`,
 * whose `source.author` is the contact who wrote in. No delivery timestamp is signed apart from the body's own
 * `created_at`, so a replay is stopped by (desk, ticket id).
 */
const notification = z.object({
  topic: z.string(),
  data: z.object({
    item: z.object({
      id: z.union([z.string(), z.number()], { message: 'is required: the conversation id' }),
      title: z.string().max(2000).nullish(),
      source: z.object({
        subject: z.string().max(2000).nullish(),
        author: z.object({ email: z.string().nullish() }).passthrough().nullish(),
      }).passthrough().nullish(),
      tags: z.object({ tags: z.array(z.object({ name: z.string() }).passthrough()).max(500) }).passthrough().nullish(),
    }).passthrough(),
  }, { message: 'is required: data.item holds the conversation' }),
});

export const intercom: DeskAdapter = {
  desk: 'intercom',
  verify({ raw, header }, secret) {
    const given = header('x-hub-signature');
    if (!given?.startsWith('sha1=')) return 'X-Hub-Signature (sha1=…) is missing';
    return safeEqual(given, `sha1=${hmac('sha1', secret, raw).toString('hex')}`) ? null : 'signature does not match';
  },
  parse(body) {
    const topic = (body as { topic?: unknown })?.topic;
    if (topic !== 'conversation.user.created') return { ignored: String(topic ?? 'no topic').slice(0, 80) };
    const { data: { item } } = validate(notification, body);
    const ticketId = idText(item.id)!;
    const email = emailText(item.source?.author?.email);
    if (!email) return { noEmail: 'the conversation\'s author has no email (an anonymous visitor)', ticketId };
    const subject = item.title ?? item.source?.subject ?? undefined;
    return { ticket: { ticketId, email, subject, tags: (item.tags?.tags ?? []).map((t) => t.name) } };
  },
};
