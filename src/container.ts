import type { Redis } from 'ioredis';
import type { Config } from './config/load-config.ts';
import type { Logger } from './observability/logger.ts';
import type { Db } from './storage/db.ts';
import { openDatabase } from './storage/open-database.ts';
import { migrate } from './storage/migrate.ts';
import { openRedis } from './storage/redis.ts';
import { maskUrl } from './storage/mask-url.ts';
import { ConnectionWatch } from './observability/connection-watch.ts';
import { queueStoreFor, settleQueueStore } from './queue/queue-store.ts';
import { ShortLivedAttemptCounter, type AttemptCounter } from './storage/attempt-counter.ts';
import type { ShortLivedStore } from './storage/short-lived/short-lived-store.ts';
import { RedisShortLivedStore } from './storage/short-lived/redis-short-lived-store.ts';
import { PostgresShortLivedStore } from './storage/short-lived/postgres-short-lived-store.ts';
import { QueueSystem } from './queue/queue-system.ts';
import { ApiTokenService } from './tokens/api-token.service.ts';
import { ImportService } from './migration/import/import.service.ts';
import { VerifyService } from './migration/verify/verify.service.ts';
import { VerifyFailureLimiter } from './migration/verify/verify-failure-limiter.ts';
import { HttpLegacyVerifier } from './migration/jit/http-legacy-verifier.ts';
import { CircuitBreakerVerifier } from './migration/jit/circuit-breaker.ts';
import type { LegacyVerifier } from './migration/jit/legacy-verifier.ts';
import { calibrateFailureFloor } from './migration/verify/calibrate-failure-floor.ts';
import { FailureFloor } from './migration/verify/failure-floor.ts';
import { RefusalPacer } from './http/pace-refusals.ts';
import { LegacyCheckCosts } from './migration/verify/legacy-check-costs.ts';
import { createStaffModule, type StaffModule } from './staff/staff-module.ts';
import { checkTemplates } from './mail/check-templates.ts';
import { checkLocales } from './i18n/check-locales.ts';
import { createMailTransport } from './mail/create-mail-transport.ts';
import type { MailTransport } from './mail/mail-transport.ts';
import { CampaignService } from './campaigns/campaign.service.ts';
import { WaveService } from './campaigns/wave.service.ts';
import { templateLocales } from './mail/render-mail.ts';
import { SecretBox } from './identity/secret-box.ts';
import { RecoveryCodes } from './enrolment/recovery-codes.ts';
import { EnrolmentService } from './enrolment/enrolment.service.ts';
import { SignInService } from './enrolment/signin.service.ts';
import { relyingParty } from './enrolment/relying-party.ts';
import { warnStrandedPasskeys } from './enrolment/warn-stranded-passkeys.ts';
import { SupportService } from './support/support.service.ts';
import { UserLockouts, signInLockoutSource, verifyLockoutSource } from './support/user-lockouts.ts';
import { ProcessMetrics } from './observability/metrics-registry.ts';
import { TimedLegacyVerifier } from './observability/timed-legacy-verifier.ts';
import { HashCheckPool } from './identity/hashes/hash-check-pool.ts';
import { calibrateHashCosts } from './identity/hashes/hash-cost-model.ts';
import { HookVerifier } from './hooks/hook-verifier.ts';
import { deriveKey } from './identity/secret-box.ts';
import type { SnsHttpGet } from './feedback/mail-events/ses.ts';

