// The baseline for the /enrol benchmark: a bare Express route rendering the same template with the same data,
// and nothing else (no session, no database, no security headers). Run as its own process: PORT=… node --import tsx bench/bare-enrol-page.ts
import express from 'express';
import { Views } from '../src/console/views.ts';
import { StaticAssets } from '../src/http/static-assets.ts';
import { loadCatalog } from '../src/i18n/message-catalog.ts';

const assets = new StaticAssets();
const catalog = loadCatalog();
const views = new Views({ orgName: 'Example Ltd', assetUrl: (name) => assets.url(name) });
const app = express();
app.get('/enrol', (_req, res) => {
  res.type('html').send(views.render('enrol/choose', {
    lang: 'en', translate: (key: string, values?: Record<string, string>) => catalog.format('en', key, values), supportEmail: 'support@example.com', title: 'Set up your new sign-in', csrf: 'x'.repeat(43),
    name: 'Ada', email: 'ada@example.com', expires: '25 November 2026 at 05:06 UTC', offerPasskey: true, offerApp: true,
    scripts: ['simplewebauthn-browser.js', 'enrol-passkey.js'],
  }, 'public'));
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
