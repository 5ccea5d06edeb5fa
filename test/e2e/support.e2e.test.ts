import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import supertest from 'supertest';
import { addStaff, codeFor, finishSetup, STAFF_PASSWORD } from '../support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

// As in console.e2e.test.ts (importing that file would run its tests here too).

const skip = CHROMIUM_SKIP;
/** Screenshots of each page at desktop and phone width, for a person to look at (SHOTS_DIR to keep them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? path.join(tmpdir(), 'cutover-support-shots');

describe('the support pages in Chromium, at 1280 and 360 px', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let url: string;
  let userId: string;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer();
    url = await server.url();
    browser = await launchChromium();
    const admin = `Bearer ${server.adminToken}`;
    await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl([
      { id: 'L-7', email: 'margaret.hamilton@example.com', name: 'Margaret Hamilton', family_name: 'Hamilton', locale: 'en-US', timezone: 'America/New_York', path: 'reset' },
      { id: 'L-8', email: 'margo@example.org', name: 'Margo Lee', path: 'reset' },
    ]));
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', admin).send({
      name: 'Spring re-enrolment', reminders_after_hours: [48], helpdesk: { capacity_per_hour: 20, contact_rate: 0.05, timezone: 'UTC', hours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] },
    });
    await server.api.post(`/api/v1/campaigns/${campaign.body.id}/waves`).set('authorization', admin).send({ name: 'Wave 1', cohort: { legacy_ids: ['L-7'] } });
    [{ id: userId }] = await server.query("SELECT id FROM users WHERE legacy_id = 'L-7'");
    await server.query("UPDATE invitations SET state = 'sent', sent_at = now() - interval '2 hours', clicked_at = now() - interval '1 hour', expires_at = now() + interval '70 hours' WHERE user_id = $1", [userId]);
    await server.query("INSERT INTO webauthn_credentials (id, user_id, public_key, device_type, backed_up, platform, created_at, revoked_at, user_handle) VALUES ('c1', $1, '\\x01', 'multiDevice', true, 'Android', now() - interval '30 days', now() - interval '29 days', $2)", [userId, Buffer.from(userId)]);
    await server.query("INSERT INTO verification_events (user_id, path, outcome) VALUES ($1, 'reset', 'refused_reset'), ($1, 'reset', 'refused_reset')", [userId]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signInAsSupport(width: number): Promise<Page> {
    const email = `agent-${width}@example.com`;
    const created = await addStaff(server, email, 'support');
    const secret = await finishSetup(supertest.agent(url), created.setup_url);
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${url}/console/login`);
    await page.fill('#email', email);
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/support$/);
    return page;
  }

  async function shoot(page: Page, name: string, width: number): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
  }

  for (const width of [1280, 360]) {
    test(`search, the user page, a contact and the reset confirmation at ${width} px`, async () => {
      const page = await signInAsSupport(width);
      const csp: string[] = [];
      page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) csp.push(message.text()); });

      await page.fill('#q', 'marg');
      await page.click('button:has-text("Search")');
      await page.waitForURL(/\/support\?q=marg$/);
      assert.match((await page.locator('h2').first().textContent())!, /2 matches/);
      await shoot(page, 'support-search', width);

      await page.click('a:has-text("margaret.hamilton@example.com")');
      await page.waitForURL(new RegExp(`/support/users/${userId}$`));
      await shoot(page, 'support-user', width);

      await page.selectOption('#contact-channel', 'chat');
      await page.fill('#contact-reason', 'Asked whether the mail is genuine');
      await page.fill('#contact-note', 'Confirmed it is ours');
      await page.click('button:has-text("Record contact")');
      await page.waitForSelector('.flash');
      assert.match((await page.locator('.flash').textContent())!, /Contact recorded/);

      await page.click('button:has-text("Clear lockout")');
      assert.equal(await page.locator('#lockout-reason:invalid').count(), 1, 'the browser asks for a reason first');

      await page.click('a:has-text("Reset enrolment")');
      await page.waitForURL(/\/reset-enrolment$/);
      await shoot(page, 'support-reset', width);
      assert.equal(await page.locator('button:has-text("Yes, reset enrolment")').count(), 1);
      assert.deepEqual(csp, []);
      await page.close();
    });
  }

  test('the audit page at both widths', async () => {
    const created = await addStaff(server, 'admin-shots@example.com', 'admin');
    const secret = await finishSetup(supertest.agent(url), created.setup_url);
    // One sign-in (a TOTP code works once), then the same page at both widths.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/console/login`);
    await page.fill('#email', 'admin-shots@example.com');
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${url}/console/audit?action=support`);
      assert.match(await page.content(), /support\.contact/);
      await shoot(page, 'audit', width);
    }
    await page.close();
  });
});
