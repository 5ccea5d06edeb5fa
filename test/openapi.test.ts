import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OPERATIONS } from '../src/openapi/api-operations.ts';
import { openApiPath } from '../src/openapi/api-document.ts';
import { createApp } from '../src/app.ts';
import { discoverRoutes } from './support/discover-routes.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/** GET /api/v1/openapi.json: generated from the zod schemas; every API route and hook in it; every example valid. */
describe('the OpenAPI document', () => {
  let server: TestServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is checked field by field below
  let doc: any;
  /** The app's routes: test/role-matrix.test.ts holds these equal to its matrix, so a matrix row missing here fails. */
  let routes: string[];
  before(async () => {
    server = await startTestServer();
    routes = discoverRoutes(createApp(server.container)).map((r) => `${r.method} ${r.path}`).filter((k) => / \/(api\/v1|hooks)\//.test(k));
    const response = await server.api.get('/api/v1/openapi.json');
    assert.equal(response.status, 200);
    doc = response.body;
  });
  after(() => server.close());

  test('is OpenAPI 3.1 with a Bearer scheme', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/v1/tokens)' });
  });

  test('every /api/v1 route and every hook in the role matrix is in the document, with its error shapes', () => {
    assert.ok(routes.length > 40, `${routes.length} routes`);
    const missing = routes.filter((k) => {
      const [method, path] = k.split(' ') as [string, string];
      return !doc.paths[openApiPath(path)]?.[method.toLowerCase()];
    });
    assert.deepEqual(missing, [], `routes missing from the OpenAPI document (src/openapi/api-operations.ts): ${missing.join(', ')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    const matrix = new Set(routes.map((k) => k.replace(/:([A-Za-z_]+)/g, '{$1}')));
    assert.deepEqual(documented.filter((k) => !matrix.has(k)), [], 'documented operations the app does not have');
    for (const k of routes) {
      const [method, path] = k.split(' ') as [string, string];
      const op = doc.paths[openApiPath(path)][method.toLowerCase()];
      if (k === 'GET /api/v1/openapi.json') continue; // public
      assert.ok(op.responses['401'], `${k} documents its 401`);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('4') && s !== '401'), `${k} documents a refusal or bad-input shape`);
    }
  });

  test('every example in the document validates against the zod schema it is shown with', () => {
    let checked = 0;
    for (const op of OPERATIONS) {
      const where = `${op.method.toUpperCase()} ${op.path}`;
      const documented = doc.paths[openApiPath(op.path)][op.method];
      if (op.body?.example !== undefined) {
        const result = op.body.schema.safeParse(op.body.example);
        assert.ok(result.success, `${where} request example: ${JSON.stringify(result.error?.issues)}`);
        assert.deepEqual(documented.requestBody.content[op.body.contentType ?? 'application/json'].example, op.body.example);
        checked++;
      }
      for (const [status, spec] of Object.entries(op.responses)) {
        if (spec.example === undefined || !spec.schema) continue;
        const result = spec.schema.safeParse(spec.example);
        assert.ok(result.success, `${where} ${status} example: ${JSON.stringify(result.error?.issues)}`);
        assert.deepEqual(documented.responses[status].content['application/json'].example, spec.example);
        checked++;
      }
    }
    assert.ok(checked >= 20, `${checked} examples checked`);
  });

  test('a wrong example would fail: the check is not vacuous', () => {
    const okta = OPERATIONS.find((op) => op.path === '/hooks/okta/password-import')!;
    assert.equal(okta.body!.schema.safeParse({ eventType: 'com.okta.user.credential.password.import', data: { context: {} } }).success, false);
    assert.equal(okta.responses[200]!.schema!.safeParse({ commands: [] }).success, false);
  });
});
