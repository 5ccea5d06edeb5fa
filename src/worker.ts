import type { Container } from './container.ts';
import { checkHandlers } from './queue/job-registry.ts';
import { reapStalledImports } from './migration/import/reap-stalled-imports.ts';
import { renderMail } from './mail/render-mail.ts';
import { sendInvitation, type RenderInvitationMail } from './campaigns/send-invitation.ts';
import { expireInvitations } from './campaigns/expire-invitations.ts';
import { InvitationDispatcher } from './campaigns/invitation-dispatcher.ts';
import { sendEnrolledMail } from './enrolment/send-enrolled-mail.ts';
import { pruneAuditLog } from './audit/prune-audit-log.ts';

const STALLED_IMPORT_SECONDS = 600;
// Schedules live in Redis; asserting them again now and then brings them back after Redis lost its data.
const RESCHEDULE_EVERY_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

export interface Workers {
  dispatcher: InvitationDispatcher;
  stop(): Promise<void>;
}

/** Starts the job workers for every queue, the scheduled jobs and the dispatcher. Fails at startup if a job has no handler. */
export async function startWorkers(container: Container): Promise<Workers> {
  const { config, db, logger, queues } = container;
  const org = { name: config.ORG_NAME, supportEmail: config.SUPPORT_EMAIL, supportUrl: config.SUPPORT_URL ?? null };
  const render: RenderInvitationMail = (kind, locale, context) => renderMail(kind, locale, { ...context, org });
  const handlers = checkHandlers({
    'imports.reap-stalled': async ({ staleAfterSeconds }) => {
      const reaped = await reapStalledImports(db, staleAfterSeconds);
      if (reaped > 0) logger.warn({ reaped }, 'marked stalled imports as failed');
      return { reaped };
    },
    'invitations.send': ({ invitationId, mail }) => sendInvitation({ db, mail: container.mail, render, baseUrl: config.BASE_URL, messageIdDomain: new URL(config.BASE_URL).hostname, logger }, invitationId, mail),
    'invitations.expire': async () => ({ expired: await expireInvitations(db) }),
    'enrolment.confirm': ({ invitationId }) => sendEnrolledMail({
      db, mail: container.mail, org,
    }, invitationId),
    'audit.prune': async () => ({ deleted: await pruneAuditLog(db, config.AUDIT_RETENTION_DAYS) }),
    'short-lived.sweep': async () => ({ deleted: await container.store.sweep() }),
  });
  queues.startWorkers(handlers, { send: config.SEND_CONCURRENCY, maintenance: 2 });
  const schedule = async () => {
    await queues.schedule('imports.reap-stalled', 60_000, { staleAfterSeconds: STALLED_IMPORT_SECONDS });
    await queues.schedule('invitations.expire', 60_000, {});
    await queues.schedule('audit.prune', 3_600_000, {});
    // Redis expires its keys itself; the database's expired rows are deleted here (reads already ignore them).
    if (container.store.kind === 'postgres') await queues.schedule('short-lived.sweep', SWEEP_EVERY_MS, {});
  };
  await schedule();
  const rescheduler = setInterval(() => void schedule().catch((error: unknown) => logger.warn({ err: error }, 'could not assert job schedules')), RESCHEDULE_EVERY_MS);
  rescheduler.unref();

  const dispatcher = new InvitationDispatcher(db, container.store, queues, logger, {
    prefix: config.QUEUE_PREFIX, tickMs: config.DISPATCH_INTERVAL_MS, unthrottled: config.DISPATCH_UNTHROTTLED, lostAfterMs: config.SEND_LOST_AFTER_MS,
  });
  dispatcher.start();
  container.onCampaignChange = () => dispatcher.refreshSoon();
  logger.info('workers started');
  return {
    dispatcher,
    async stop() {
      clearInterval(rescheduler);
      await dispatcher.stop();
    },
  };
}
