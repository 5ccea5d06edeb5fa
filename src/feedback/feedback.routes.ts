import { Router, type Request } from 'express';
import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Db } from '../storage/db.ts';
import { InvalidRequestError } from '../http/app-error.ts';
import { WebhookUnauthorizedError } from './hook-errors.ts';
import type { DeskAdapter, SignedRequest } from './helpdesk/desk-adapter.ts';
import { zendesk } from './helpdesk/zendesk.ts';
import { jira } from './helpdesk/jira.ts';
import { helpscout } from './helpdesk/helpscout.ts';
import { intercom } from './helpdesk/intercom.ts';
import { generic } from './helpdesk/generic.ts';
import { parseTicketMatch } from './helpdesk/ticket-match.ts';
import { recordTicket } from './helpdesk/record-ticket.ts';
import type { MailProvider } from './mail-events/mail-provider.ts';
import { fetchFromSns, sesProvider, type SnsHttpGet } from './mail-events/ses.ts';
import { sendgridProvider } from './mail-events/sendgrid.ts';
import { postmarkProvider } from './mail-events/postmark.ts';
import { mailgunProvider } from './mail-events/mailgun.ts';
import { recordMailEvent } from './mail-events/record-mail-event.ts';
import { parseJson } from './mail-events/mail-provider.ts';

export interface FeedbackDeps {
  db: Db;
  logger: Logger;
  config: Config;
  /** How SES's signing certificates and subscription confirmations are fetched; tests pass their own. */
  snsHttpGet?: SnsHttpGet;
}

const signed = (req: Request): SignedRequest => ({
  raw: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  header: (name) => req.get(name),
  now: Date.now(),
});

/**
 * The nine signed webhooks (issue 14). Each checks its party's signature on the raw body before anything else;
 * a refusal is 401, logged with its reason, and records nothing. Answers never say whether an address is known.
 */
export function feedbackRoutes(deps: FeedbackDeps): Router {
  const { db, logger, config } = deps;
  const router = Router();
  const match = parseTicketMatch(config.HELPDESK_MATCH);
  const secrets: Record<DeskAdapter['desk'], string | undefined> = {
    zendesk: config.ZENDESK_WEBHOOK_SECRET, jira: config.JIRA_WEBHOOK_SECRET, helpscout: config.HELPSCOUT_WEBHOOK_SECRET,
    intercom: config.INTERCOM_CLIENT_SECRET, generic: config.HELPDESK_WEBHOOK_SECRET,
  };
  const refuse = (hook: string, req: Request, reason: string): never => {
    logger.warn({ hook, reason, ip: req.ip }, 'webhook refused');
    throw new WebhookUnauthorizedError();
  };

  for (const desk of [zendesk, jira, helpscout, intercom, generic]) {
    router.post(`/hooks/helpdesk/${desk.desk}`, async (req, res) => {
      const request = signed(req);
      const secret = secrets[desk.desk];
      const refusal = secret ? desk.verify(request, secret) : `no secret is set for ${desk.desk}`;
      if (refusal) refuse(`helpdesk/${desk.desk}`, req, refusal);
      const body = parseJson(request.raw);
      if (body === undefined) throw new InvalidRequestError([{ field: 'body', reason: 'not valid JSON' }]);
      const parsed = desk.parse(body, request);
      if ('ignored' in parsed) {
        logger.debug({ hook: `helpdesk/${desk.desk}`, event: parsed.ignored }, 'webhook event ignored');
        return res.json({ received: true });
      }
      if ('noEmail' in parsed) {
        logger.warn({ hook: `helpdesk/${desk.desk}`, ticket: parsed.ticketId, reason: parsed.noEmail }, 'ticket not counted: no requester email');
        return res.status(202).json({ received: true, counted: false, reason: parsed.noEmail });
      }
      const outcome = await recordTicket(db, match, desk.desk, parsed.ticket);
      logger.info({ hook: `helpdesk/${desk.desk}`, ticket: parsed.ticket.ticketId, outcome }, 'ticket received');
      // the same answer whatever the outcome: a desk's webhook log must not tell who has an account
      res.json({ received: true });
    });
  }

  const providers: MailProvider[] = [
    sesProvider((config.SES_SNS_TOPIC_ARNS ?? '').split(',').filter(Boolean), deps.snsHttpGet ?? fetchFromSns, logger),
    sendgridProvider(config.SENDGRID_WEBHOOK_PUBLIC_KEY),
    postmarkProvider(config.POSTMARK_WEBHOOK_USER, config.POSTMARK_WEBHOOK_PASSWORD),
    mailgunProvider(config.MAILGUN_WEBHOOK_SIGNING_KEY),
  ];
  for (const provider of providers) {
    router.post(`/hooks/mail/${provider.provider}`, async (req, res) => {
      const received = await provider.receive(signed(req));
      if ('refused' in received) refuse(`mail/${provider.provider}`, req, received.refused);
      const { events, note } = received as Exclude<typeof received, { refused: string }>;
      let recorded = 0;
      for (const event of events) if ((await recordMailEvent(db, provider.provider, event)) === 'recorded') recorded += 1;
      logger.info({ hook: `mail/${provider.provider}`, events: events.length, recorded, note }, 'mail events received');
      res.json({ received: true });
    });
  }
  return router;
}
