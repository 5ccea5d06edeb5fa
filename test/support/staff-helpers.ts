import assert from 'node:assert/strict';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import type { TestServer } from './test-server.ts';

export const STAFF_PASSWORD = 'tulip-orbit-quarry-41';

/** A TOTP code for this step (offset 0) or a later one (30, 60 s), as the staff member's app would show it. */
export function codeFor(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
}

/** The value of a hidden input on a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `the page has a ${name} field`);
  return match[1]!;
}

export function setupPath(setupUrl: string): string {
  return new URL(setupUrl).pathname;
}

/** POST /api/v1/staff with the admin token; answers the API body. */
export async function addStaff(server: TestServer, email: string, role: 'admin' | 'comms' | 'support') {
  const response = await server.api.post('/api/v1/staff').set('authorization', `Bearer ${server.adminToken}`).send({ email, role });
  assert.equal(response.status, 201, response.text);
  return response.body as { id: string; email: string; role: string; setup_url: string; mailed: boolean };
}

/** Opens the setup link and finishes it with the code of this step; answers the TOTP secret. */
export async function finishSetup(agent: ReturnType<typeof supertest.agent>, setupUrl: string, password = STAFF_PASSWORD): Promise<string> {
  const page = await agent.get(setupPath(setupUrl));
  assert.equal(page.status, 200, page.text);
  const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '');
  const done = await agent.post(setupPath(setupUrl)).type('form')
    .send({ _csrf: hiddenField(page.text, '_csrf'), password, confirm: password, code: await codeFor(secret) });
  assert.equal(done.status, 303, done.text);
  assert.equal(done.headers.location, '/console/login?notice=setup');
  return secret;
}

/** Signs in on the login page; the agent keeps the session cookie. */
export async function signIn(agent: ReturnType<typeof supertest.agent>, email: string, code: string, password = STAFF_PASSWORD) {
  const page = await agent.get('/console/login');
  return agent.post('/console/login').type('form').send({ _csrf: hiddenField(page.text, '_csrf'), email, password, code });
}

/** A staff member set up and signed in: code steps 0 (setup) and +30 s (login) are used. */
export async function signedInStaff(server: TestServer, email: string, role: 'admin' | 'comms' | 'support') {
  const created = await addStaff(server, email, role);
  const agent = supertest.agent(await server.url());
  const secret = await finishSetup(agent, created.setup_url);
  const login = await signIn(agent, email, await codeFor(secret, 30));
  assert.equal(login.status, 303, login.text);
  const page = await agent.get('/console/campaigns');
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1];
  assert.ok(csrf, 'console pages carry the CSRF token for scripts');
  return { agent, secret, id: created.id, csrf };
}

/**
 * The setup link in Chromium: the page is opened, `onSetupPage` may look at it, then the form is filled with the
 * code of this step; ends on the login page. Answers the TOTP secret.
 */
export async function finishSetupInBrowser(page: Page, base: string, setupUrl: string, onSetupPage?: (page: Page) => Promise<void>): Promise<string> {
  await page.goto(`${base}${setupPath(setupUrl)}`);
  await onSetupPage?.(page);
  const secret = (await page.locator('code.secret').textContent())!.replace(/\s/g, '');
  await page.fill('#password', STAFF_PASSWORD);
  await page.fill('#confirm', STAFF_PASSWORD);
  await page.fill('#code', await codeFor(secret));
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/console\/login\?notice=setup$/);
  return secret;
}
