import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorBody } from './api-schemas.ts';
import { OPERATIONS, type Operation } from './api-operations.ts';

/** `/api/v1/waves/:id` → `/api/v1/waves/{id}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

function register(registry: OpenAPIRegistry, op: Operation): void {
  const params = [...op.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
  const isPublic = op.roles === 'public';
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { 'application/json': { schema: spec.schema, ...(spec.example === undefined ? {} : { example: spec.example }) } } } : {}),
    };
  }
  // cutover's own error shape wherever the route did not name a platform's.
  const generic: Record<number, string> = isPublic ? {} : { 400: 'Bad input: the field and the reason', 401: 'No valid Bearer token (or staff session)', 403: 'The token\'s role may not do this' };
  for (const [status, description] of Object.entries(generic)) responses[status] ??= { description, content: { 'application/json': { schema: errorBody } } };
  registry.registerPath({
    method: op.method,
    path: openApiPath(op.path),
    summary: op.summary,
    description: `Who may call: ${op.roles}.`,
    tags: [op.tag],
    ...(isPublic ? { security: [] } : {}),
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.body ? { body: { content: { [op.body.contentType ?? 'application/json']: { schema: op.body.schema, ...(op.body.example === undefined ? {} : { example: op.body.example }) } } } } : {}),
    },
    responses: responses as never,
  });
}

let cached: object | undefined;

/** The OpenAPI 3.1 document, generated once from the zod schemas the routes validate with. */
export function apiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/v1/tokens)' });
  for (const op of OPERATIONS) register(registry, op);
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'cutover', version: '1', description: 'Moves customer identities off a legacy login system. Hooks under /hooks/ speak each target platform\'s own contract.' },
    security: [{ bearer: [] }],
  });
  return cached;
}