/** Everything the app and the workers use, wired by hand in one place. */
export interface Container {
  config: Config;
  logger: Logger;
  db: Db;
  /** The connection to REDIS_URL; null when it is unset (setups 1 and 2: queues and short-lived state in the database). */
  redis: Redis | null;
  /**
   * Sessions, WebAuthn challenges, attempt counts, hook answers, the dispatcher lock and send buckets: Redis when
   * REDIS_URL is set, else the database (src/storage/short-lived/).
   */
  store: ShortLivedStore;
  /** Where every limiter counts attempts (src/storage/attempt-counter.ts). */
  attempts: AttemptCounter;
  queues: QueueSystem;
  tokens: ApiTokenService;
  imports: ImportService;
  verify: VerifyService;
  /** The platform hooks' way into `verify`: one decision per credentials within a few seconds (issue 12). */
  hooks: HookVerifier;
  legacy: LegacyVerifier | null;
  /** Staff accounts, setup links, console login and sessions. */
  staff: StaffModule;
  /** SMTP when SMTP_URL is set, else the dev outbox (never in production). */
  mail: MailTransport;
  campaigns: CampaignService;
  waves: WaveService;
  /** Re-enrolment from invitation links, and the end-user sign-in page's passkey and recovery-code checks. */
  enrolment: EnrolmentService;
  signIn: SignInService;
  /** Holds every 401 of /api/v1/verify and /signin to one beat from the request's arrival (issue 9, item 5). */
  refusals: RefusalPacer;
  /** Seals TOTP secrets and other short secrets at rest (AES-256-GCM, key from CUTOVER_SECRET). */
  box: SecretBox;
  /** Every lock on a user's sign-in; `clearLockout` clears them all (register more with `addSource`). */
  lockouts: UserLockouts;
  support: SupportService;
  /** Counters this process keeps for GET /metrics. */
  metrics: ProcessMetrics;
  /** Worker threads that check legacy hashes (LEGACY_HASH_POOL_SIZE, LEGACY_HASH_QUEUE_MAX). */
  hashChecks: HashCheckPool;
  /** Tests only: answers SES's certificate and subscription GETs instead of the network (see ContainerOverrides). */
  snsHttpGet?: SnsHttpGet;
  /** Set by the worker in the same process: tells the dispatcher to re-read waves and rates now. */
  onCampaignChange?: () => void;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  /** Tests swap in a fake legacy system; production builds the HTTP verifier from LEGACY_VERIFY_URL. */
  legacy?: LegacyVerifier | null;
  db?: Db;
  /** Tests may send through their own transport (it is not closed with the container). */
  mail?: MailTransport;
  /**
   * Tests only: answers GETs to sns.<region>.amazonaws.com (signing certificates made in the test, subscription
   * confirmations), so that no test reaches AWS. Production fetches them over https.
   */
  snsHttpGet?: SnsHttpGet;
  /** Where short-lived state lives; by default Redis when REDIS_URL is set, else the database. */
  shortLivedStore?: 'redis' | 'postgres';
}

