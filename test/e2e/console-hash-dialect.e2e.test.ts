import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import { addStaff, codeFor, finishSetup, STAFF_PASSWORD } from '../support/staff-helpers.ts';
import supertest from 'supertest';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

const skip = CHROMIUM_SKIP;

// hashcat's vBulletin < 3.8.5 self-test (src/modules/module_02611.c): md5(md5("hashcat") + "308").
const VBULLETIN = '28f9975808ae2bdc5847b1cda26033ea:308';

describe('the console import page says which framework wrote the hashes', { skip }, () => {
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

  async function signIn(): Promise<Page> {
    const created = await addStaff(server, 'dialect-admin@example.com', 'admin');
    const secret = await finishSetup(supertest.agent(url), created.setup_url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/console/login`);
    await page.fill('#email', 'dialect-admin@example.com');
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);
    return page;
  }

  async function upload(page: Page): Promise<Record<string, string | null>> {
    await page.setInputFiles('#import-file', {
      name: 'forum.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl([{ id: 'vb-1', email: 'vb1@example.com', password_hash: VBULLETIN }])),
    });
    await page.click('#import-form button[type="submit"]');
    await page.locator('#import-result').waitFor({ state: 'visible' });
    const stats = await page.locator('#import-stats .stat').evaluateAll((boxes) =>
      boxes.map((box) => [box.querySelector('dt')!.textContent, box.querySelector('dd')!.textContent]));
    return Object.fromEntries(stats);
  }

  test('a dry run without a dialect counts the ambiguous row; with vBulletin chosen it imports and verifies', async () => {
    const page = await signIn();
    await page.goto(`${url}/console/imports`);
    const dry = await upload(page);
    assert.equal(dry['Ambiguous hashes'], '1');
    assert.match((await page.locator('#import-errors-body tr').first().textContent())!, /ambiguous hash: "<32 hex>:<salt>" is written by joomla, vbulletin, mybb, ipb/);

    await page.locator('#import-result').evaluate((node) => { (node as HTMLElement).hidden = true; });
    await page.selectOption('#hash-dialect', 'vbulletin');
    await page.uncheck('input[name="dry_run"]');
    const real = await upload(page);
    assert.equal(real.Imported, '1');
    assert.equal(real['Ambiguous hashes'], undefined, 'shown only when there are some');
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const verified = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'vb1@example.com', password: 'hashcat' });
    assert.equal(verified.status, 200);
    await page.close();
  });
});
