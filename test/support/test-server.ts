import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import supertest from 'supertest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createContainer, type Container, type ContainerOverrides } from '../../src/container.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { queueSchema } from '../../src/queue/queue-store.ts';

/**
 * Which storage the integration tests run on: `postgres` (the real server at TEST_DATABASE_URL, one fresh schema
 * per test server) or `embedded` (a fresh PGlite under a temp DATA_DIR). `npm test` runs the suite in both modes.
 */
export const STORAGE = process.env.CUTOVER_TEST_STORAGE === 'embedded' ? 'embedded' : 'postgres';
const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;
/**
 * Where the app keeps sessions, challenges, counts and buckets (src/storage/short-lived/), as the setups do: Redis
 * when TEST_REDIS_URL is set (setup 3), else the database (setups 1 and 2). CUTOVER_TEST_SHORT_LIVED=postgres or
 * redis picks one either way (redis without TEST_REDIS_URL uses 127.0.0.1:6379).
 */
export const SHORT_LIVED: 'redis' | 'postgres' = process.env.CUTOVER_TEST_SHORT_LIVED === 'redis' || process.env.CUTOVER_TEST_SHORT_LIVED === 'postgres'
  ? process.env.CUTOVER_TEST_SHORT_LIVED
  : TEST_REDIS_URL ? 'redis' : 'postgres';
const REDIS_URL = TEST_REDIS_URL ?? (SHORT_LIVED === 'redis' ? 'redis://127.0.0.1:6379' : undefined);
/**
 * The queues: on Redis when the tests have one (setup 3), else in the test's own database through BullMQ's
 * PostgreSQL backend (setups 1 and 2), in a schema named for the test's queue prefix.
 */
export const QUEUE_STORE: 'redis' | 'postgres' = REDIS_URL ? 'redis' : 'postgres';

export interface TestServer {
  container: Container;
  api: ReturnType<typeof supertest>;
  adminToken: string;
  /** The app listening on a loopback port, for clients that need a URL (the CLI). */
  url(): Promise<string>;
  tokenFor(role: 'admin' | 'comms' | 'support' | 'verifier'): Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test rows are checked by assertions
  query(sql: string, values?: unknown[]): Promise<any[]>;
  close(): Promise<void>;
}

export interface TestServerOptions extends ContainerOverrides {
  env?: Record<string, string>;
  /** The port url() listens on (default: any free one). Browser tests pick it first, to put it in BASE_URL. */
  port?: number;
  /** Receives every log line (JSON), for tests that read the logs. */
  logTo?: { write(line: string): void };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const id = randomBytes(5).toString('hex');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-test-'));
  const adminToken = `admin-${randomBytes(18).toString('base64url')}`;
  const schema = `t_${id}`;
  let databaseUrl: string | undefined;
  if (STORAGE === 'postgres') {
    const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    databaseUrl = `${BASE_DATABASE_URL}${BASE_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ...(REDIS_URL ? { REDIS_URL } : {}),
    QUEUE_PREFIX: `cutover-test-${id}`,
    CUTOVER_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  const container = await createContainer(config, createLogger(config.LOG_LEVEL, options.logTo), { shortLivedStore: SHORT_LIVED, ...options });
  const app = createApp(container);
  let server: Server | undefined;

  return {
    container,
    api: supertest(app),
    adminToken,
    async url() {
      server ??= await new Promise<Server>((resolve) => { const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s)); });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async tokenFor(role) {
      const response = await supertest(app).post('/api/v1/tokens').set('authorization', `Bearer ${adminToken}`).send({ name: `test ${role}`, role });
      if (response.status !== 201) throw new Error(`token create failed: ${response.status} ${response.text}`);
      return response.body.token as string;
    },
    async query(sql: string, values?: unknown[]) {
      return (await container.db.query(sql, values)).rows;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      const keys = (await container.redis?.keys(`${config.QUEUE_PREFIX}:*`)) ?? [];
      if (keys.length) await container.redis!.del(...keys);
      await container.close();
      if (STORAGE === 'postgres') {
        const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        if (QUEUE_STORE === 'postgres') await admin.query(`DROP SCHEMA IF EXISTS ${queueSchema(config.QUEUE_PREFIX, false)} CASCADE`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A free loopback port, for a server whose BASE_URL must name its port before it starts. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export function jsonl(rows: unknown[]): string {
  return `${rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n')}\n`;
}
