import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

export const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public');
export const ASSETS_PATH = '/assets';

const require = createRequire(import.meta.url);
/** @simplewebauthn/browser's UMD bundle (global `SimpleWebAuthnBrowser`), for the passkey pages. */
export const VENDOR_ASSETS: Record<string, string> = {
  'simplewebauthn-browser.js': path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '../dist/bundle/index.umd.min.js'),
};

/**
 * public/ at /assets. Pages link each file with `?v=<hash of its content>`, so browsers may keep it for a day and
 * still fetch a new version the moment it changes.
 */
export class StaticAssets {
  private readonly versions = new Map<string, string>();

  private readonly extras = new Map<string, string>();

  /**
   * @param extras files served beside public/ under their own name, such as a library's browser bundle from
   * node_modules, so that no copy of it is committed.
   */
  constructor(private readonly dir = PUBLIC_DIR, extras: Record<string, string> = VENDOR_ASSETS) {
    const files: [string, string][] = [...readdirSync(dir).map((name): [string, string] => [name, path.join(dir, name)]), ...Object.entries(extras)];
    for (const [name, file] of files) {
      this.versions.set(name, createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12));
    }
    for (const [name, file] of Object.entries(extras)) this.extras.set(name, file);
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
    for (const [name, file] of this.extras) {
      router.get(`${ASSETS_PATH}/${name}`, (_req, res) => {
        res.sendFile(file, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
      });
    }
    return router;
  }
}
