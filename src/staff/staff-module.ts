import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Db } from '../storage/db.ts';
import type { AttemptCounter } from '../storage/attempt-counter.ts';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { SecretBox } from '../identity/secret-box.ts';
import { StaffSessionStore } from '../http/staff-session-store.ts';
import { VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import { StaffService } from './staff.service.ts';
import { StaffSetupService } from './staff-setup.service.ts';
import { LOCK_AFTER_FAILURES, LOCK_MINUTES, StaffLoginService } from './staff-login.service.ts';

/** Failed staff logins from one address before it waits: higher than per email, since an office shares one. */
const LOGIN_FAILURES_PER_IP = 30;

export interface StaffModule {
  accounts: StaffService;
  setup: StaffSetupService;
  login: StaffLoginService;
  sessions: StaffSessionStore;
}

/** The staff feature's parts, wired together; the container holds them as `staff`. */
export function createStaffModule(deps: { config: Config; db: Db; store: ShortLivedStore; attempts: AttemptCounter; logger: Logger; mail?: MailTransport }): StaffModule {
  const { config, db, store } = deps;
  const box = new SecretBox(config.CUTOVER_SECRET);
  const limiter = new VerifyFailureLimiter(deps.attempts, {
    prefix: config.QUEUE_PREFIX, scope: 'staff-login-fail', maxFailures: LOCK_AFTER_FAILURES,
    maxFailuresPerIp: LOGIN_FAILURES_PER_IP, windowSeconds: LOCK_MINUTES * 60,
  });
  return {
    accounts: new StaffService(db, deps.logger, {
      baseUrl: config.BASE_URL, orgName: config.ORG_NAME, revealSetupLinks: config.NODE_ENV !== 'production', mail: deps.mail,
    }),
    setup: new StaffSetupService(db, box, config.ORG_NAME),
    login: new StaffLoginService(db, box, limiter),
    sessions: new StaffSessionStore(store, { prefix: config.QUEUE_PREFIX }),
  };
}
