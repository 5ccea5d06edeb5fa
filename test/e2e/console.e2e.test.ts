import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import { addStaff, codeFor, finishSetup, finishSetupInBrowser, STAFF_PASSWORD } from '../support/staff-helpers.ts';
import supertest from 'supertest';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

const skip = CHROMIUM_SKIP;

describe('the staff console in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let url: string;
  before(async () => {
    server = await startTestServer();
    url = await server.url();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A staff member set up over HTTP, then signed in in the browser with the next step's code. */
  async function signInAs(email: string, role: 'admin' | 'comms'): Promise<Page> {
    const created = await addStaff(server, email, role);
    const secret = await finishSetup(supertest.agent(url), created.setup_url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/console/login`);
    await page.fill('#email', email);
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);
    return page;
  }

  test('a new admin sets up, signs in with TOTP, uploads an export and sees the summary', async () => {
    const created = await addStaff(server, 'e2e-admin@example.com', 'admin');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cspViolations: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text()); });

    const secret = await finishSetupInBrowser(page, url, created.setup_url);

    await page.fill('#email', 'e2e-admin@example.com');
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);
    assert.equal(await page.locator('.whoami-email').textContent(), 'e2e-admin@example.com');

    await page.click('nav >> text=Imports');
    await page.waitForURL(/\/console\/imports$/);
    await page.setInputFiles('#import-file', {
      name: 'users.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl([{ id: 'e2e-1', email: 'one@example.com' }, { id: 'e2e-2', email: 'two@example.com', locale: 'de' }, { id: 'e2e-3', email: 'not-an-email' }])),
    });
    await page.uncheck('input[name="dry_run"]');
    await page.selectOption('#default-path', 'reset');
    await page.click('#import-form button[type="submit"]');
    await page.locator('#import-result').waitFor({ state: 'visible' });

    assert.equal(await page.locator('#import-result-title').textContent(), 'Import complete');
    const stats = Object.fromEntries(await page.locator('#import-stats .stat').evaluateAll((boxes) =>
      boxes.map((box) => [box.querySelector('dt')!.textContent, box.querySelector('dd')!.textContent])));
    assert.equal(stats.Rows, '3');
    assert.equal(stats.Imported, '2');
    assert.equal(stats.Rejected, '1');
    assert.equal(await page.locator('#import-progress-bar').getAttribute('value'), '100');
    const errorRow = await page.locator('#import-errors-body tr').first().locator('td').allTextContents();
    assert.deepEqual(errorRow.slice(0, 3), ['3', 'e2e-3', 'email']);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM users WHERE path = 'reset'"))[0].n, 2);

    await page.reload();
    assert.match((await page.locator('table tbody tr').first().textContent())!, /e2e-admin@example.com\s*completed/);
    assert.deepEqual(cspViolations, []);
    await page.close();
  });

  test('comms see a live cohort count, create a wave and watch its counts refresh', async () => {
    const admin = `Bearer ${server.adminToken}`;
    await server.api.post('/api/v1/imports?default_path=reset').set('authorization', admin).set('content-type', 'application/x-ndjson')
      .send(jsonl(Array.from({ length: 12 }, (_, i) => ({ id: `w-${i}`, email: `w${i}@${i < 5 ? 'five.example' : 'example.com'}` }))));
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', admin).send({
      name: 'E2E campaign', helpdesk: { capacity_per_hour: 5, contact_rate: 0.05, timezone: 'UTC', hours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] },
    });
    const page = await signInAs('e2e-comms@example.com', 'comms');
    await page.click('text=E2E campaign');
    await page.locator('#wave-preview-count').filter({ hasText: /^\d+$/ }).waitFor(); // counted as soon as the page opens
    await page.fill('#wave-domains', 'five.example');
    await page.locator('#wave-preview-count').filter({ hasText: /^5$/ }).waitFor();
    assert.equal(await page.locator('#wave-preview-label').textContent(), 'users match');
    await page.fill('#wave-name', 'Five');
    await page.click('#wave-form button[type="submit"]');
    await page.waitForURL(/\/console\/waves\/[0-9a-f-]{36}$/);
    assert.equal(await page.locator('[data-field="queued"]').textContent(), '5');

    // Work the wave behind the page's back; the poll (every 3 s) shows it without a reload.
    const waveId = page.url().split('/').pop()!;
    await server.query("UPDATE invitations SET state = 'sent', sent_at = now() WHERE wave_id = $1 AND rank <= 2", [waveId]);
    await page.locator('[data-field="sent"]').filter({ hasText: /^2$/ }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-field="queued"]').textContent(), '3');
    assert.equal(await page.locator('progress[data-field="progress"]').getAttribute('value'), '40');
    assert.match((await page.locator('#wave-updated').textContent())!, /^Updated /);

    await page.click('text=Pause');
    await page.waitForURL(/\/console\/waves\//);
    await page.locator('h1 [data-field="state"]').filter({ hasText: 'paused' }).waitFor();
    await page.close();
    assert.equal(campaign.status, 201);
  });
});
