import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import supertest from 'supertest';
import { addStaff, codeFor, finishSetup, STAFF_PASSWORD } from '../support/staff-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The same browser and flags as console.e2e.test.ts (importing that file would run its tests too).
const skip = CHROMIUM_SKIP;

describe('the funnel page in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('shows the funnel under the strict CSP and refreshes its figures in place', async () => {
    const auth = `Bearer ${server.adminToken}`;
    await server.query("INSERT INTO users (legacy_id, email, path, locale) SELECT 'e' || g, 'e' || g || '@example.com', 'reset', 'en' FROM generate_series(1, 5) g");
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', auth).send({
      name: 'Browser campaign', reminders_after_hours: [], helpdesk: { capacity_per_hour: 10, contact_rate: 0.05, timezone: 'UTC', hours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] },
    });
    const wave = await server.api.post(`/api/v1/campaigns/${campaign.body.id}/waves`).set('authorization', auth).send({ name: 'All five', start_at: '2030-01-01T00:00:00Z' });
    assert.equal(wave.status, 201, wave.text);
    const sendTo = (n: number) => server.query(
      `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, mail)
       SELECT 'sent', user_id, id, wave_id, campaign_id, 'invitation' FROM invitations WHERE wave_id = $1 AND rank <= $2
         AND NOT EXISTS (SELECT 1 FROM funnel_events e WHERE e.invitation_id = invitations.id AND e.stage = 'sent')`,
      [wave.body.id, n],
    );
    await sendTo(2);

    const url = await server.url();
    const created = await addStaff(server, 'e2e-comms@example.com', 'comms');
    const secret = await finishSetup(supertest.agent(url), created.setup_url);
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text()); });
    await page.goto(`${url}/console/login`);
    await page.fill('#email', 'e2e-comms@example.com');
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);

    await page.goto(`${url}/console/campaigns/${campaign.body.id}`);
    await page.click(`a[href="/console/campaigns/${campaign.body.id}/funnel"]`);
    await page.waitForURL(/\/funnel$/);
    const sent = page.locator('tr[data-stage="sent"] [data-field="users"]');
    assert.equal(await sent.textContent(), '2');
    assert.equal(await page.locator('svg.chart title').first().textContent(), 'Users reaching each stage');

    await sendTo(5);
    await page.waitForFunction(() => document.querySelector('tr[data-stage="sent"] [data-field="users"]')?.textContent === '5', null, { timeout: 25_000 });
    assert.match((await page.locator('#live-status').textContent())!, /^Updated /);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page fits a 360 px screen (overflows by ${overflow} px)`);
    assert.deepEqual(problems, []);
  });
});
