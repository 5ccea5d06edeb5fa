import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import { startWorkers } from '../src/worker.ts';
import { renderMail } from '../src/mail/render-mail.ts';
import { RemoteSink } from './remote-sink.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';

const ALWAYS = [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }];

export async function seedResetUsers(server: TestServer, count: number): Promise<void> {
  await server.query(
    `INSERT INTO users (legacy_id, email, path, locale, last_login_at)
     SELECT 'b-' || g, 'b' || g || '@example.com', 'reset', CASE WHEN g % 3 = 0 THEN 'de' ELSE 'en' END, now() - (g || ' minutes')::interval
     FROM generate_series(1, $1) g`,
    [count],
  );
  await server.query('ANALYZE users');
}

export async function createCampaign(server: TestServer, helpdesk: Record<string, unknown>): Promise<string> {
  const response = await server.api.post('/api/v1/campaigns').set('authorization', `Bearer ${server.adminToken}`)
    .send({ name: 'bench', reminders_after_hours: [], helpdesk: { timezone: 'UTC', hours: ALWAYS, ...helpdesk } });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.id;
}

/** A 1,000,000-user cohort turned into invitation rows (and targeted events) by one POST. Goal: under 30 s. */
export async function waveCreationBench(users: number): Promise<{ users: number; seconds: number; targeted: number }> {
  const server = await startTestServer();
  try {
    process.stderr.write(`seeding ${users.toLocaleString('en')} reset users…\n`);
    await seedResetUsers(server, users);
    const campaignId = await createCampaign(server, { capacity_per_hour: 20, contact_rate: 0.05 });
    const started = performance.now();
    const response = await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', `Bearer ${server.adminToken}`).send({ name: 'everyone' });
    const seconds = (performance.now() - started) / 1000;
    if (response.status !== 201) throw new Error(response.text);
    return { users, seconds, targeted: response.body.targeted };
  } finally {
    await server.close();
  }
}

/** Invitations a second from wave start to SMTP accept with pacing off, beside a bare nodemailer loop to the same server. */
export async function sendPipelineBench(count: number): Promise<{ count: number; seconds: number; perSecond: number; bareSeconds: number; barePerSecond: number; ratio: number }> {
  const smtp = new RemoteSink();
  const smtpUrl = await smtp.start();
  const server = await startTestServer({ env: { SMTP_URL: smtpUrl, DISPATCH_UNTHROTTLED: 'true', SEND_CONCURRENCY: process.env.BENCH_SEND_CONCURRENCY ?? '20', SMTP_POOL_SIZE: process.env.BENCH_SMTP_POOL ?? '5' } });
  const workers = await startWorkers(server.container);
  try {
    await seedResetUsers(server, count);
    const campaignId = await createCampaign(server, { capacity_per_hour: 20, contact_rate: 0.05 });
    const started = performance.now();
    await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', `Bearer ${server.adminToken}`).send({ name: 'all' });
    while (smtp.times.length < count) await sleep(20);
    const seconds = (performance.now() - started) / 1000;

    // Same server, same pool size and concurrency, the same rendered invitation, no cutover: the ceiling here.
    const sample = renderMail('invitation', 'en', {
      org: { name: 'Example Ltd', supportEmail: 'support@example.com' }, user: { givenName: 'Ann', email: 'ann@example.com' },
      link: `https://example.com/enrol/${'x'.repeat(43)}`, expiresAt: new Date(Date.now() + 72 * 3_600_000), timezone: 'Europe/London',
    });
    const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 5, ignoreTLS: true } as never);
    smtp.reset();
    const bareStarted = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({ from: 'bench@example.com', to: `bare${i}@example.com`, subject: sample.subject, text: sample.text, html: sample.html });
      }
    }));
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    transport.close();
    return { count, seconds, perSecond: count / seconds, bareSeconds, barePerSecond: count / bareSeconds, ratio: bareSeconds / seconds };
  } finally {
    await workers.stop();
    await server.close();
    await smtp.stop();
  }
}

/** At 6,000/h for `minutes`, the largest count in any 60-second window (cap 101) and the mean against the cap. */
export async function throttleAccuracyBench(minutes: number): Promise<{ minutes: number; ratePerHour: number; sent: number; worstMinute: number; meanShare: number }> {
  const smtp = new RemoteSink();
  const smtpUrl = await smtp.start();
  const server = await startTestServer({ env: { SMTP_URL: smtpUrl } });
  const workers = await startWorkers(server.container);
  const ratePerHour = 6000;
  try {
    await seedResetUsers(server, Math.ceil((ratePerHour * minutes) / 60) + 200);
    const campaignId = await createCampaign(server, { capacity_per_hour: 300, contact_rate: 0.05 });
    await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', `Bearer ${server.adminToken}`).send({ name: 'paced' });
    const start = Date.now();
    while (Date.now() - start < minutes * 60_000) {
      await sleep(5000);
      process.stderr.write(`\rthrottle: ${smtp.times.length} sent in ${Math.round((Date.now() - start) / 1000)} s`);
    }
    process.stderr.write('\n');
    await sleep(300);
    const times = smtp.times.filter((t) => t >= start && t < start + minutes * 60_000).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (j < times.length && times[j]! < times[i]! + 60_000) j++;
      worst = Math.max(worst, j - i);
    }
    const span = (times.at(-1)! - times[0]!) / 3_600_000;
    return { minutes, ratePerHour, sent: times.length, worstMinute: worst, meanShare: (times.length - 1) / span / ratePerHour };
  } finally {
    await workers.stop();
    await server.close();
    await smtp.stop();
  }
}
