import type { Browser } from 'playwright-core';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { launchChromium } from './chromium.ts';
import { inviteUsers, type InvitedUser } from './invite.ts';
import { SmtpSink } from './smtp-sink.ts';
import { freePort, startTestServer, type TestServer } from './test-server.ts';

/** What a browser test of the emailed flow stands on: a real SMTP server, the app, its workers, invited users, Chromium. */
export interface InvitedBrowserBed {
  smtp: SmtpSink;
  server: TestServer;
  workers: Workers;
  browser: Browser;
  /** BASE_URL: http://localhost:<port> */
  base: string;
  users: InvitedUser[];
  stop(): Promise<void>;
}

/** Starts the bed on a free port, with BASE_URL on localhost (a secure context for WebAuthn), and invites `invite`. */
export async function startInvitedBrowserBed(invite: Parameters<typeof inviteUsers>[2], env: Record<string, string> = {}): Promise<InvitedBrowserBed> {
  const smtp = new SmtpSink();
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = await startTestServer({ port, env: { SMTP_URL: await smtp.start(), BASE_URL: base, ...env } });
  await server.url();
  const workers = await startWorkers(server.container);
  const { users } = await inviteUsers(server, smtp, invite);
  const browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
  return {
    smtp, server, workers, browser, base, users,
    async stop() {
      await browser.close();
      await workers.stop();
      await server.close();
      await smtp.stop();
    },
  };
}
