import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startWorkers, type Workers } from '../src/worker.ts';
import { CLI } from './support/run-cli.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { jsonl, QUEUE_STORE, STORAGE, startTestServer, type TestServer } from './support/test-server.ts';

const ALWAYS = [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }];

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A server whose workers run in this process (or, for the kill test, in a child), a sink, and `count` reset users. */
async function setup(count: number, options: { inProcessWorkers: boolean }) {
  const smtp = new SmtpSink();
  const smtpUrl = await smtp.start();
  const server = await startTestServer({ env: { SMTP_URL: smtpUrl, SEND_LOST_AFTER_MS: '2000' } });
  const workers = options.inProcessWorkers ? await startWorkers(server.container) : null;
  const users = Array.from({ length: count }, (_, i) => ({ id: `f-${i}`, email: `f${i}@example.com`, path: 'reset' }));
  await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson').send(jsonl(users));
  const campaign = await server.api.post('/api/v1/campaigns').set('authorization', `Bearer ${server.adminToken}`)
    .send({ name: 'faults', helpdesk: { capacity_per_hour: 3600, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS } }); // 72,000/h: 20 a second
  return { smtp, server, workers, campaignId: campaign.body.id as string };
}

async function startWave(server: TestServer, campaignId: string) {
  const wave = await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', `Bearer ${server.adminToken}`).send({ name: 'w' });
  assert.equal(wave.status, 201, wave.text);
  return wave.body.id as string;
}

const sentCount = async (server: TestServer, waveId: string) =>
  (await server.query('SELECT count(*)::int AS n FROM invitations WHERE wave_id = $1 AND sent_at IS NOT NULL', [waveId]))[0].n as number;

describe(`campaign faults, with real Postgres and SMTP, queues on ${QUEUE_STORE}`, () => {
  test('Redis losing its data mid-wave: the wave carries on from Postgres and everyone gets one invitation', { skip: QUEUE_STORE !== 'redis' ? 'the queues are in PostgreSQL here; losing Redis\'s data is a setup 3 fault (TEST_REDIS_URL)' : false }, async () => {
    const { smtp, server, workers, campaignId } = await setup(80, { inProcessWorkers: true });
    try {
      const waveId = await startWave(server, campaignId);
      await waitFor('some sent', async () => (await sentCount(server, waveId)) >= 15);
      // What a FLUSHALL does to this deployment, without touching other tests' keys: every key under its prefix.
      const keys = await server.container.redis!.keys(`${server.container.config.QUEUE_PREFIX}:*`);
      await server.container.redis!.del(...keys);
      await waitFor('all 80 sent', async () => (await sentCount(server, waveId)) === 80);
      const recipients = new Set(smtp.mails.flatMap((m) => m.to));
      assert.equal(recipients.size, 80, 'every targeted user got an invitation');
      assert.ok(smtp.mails.length <= 80 + 20, `${smtp.mails.length - 80} duplicates, at most the send concurrency`);
    } finally {
      await workers!.stop();
      await server.close();
      await smtp.stop();
    }
  });

  test('the SMTP server down for a while: nothing is lost, and everything goes out once it is back', async () => {
    const { smtp, server, workers, campaignId } = await setup(30, { inProcessWorkers: true });
    const port = smtp.port;
    try {
      await smtp.stop();
      const waveId = await startWave(server, campaignId);
      await waitFor('attempts failing', async () => (await server.query('SELECT count(*)::int AS n FROM invitations WHERE wave_id = $1 AND attempts > 0', [waveId]))[0].n >= 30);
      assert.equal(await sentCount(server, waveId), 0);
      const [states] = await server.query("SELECT count(*) FILTER (WHERE state IN ('queued', 'sending'))::int AS waiting FROM invitations WHERE wave_id = $1", [waveId]);
      assert.equal(states.waiting, 30, 'nothing is marked failed or lost while the relay is down');
      await smtp.start(port);
      // The backoff elapses (30 s for a first failure); time travel rather than wait.
      await server.query('UPDATE invitations SET not_before = now() WHERE wave_id = $1', [waveId]);
      await waitFor('all 30 sent', async () => (await sentCount(server, waveId)) === 30);
      assert.equal(new Set(smtp.mails.flatMap((m) => m.to)).size, 30);
      assert.equal(smtp.mails.length, 30, 'each sent once');
    } finally {
      await workers!.stop();
      await server.close();
      await smtp.stop();
    }
  });

  test(`a worker killed with SIGKILL mid-wave, then restarted (queues on ${QUEUE_STORE}): every user gets an invitation, few duplicates`, { skip: STORAGE === 'embedded' ? 'cutover worker in its own process needs a shared PostgreSQL server; the embedded database lives inside one process' : false }, async () => {
    const { smtp, server, campaignId } = await setup(120, { inProcessWorkers: false });
    const spawnWorker = (): ChildProcess => spawn(process.execPath, [CLI, 'worker'], {
      env: {
        PATH: process.env.PATH ?? '', DATABASE_URL: server.container.config.DATABASE_URL!,
        ...(server.container.config.REDIS_URL ? { REDIS_URL: server.container.config.REDIS_URL } : {}),
        QUEUE_PREFIX: server.container.config.QUEUE_PREFIX, SMTP_URL: server.container.config.SMTP_URL!, LOG_LEVEL: 'warn', DATA_DIR: server.container.config.dataDir,
        SEND_CONCURRENCY: '10', SEND_LOST_AFTER_MS: '2000',
      },
      stdio: 'ignore',
    });
    let worker = spawnWorker();
    try {
      const waveId = await startWave(server, campaignId);
      await waitFor('some sent', async () => (await sentCount(server, waveId)) >= 20, 60_000);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      const atKill = await sentCount(server, waveId);
      assert.ok(atKill < 120, 'killed mid-wave');
      worker = spawnWorker();
      // The killed worker's active jobs come back once BullMQ sees their locks lapse (30 s lock, 30 s stall check).
      await waitFor('all 120 sent', async () => (await sentCount(server, waveId)) === 120, 180_000);
      assert.equal(new Set(smtp.mails.flatMap((m) => m.to)).size, 120, 'every targeted user got an invitation');
      assert.ok(smtp.mails.length - 120 <= 10, `${smtp.mails.length - 120} duplicates; at most the worker's concurrency (10)`);
    } finally {
      worker.kill('SIGKILL');
      await server.close();
      await smtp.stop();
    }
  });
});

