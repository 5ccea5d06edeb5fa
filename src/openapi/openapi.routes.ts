import { Router } from 'express';
import { apiDocument } from './api-document.ts';

/** GET /api/v1/openapi.json: public, like any API reference; it holds no data. */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(apiDocument());
  });
  return router;
}
