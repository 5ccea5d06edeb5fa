import type express from 'express';

export interface DiscoveredRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  name?: string;
  /** router v2: true when the layer was mounted at "/" (app.use(router)), false for app.use('/prefix', router). */
  slash?: boolean;
}

/**
 * Every route of the app, by walking the express router stack. Routers must be mounted at the root and declare
 * full paths (all of cutover's do): a router mounted under a prefix has relative paths, so it is reported as an
 * error rather than guessed at. Middleware-only routers (static assets) have no routes and are skipped.
 */
export function discoverRoutes(app: express.Express): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
        }
      } else if (layer.handle?.stack) {
        const hasRoutes = JSON.stringify(layer.handle.stack.map((l) => Boolean(l.route || l.handle?.stack))).includes('true');
        if (hasRoutes && layer.slash === false) throw new Error(`a router with routes is mounted under a path prefix; mount it at "/" with full paths so the role matrix can see them`);
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}
