import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './parse-trust-proxy.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

function isEcPublicKey(value: string): boolean {
  try {
    const text = value.trim();
    const key = text.includes('BEGIN PUBLIC KEY') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec';
  } catch {
    return false;
  }
}

/** A shared webhook secret: long enough that one signed request cannot be brute-forced offline. */
const webhookSecret = z.string().min(16, 'must be at least 16 characters').optional();

/** Every environment variable cutover reads. This is the only list; see the README's configuration table. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Public origin of the service; links in mail and the WebAuthn origin come from it. Defaults to http://localhost:PORT. */
  BASE_URL: optionalUrl,
  /**
   * The WebAuthn RP ID passkeys are made under: BASE_URL's host (the default) or a registrable suffix of it
   * (`example.com` for `migrate.example.com`), so that the target platform can take the passkeys over. Checked
   * against BASE_URL at startup (check-rp-id.ts).
   */
  WEBAUTHN_RP_ID: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** A PostgreSQL server. When unset, cutover runs an embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Connections to DATABASE_URL per process (the embedded database always has one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Redis or Valkey, for scale-out and high sign-in rates. Unset: the queues live in the database (BullMQ's PostgreSQL backend). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_{}-]+$/, 'may hold only letters, digits and : _ - { }')
    .default('cutover'),
  CUTOVER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CUTOVER_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Bearer token for Prometheus on GET /metrics (admin API tokens work too). */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  LEGACY_VERIFY_URL: optionalUrl,
  LEGACY_VERIFY_TOKEN: z.string().min(1).optional(),
  LEGACY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  /** The Cognito custom attribute that gets the legacy id on migration (e.g. `custom:legacy_id`); unset, none is sent. */
  COGNITO_LEGACY_ID_ATTRIBUTE: z.string().regex(/^custom:[A-Za-z0-9_]{1,20}$/, 'must be "custom:" and a name of 1 to 20 letters, digits or _').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Largest import body accepted, in MiB. */
  IMPORT_MAX_MB: z.coerce.number().int().min(1).max(100_000).default(4096),
  /** Failed verifications per login (and per end-user IP) in VERIFY_FAILURE_WINDOW_S before 429. */
  VERIFY_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(10),
  VERIFY_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Mail relay, `smtp://user:pass@host:587` or `smtps://…`. Unset: mail goes to the dev outbox at /dev/outbox. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('cutover <no-reply@localhost>'),
  /** How many SMTP connections the pooled transport keeps open. */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  /** The organisation as users know it: named in every mail and page. */
  ORG_NAME: z.string().min(1).max(100).default('Example Ltd'),
  SUPPORT_EMAIL: z.email().default('support@example.com'),
  SUPPORT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How often the dispatcher releases paced invitations to the send queue; each release is at most one tick's worth. */
  DISPATCH_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(50),
  /** A released invitation still unsent after this long is queued again (its job may have been lost with Redis). */
  SEND_LOST_AFTER_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Turns pacing off: every due invitation is released at once. For benchmarks and drills only. */
  DISPATCH_UNTHROTTLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Concurrent send jobs per worker process. */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
  /** Audit entries older than this many days are deleted by an hourly job. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  /** Peers that may say who the client is (X-Forwarded-For): names, addresses, subnets or a hop count; never `true`. */
  TRUST_PROXY: z.string().default('loopback').transform((value, ctx): TrustProxy => {
    const parsed = parseTrustProxy(value);
    if (typeof parsed === 'object' && !Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  }),
  /** The dev outbox (staff setup links, invitation links) answers only loopback clients unless this is true. */
  DEV_OUTBOX_PUBLIC: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** A legacy hash whose one check would take longer than this (ms of CPU, by the cost model calibrated at startup) is refused at import. */
  LEGACY_HASH_MAX_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Worker threads that check legacy hashes. Unset: one per core. */
  LEGACY_HASH_POOL_SIZE: z.coerce.number().int().min(1).max(256).optional(),
  /** Legacy hash checks that may wait for a worker; beyond that /api/v1/verify answers 503 busy. Unset: 8 per worker. */
  LEGACY_HASH_QUEUE_MAX: z.coerce.number().int().min(0).max(100_000).optional(),
  /** Help-desk webhooks (POST /hooks/helpdesk/…): each desk's signing secret; unset refuses that desk with 401. */
  ZENDESK_WEBHOOK_SECRET: webhookSecret,
  JIRA_WEBHOOK_SECRET: webhookSecret,
  HELPSCOUT_WEBHOOK_SECRET: webhookSecret,
  INTERCOM_CLIENT_SECRET: webhookSecret,
  /** The generic signed form (Freshdesk, ServiceNow, HubSpot automations). */
  HELPDESK_WEBHOOK_SECRET: webhookSecret,
  /** Which tickets count: `tag:NAME` or `subject:word,word`. Unset: every ticket from a user invited in the last 14 days. */
  HELPDESK_MATCH: z
    .string()
    .regex(/^(tag:[^,\s][^,]*|subject:[^,]+(,[^,]+)*)$/, 'must be tag:NAME or subject:word,word (words in the subject, any of them)')
    .optional(),
  /** Mail-provider webhooks (POST /hooks/mail/…). SES: the SNS topic ARNs accepted, comma separated. */
  SES_SNS_TOPIC_ARNS: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(,arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+)*$/, 'must be SNS topic ARNs, comma separated (arn:aws:sns:REGION:ACCOUNT:TOPIC)')
    .optional(),
  /** SendGrid's Signed Event Webhook verification key: base64 DER (as its settings page shows it) or PEM. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().refine(isEcPublicKey, 'must be the verification key SendGrid shows: a base64 (DER) or PEM elliptic-curve public key').optional(),
  POSTMARK_WEBHOOK_USER: z.string().min(1).max(200).optional(),
  POSTMARK_WEBHOOK_PASSWORD: webhookSecret,
  MAILGUN_WEBHOOK_SIGNING_KEY: webhookSecret,
  /** Largest webhook body, in KiB (SendGrid batches events). */
  HOOKS_MAX_KB: z.coerce.number().int().min(1).max(10_240).default(1024),
  /** Graceful shutdown: how long in-flight requests and jobs may take after SIGTERM. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
});

export type Env = z.infer<typeof envSchema>;
