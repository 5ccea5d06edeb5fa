import { Router } from 'express';
import type { ImportService } from '../migration/import/import.service.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';

/**
 * /console/imports (admins): upload an export with a progress bar (public/import-upload.js posts it to
 * POST /api/v1/imports on the session), see its summary, and the recent imports.
 */
export function importPages(ctx: ConsoleContext, imports: ImportService, options: { legacyConfigured: boolean }): Router {
  const router = Router();

  router.get('/console/imports', ...requireStaff('admin'), async (req, res) => {
    const recent = (await imports.list(50)).map((item) => ({
      ...item, seconds: (item.duration_ms / 1000).toFixed(1), running: item.status === 'running', failed: item.status === 'failed',
    }));
    await renderPage(ctx, req, res, 'imports', {
      title: 'Imports', nav: 'imports', recent, scripts: ['import-upload.js'],
      serverDefaultPath: options.legacyConfigured ? 'jit' : 'reset',
    });
  });

  return router;
}
