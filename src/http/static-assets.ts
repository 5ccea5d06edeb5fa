import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

export const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public');
export const ASSETS_PATH = '/assets';

/**
 * public/ at /assets. Pages link each file with `?v=<hash of its content>`, so browsers may keep it for a day and
 * still fetch a new version the moment it changes.
 */
export class StaticAssets {
  private readonly versions = new Map<string, string>();

  constructor(private readonly dir = PUBLIC_DIR) {
    for (const name of readdirSync(dir)) {
      this.versions.set(name, createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex').slice(0, 12));
    }
  }

  /** The URL of a file in public/; throws for a name that is not there, so a typo fails on first render. */
  url(name: string): string {
    const version = this.versions.get(name);
    if (!version) throw new Error(`Unknown asset "${name}", expected one of ${[...this.versions.keys()].join(', ')}`);
    return `${ASSETS_PATH}/${name}?v=${version}`;
  }

  router(): Router {
    const router = Router();
    router.use(ASSETS_PATH, (_req, res, next) => {
      res.removeHeader('Cache-Control'); // the app's default no-store is for API answers
      next();
    }, express.static(this.dir, { maxAge: '1d', index: false, dotfiles: 'ignore' }));
    return router;
  }
}
