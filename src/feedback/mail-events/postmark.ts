import { safeEqual } from '../signatures.ts';
import { dateOf, lowerEmail, parseJson, type MailEventKind, type MailProvider } from './mail-provider.ts';

/**
 * Postmark (postmarkapp.com/developer/webhooks/webhooks-overview): no signature; the webhook URL carries HTTP Basic
 * credentials (`https://user:password@host/hooks/mail/postmark`), checked here in constant time. Bounce webhook:
 * `RecordType: "Bounce"` with `Type` (HardBounce = TypeCode 1 …); spam complaint webhook:
 * `RecordType: "SpamComplaint"`. `ID` is the event id. No timestamp is signed, so a replay is stopped by `ID`.
 */
const PERMANENT = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const TRANSIENT = new Set(['Transient', 'SoftBounce', 'DnsError']);

function kindOf(body: Record<string, unknown>): MailEventKind | null {
  if (body.RecordType === 'SpamComplaint' || body.Type === 'SpamComplaint') return 'complaint';
  if (body.RecordType !== 'Bounce') return null;
  if (PERMANENT.has(String(body.Type)) || body.Inactive === true) return 'permanent_bounce';
  return TRANSIENT.has(String(body.Type)) ? 'transient_bounce' : null;
}

export function postmarkProvider(user: string | undefined, password: string | undefined): MailProvider {
  return {
    provider: 'postmark',
    async receive({ raw, header }) {
      if (!user || !password) return { refused: 'POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD are not set' };
      const [scheme, encoded] = (header('authorization') ?? '').split(' ', 2);
      if (scheme?.toLowerCase() !== 'basic' || !encoded) return { refused: 'no Basic credentials' };
      const given = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = given.indexOf(':');
      // Both halves are always compared, so timing does not say which one was wrong.
      const userOk = safeEqual(colon < 0 ? given : given.slice(0, colon), user);
      const passwordOk = safeEqual(colon < 0 ? '' : given.slice(colon + 1), password);
      if (!userOk || !passwordOk) return { refused: 'Basic credentials do not match' };
      const body = parseJson(raw) as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return { events: [], note: 'the body is not one JSON object' };
      const kind = kindOf(body);
      const recipient = lowerEmail(body.Email);
      if (!kind || !recipient || body.ID === undefined) return { events: [], note: `ignored ${String(body.RecordType)}/${String(body.Type)}` };
      return {
        events: [{
          eventId: `${String(body.RecordType)}:${String(body.ID)}`.slice(0, 300), kind, recipient,
          occurredAt: dateOf(body.BouncedAt), detail: String(body.Description ?? body.Details ?? body.Type).slice(0, 500),
        }],
      };
    },
  };
}
