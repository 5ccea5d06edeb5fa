import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../src/app.ts';
import type { Role } from '../src/http/roles.ts';
import { discoverRoutes, type DiscoveredRoute } from './support/discover-routes.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/**
 * Who may use each route: 'public' (no sign-in), 'staff' (any signed-in staff member), 'signed' (a webhook that
 * only its party's signature opens: 401 without it, whatever bearer token comes along), or the roles listed.
 * Admins may use everything, so they are implied. Issue 5's matrix:
 * - admin: everything;
 * - comms: campaigns, waves, funnel, progress;
 * - support: the support pages and actions, and funnel and progress read-only;
 * - verifier: only POST /api/v1/verify and the platform hooks (/hooks/…; their user lookups admit no admin).
 * A route the app has and this table lacks fails the test: declare every new route here.
 */
type Access = 'public' | 'staff' | 'signed' | Role[];
const ADMIN: Role[] = [];
const COMMS: Role[] = ['comms'];
const SUPPORT: Role[] = ['support'];

export const ROLE_MATRIX: Record<string, Access> = {
  // health, the dev outbox (only without SMTP_URL, never in production), console sign-in and setup
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /dev/outbox': 'public',
  'GET /dev/outbox.json': 'public',
  'GET /dev/outbox/:id': 'public',
  'GET /dev/outbox/:id/html': 'public',
  'GET /console': 'public',
  'GET /console/login': 'public',
  'POST /console/login': 'public',
  'GET /console/setup/:token': 'public',
  'POST /console/setup/:token': 'public',
  'POST /console/logout': 'staff',
  'GET /assets/simplewebauthn-browser.js': 'public',

  // end users: re-enrolment from the invitation link, and the sign-in page (each checks its own link or session)
  'GET /enrol': 'public',
  'GET /enrol/:token': 'public',
  'POST /enrol/method': 'public',
  'POST /enrol/passkey/options': 'public',
  'POST /enrol/passkey/verify': 'public',
  'GET /enrol/app': 'public',
  'POST /enrol/app': 'public',
  'GET /enrol/recovery-codes': 'public',
  'GET /enrol/recovery-codes.txt': 'public',
  'POST /enrol/recovery-codes': 'public',
  'GET /enrol/done': 'public',
  'POST /enrol/new-link': 'public',
  'GET /signin': 'public',
  'POST /signin': 'public',
  'POST /signin/passkey/options': 'public',
  'POST /signin/passkey/verify': 'public',
  'GET /signin/password': 'public',
  'POST /signin/password': 'public',
  'GET /signin/recovery': 'public',
  'POST /signin/recovery': 'public',
  'GET /signin/done': 'public',

  // machine: help desks and mail providers, each by its own signature (src/feedback/)
  'POST /hooks/helpdesk/zendesk': 'signed',
  'POST /hooks/helpdesk/jira': 'signed',
  'POST /hooks/helpdesk/helpscout': 'signed',
  'POST /hooks/helpdesk/intercom': 'signed',
  'POST /hooks/helpdesk/generic': 'signed',
  'POST /hooks/mail/ses': 'signed',
  'POST /hooks/mail/sendgrid': 'signed',
  'POST /hooks/mail/postmark': 'signed',
  'POST /hooks/mail/mailgun': 'signed',

  // machine: the target platform's sign-in check
  'POST /api/v1/verify': ['verifier'],
  // machine: the target platforms' own hooks (issue 12); Bearer tokens only, never a staff session
  'POST /hooks/okta/password-import': ['verifier'],
  'POST /hooks/kratos/password-migration': ['verifier'],
  'GET /hooks/keycloak/users/:username': ['verifier'],
  'POST /hooks/keycloak/users/:username': ['verifier'],
  'POST /hooks/fusionauth/connector': ['verifier'],
  'POST /hooks/cognito/user-migration': ['verifier'],
  'GET /hooks/auth0/users/:login': ['verifier'],
  // the published API description
  'GET /api/v1/openapi.json': 'public',

  // admin: imports, API tokens, staff, the audit log
  'POST /api/v1/imports': ADMIN,
  'GET /api/v1/imports': ADMIN,
  'GET /api/v1/imports/:id': ADMIN,
  'GET /api/v1/imports/:id/errors': ADMIN,
  'POST /api/v1/tokens': ADMIN,
  'GET /api/v1/tokens': ADMIN,
  'DELETE /api/v1/tokens/:id': ADMIN,
  'POST /api/v1/staff': ADMIN,
  'GET /api/v1/staff': ADMIN,
  'GET /api/v1/staff/:id': ADMIN,
  'POST /api/v1/staff/:id/disable': ADMIN,
  'GET /api/v1/audit': ADMIN,
  'GET /console/imports': ADMIN,
  'GET /console/staff': ADMIN,
  'POST /console/staff': ADMIN,
  'POST /console/staff/:id/disable': ADMIN,
  'GET /console/audit': ADMIN,

  // comms: campaigns and waves
  'POST /api/v1/campaigns': COMMS,
  'GET /api/v1/campaigns': COMMS,
  'GET /api/v1/campaigns/:id': COMMS,
  'PATCH /api/v1/campaigns/:id': COMMS,
  'POST /api/v1/campaigns/:id/cancel': COMMS,
  'GET /api/v1/campaigns/:id/forecast': COMMS,
  'POST /api/v1/campaigns/:id/waves/preview': COMMS,
  'POST /api/v1/campaigns/:id/waves': COMMS,
  'GET /api/v1/waves/:id': COMMS,
  'POST /api/v1/waves/:id/pause': COMMS,
  'POST /api/v1/waves/:id/resume': COMMS,
  'POST /api/v1/waves/:id/cancel': COMMS,
  'GET /console/campaigns': COMMS,
  'GET /console/campaigns/new': COMMS,
  'POST /console/campaigns': COMMS,
  'GET /console/campaigns/:id': COMMS,
  'POST /console/campaigns/:id/settings': COMMS,
  'POST /console/campaigns/:id/cancel': COMMS,
  'POST /console/campaigns/:id/waves': COMMS,
  'GET /console/waves/:id': COMMS,
  'POST /console/waves/:id/pause': COMMS,
  'POST /console/waves/:id/resume': COMMS,
  'POST /console/waves/:id/cancel': COMMS,

  // funnel and progress: comms, and support read-only (everything here is a read); /metrics for Prometheus
  'GET /api/v1/campaigns/:id/funnel': [...COMMS, ...SUPPORT],
  'GET /api/v1/waves/:id/funnel': [...COMMS, ...SUPPORT],
  'GET /api/v1/progress': [...COMMS, ...SUPPORT],
  // exports hold every TOTP seed: admin only
  'GET /api/v1/exports/:target': ADMIN,
  'POST /api/v1/exports/:target/confirm': ADMIN,
  'GET /console/campaigns/:id/funnel': [...COMMS, ...SUPPORT],
  'GET /console/campaigns/:id/funnel/live': [...COMMS, ...SUPPORT],
  'GET /console/waves/:id/funnel': [...COMMS, ...SUPPORT],
  'GET /console/waves/:id/funnel/live': [...COMMS, ...SUPPORT],
  'GET /console/progress': [...COMMS, ...SUPPORT],
  'GET /console/progress/live': [...COMMS, ...SUPPORT],
  // METRICS_TOKEN (not set here) or an admin token
  'GET /metrics': ADMIN,

  // support: the lookup and its actions
  'POST /api/v1/support/contacts': SUPPORT,
  'GET /api/v1/support/users': SUPPORT,
  'GET /api/v1/support/users/:id': SUPPORT,
  'POST /api/v1/support/users/:id/resend-invitation': SUPPORT,
  'POST /api/v1/support/users/:id/extend-link': SUPPORT,
  'POST /api/v1/support/users/:id/contacts': SUPPORT,
  'POST /api/v1/support/users/:id/clear-lockout': SUPPORT,
  'POST /api/v1/support/users/:id/reset-enrolment': SUPPORT,
  'POST /api/v1/support/users/:id/lift-suppression': SUPPORT,
  'GET /support': SUPPORT,
  'GET /support/users/:id': SUPPORT,
  'POST /support/users/:id/resend-invitation': SUPPORT,
  'POST /support/users/:id/extend-link': SUPPORT,
  'POST /support/users/:id/contacts': SUPPORT,
  'POST /support/users/:id/clear-lockout': SUPPORT,
  'POST /support/users/:id/lift-suppression': SUPPORT,
  'GET /support/users/:id/reset-enrolment': SUPPORT,
  'POST /support/users/:id/reset-enrolment': SUPPORT,
};

const ROLES: Role[] = ['admin', 'comms', 'support', 'verifier'];
const NO_ID = '00000000-0000-0000-0000-000000000000';
const key = (r: DiscoveredRoute) => `${r.method} ${r.path}`;
const concrete = (path: string) => path.replace(/:(id|token)\b/g, NO_ID);
/** Routes that not even admin may use: the user lookups that hand out user existence and TOTP secrets (issue 12). */
const VERIFIER_ONLY = new Set(['GET /hooks/keycloak/users/:username', 'GET /hooks/auth0/users/:login']);
const allowed = (access: Access, role: Role, route?: string) => access === 'public' || access === 'staff' || (access !== 'signed' && ((role === 'admin' && !VERIFIER_ONLY.has(route ?? '')) || access.includes(role)));
const isConsole = (path: string) => path === '/console' || path.startsWith('/console/') || path === '/support' || path.startsWith('/support/');

describe('the role matrix, route by route', () => {
  let server: TestServer;
  let routes: DiscoveredRoute[];
  const tokens = {} as Record<Role, string>;
  const staff = {} as Record<'admin' | 'comms' | 'support', Awaited<ReturnType<typeof signedInStaff>>>;

  before(async () => {
    // No SMTP_URL: the dev outbox routes are mounted too.
    server = await startTestServer();
    routes = discoverRoutes(createApp(server.container));
    for (const role of ROLES) tokens[role] = await server.tokenFor(role);
    for (const role of ['admin', 'comms', 'support'] as const) staff[role] = await signedInStaff(server, `${role}@matrix.example`, role);
  });
  after(() => server.close());

  test('every route the app serves is in the matrix, and every matrix row is a route', () => {
    assert.ok(routes.length > 50, `found ${routes.length} routes`);
    const found = new Set(routes.map(key));
    const missing = [...found].filter((k) => !(k in ROLE_MATRIX));
    assert.deepEqual(missing, [], `routes missing from ROLE_MATRIX in test/role-matrix.test.ts: ${missing.join(', ')}`);
    const stale = Object.keys(ROLE_MATRIX).filter((k) => !found.has(k));
    assert.deepEqual(stale, [], `ROLE_MATRIX rows with no route: ${stale.join(', ')}`);
  });

  test('API routes: each role gets in exactly where the matrix says; no credentials is 401', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => !isConsole(r.path))) {
      const access = ROLE_MATRIX[key(route)]!;
      const call = () => server.api[route.method.toLowerCase() as 'get'](concrete(route.path));
      if (access === 'public') {
        // Public forms check their own form token or session (403 without one); none asks for a bearer token.
        const status = (await call()).status;
        if (status === 401 || (status === 403 && route.method === 'GET')) failures.push(`${key(route)} is public but answered ${status}`);
        continue;
      }
      if (access === 'signed') {
        for (const role of ROLES) {
          const status = (await call().set('authorization', `Bearer ${tokens[role]}`).send({})).status;
          if (status !== 401) failures.push(`${key(route)} is opened only by its signature, but a ${role} token got ${status}`);
        }
        if ((await call()).status !== 401) failures.push(`${key(route)} without a signature did not answer 401`);
        continue;
      }
      const anonymous = (await call()).status;
      if (anonymous !== 401) failures.push(`${key(route)} without a token answered ${anonymous}, expected 401`);
      for (const role of ROLES) {
        const status = (await call().set('authorization', `Bearer ${tokens[role]}`).send({})).status;
        const ok = allowed(access, role, key(route));
        if (ok && (status === 401 || status === 403)) failures.push(`${key(route)} refused ${role} (${status})`);
        if (!ok && status !== 403) failures.push(`${key(route)} let ${role} in (${status}), expected 403`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the nav offers each role only what it may open', async () => {
    const nav = async (role: 'admin' | 'comms' | 'support') => {
      const home = await staff[role].agent.get(role === 'support' ? '/support' : '/console/campaigns');
      return [...home.text.matchAll(/<nav class="nav"[\s\S]*?<\/nav>/g)][0]![0].match(/href="([^"]+)"/g)!.map((h) => h.slice(6, -1));
    };
    assert.deepEqual(await nav('support'), ['/console/progress', '/support']);
    assert.deepEqual(await nav('comms'), ['/console/campaigns', '/console/progress']);
    assert.deepEqual(await nav('admin'), ['/console/imports', '/console/campaigns', '/console/progress', '/support', '/console/staff', '/console/audit']);
  });

  // Runs last among the console tests: it ends with each role's logout.
  test('console pages: each staff role gets in exactly where the matrix says; signed out goes to login; a verifier token is no sign-in', async () => {
    const failures: string[] = [];
    const consoleRoutes = routes.filter((r) => isConsole(r.path)).sort((a, b) => Number(key(a) === 'POST /console/logout') - Number(key(b) === 'POST /console/logout'));
    for (const route of consoleRoutes) {
      const access = ROLE_MATRIX[key(route)]!;
      const path = concrete(route.path);
      const method = route.method.toLowerCase() as 'get' | 'post';
      if (access !== 'public') {
        const anonymous = await server.api[method](path).set('authorization', `Bearer ${tokens.verifier}`).type('form').send({});
        const toLogin = anonymous.status === 303 && String(anonymous.headers.location).startsWith('/console/login');
        if (method === 'get' ? !toLogin : anonymous.status !== 403) failures.push(`${key(route)} signed out answered ${anonymous.status} ${anonymous.headers.location ?? ''}`);
      }
      // Public forms check their own form token (not the session's): what matters is that no role is refused a GET.
      if (access === 'public' && method !== 'get') continue;
      for (const role of ['admin', 'comms', 'support'] as const) {
        const { agent, csrf } = staff[role];
        const response = method === 'get' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf });
        // (logout's own success is a redirect to the login page)
        const signedOut = response.status === 303 && String(response.headers.location).startsWith('/console/login') && key(route) !== 'POST /console/logout';
        const ok = allowed(access, role);
        if (ok && (response.status === 403 || signedOut)) failures.push(`${key(route)} refused ${role} (${response.status})`);
        if (!ok && response.status !== 403) failures.push(`${key(route)} let ${role} in (${response.status}), expected 403`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('static assets are public', async () => {
    const css = await server.api.get('/assets/console.css');
    assert.equal(css.status, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);
  });

});