describe('the throttle', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup(40, { inProcessWorkers: true });
  });
  after(async () => {
    await ctx.workers!.stop();
    await ctx.server.close();
    await ctx.smtp.stop();
  });

  // The dispatcher releases at most 1 + rate·w in any window w. Sends trail releases by a varying SMTP latency, which
  // at 5 a second can move one more mail into a 1-second window; at the spec's 60-second windows and 6,000/h that
  // shift is worth under one mail (the benchmark measures that case over 10 minutes).
  // The floor only catches a starving dispatcher: sending 40 mails on 2 shared cores under load can lag by a few
  // ticks. How close pacing gets to the rate is the throttle benchmark's figure (99%+ over 10 minutes).
  test('paces smoothly: no 1-second window over rate·1s + 1 (+1 for send latency), and at least 85% of the rate', async () => {
    await ctx.server.api.patch(`/api/v1/campaigns/${ctx.campaignId}`).set('authorization', `Bearer ${ctx.server.adminToken}`)
      .send({ helpdesk: { capacity_per_hour: 900, contact_rate: 0.05 } }); // 18,000/h: 5 a second
    const waveId = await startWave(ctx.server, ctx.campaignId);
    await waitFor('all 40 sent', async () => (await sentCount(ctx.server, waveId)) === 40, 30_000);
    const times = ctx.smtp.mails.map((m) => m.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      let j = i;
      while (j < times.length && times[j]! < times[i]! + 1000) j++;
      worst = Math.max(worst, j - i);
    }
    assert.ok(worst <= 7, `${worst} mails in one second; the cap is 6, plus one for send latency`);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    const rate = (times.length - 1) / seconds;
    assert.ok(rate >= 5 * 0.85, `reached ${rate.toFixed(2)}/s of 5/s`);
  });
});