export async function createContainer(config: Config, logger: Logger, overrides: ContainerOverrides = {}): Promise<Container> {
  checkLocales(); // a missing key, a message that does not parse or a wrong placeholder stops startup
  checkTemplates(); // a missing template stops startup, not the first send job
  const db = overrides.db ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: config.DATABASE_POOL_SIZE, logger }));
  await migrate(db, logger);
  await warnStrandedPasskeys(db, relyingParty(config), logger); // passkeys made under an RP ID other than WEBAUTHN_RP_ID
  const redis = config.REDIS_URL ? openRedis(config.REDIS_URL) : null;
  if (redis) {
    const redisWatch = new ConnectionWatch(logger, 'Redis', maskUrl(config.REDIS_URL!));
    redis.on('error', (error) => redisWatch.lost(error));
    redis.on('ready', () => redisWatch.back());
  }
  const queues = new QueueSystem({ store: await settleQueueStore(queueStoreFor({ redisUrl: config.REDIS_URL, database: db.address, prefix: config.QUEUE_PREFIX })), prefix: config.QUEUE_PREFIX, logger });
  await queues.ready();
  const metrics = new ProcessMetrics();
  const legacyVerifier = overrides.legacy !== undefined
    ? overrides.legacy
    : config.LEGACY_VERIFY_URL
      ? new CircuitBreakerVerifier(new HttpLegacyVerifier({ url: config.LEGACY_VERIFY_URL, token: config.LEGACY_VERIFY_TOKEN, timeoutMs: config.LEGACY_TIMEOUT_MS }))
      : null;
  const legacy = legacyVerifier && new TimedLegacyVerifier(legacyVerifier, metrics);
  const shortLived = overrides.shortLivedStore ?? (redis ? 'redis' : 'postgres');
  if (shortLived === 'redis' && !redis) throw new Error('the short-lived store on Redis needs REDIS_URL');
  const store: ShortLivedStore = shortLived === 'redis' ? new RedisShortLivedStore(redis!) : new PostgresShortLivedStore(db);
  const attempts = new ShortLivedAttemptCounter(store);
  const limiter = new VerifyFailureLimiter(attempts, { prefix: config.QUEUE_PREFIX, maxFailures: config.VERIFY_MAX_FAILURES, windowSeconds: config.VERIFY_FAILURE_WINDOW_S });
  const tokens = new ApiTokenService(db, config.CUTOVER_ADMIN_TOKEN);
  const mail = overrides.mail ?? createMailTransport({
    smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, poolSize: config.SMTP_POOL_SIZE, nodeEnv: config.NODE_ENV, db, logger,
  });
  const hashChecks = new HashCheckPool({ size: config.LEGACY_HASH_POOL_SIZE, queueMax: config.LEGACY_HASH_QUEUE_MAX });
  const hashCosts = await calibrateHashCosts(hashChecks);
  const checkCosts = new LegacyCheckCosts(db, logger, hashChecks);
  await checkCosts.load();
  checkCosts.startRefreshing();
  const floor = new FailureFloor(await calibrateFailureFloor(), checkCosts);
  const campaigns = new CampaignService(db);
  const box = new SecretBox(config.CUTOVER_SECRET);
  const recoveryCodes = new RecoveryCodes(config.CUTOVER_SECRET);
  const signInLimiter = new VerifyFailureLimiter(attempts, { prefix: config.QUEUE_PREFIX, scope: 'signin-fail', maxFailures: 5, maxFailuresPerIp: 30, windowSeconds: 900 });
  const enrolment = new EnrolmentService(db, attempts, box, recoveryCodes, { rp: relyingParty(config), orgName: config.ORG_NAME, prefix: config.QUEUE_PREFIX });
  const lockouts = new UserLockouts([verifyLockoutSource(limiter), signInLockoutSource(signInLimiter, db), enrolment.lockoutSource()]);
  logger.debug({ failureFloorMs: floor.ms }, 'verify failure floor calibrated');
  logger.debug({ msPerWork: Object.fromEntries(hashCosts) }, 'legacy hash cost model calibrated');
  const verify = new VerifyService(db, limiter, legacy, logger, { floor, box, recoveryCodes, hashChecks, onRecorded: (path, outcome, platform) => metrics.verifications.inc({ path: path ?? 'unknown', outcome, ...(platform ? { platform } : {}) }) });

  return {
    config, logger, db, redis, store, attempts, queues, tokens, legacy, campaigns, box, metrics, hashChecks,
    enrolment, snsHttpGet: overrides.snsHttpGet,
    signIn: new SignInService(db, recoveryCodes, signInLimiter, relyingParty(config), floor),
    refusals: new RefusalPacer(floor),
    mail, lockouts,
    support: new SupportService(db, queues, lockouts),
    waves: new WaveService(db, campaigns, templateLocales),
    imports: new ImportService(db, logger, { maxHashCheckMs: config.LEGACY_HASH_MAX_MS, checkCosts }),
    staff: createStaffModule({ config, db, store, attempts, logger, mail }),
    verify, hooks: new HookVerifier(verify, store, { key: deriveKey(config.CUTOVER_SECRET!, 'cutover hook dedupe v1'), prefix: config.QUEUE_PREFIX }),
    async close() {
      checkCosts.stop();
      if (!overrides.mail) await mail.close();
      await queues.close();
      redis?.disconnect();
      if (!overrides.db) await db.close();
      await hashChecks.close();
    },
  };
}
