import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import supertest from 'supertest';
import type { Views } from '../console/views.ts';
import { PublicPages } from './public-pages.ts';

test('page language: the imported locale or its language, else Accept-Language (a region matches its language), else English', async () => {
  const pages = new PublicPages({} as Views, 'help@example.com');
  const app = express();
  app.get('/', (req, res) => { res.send(pages.locale(req, typeof req.query.user === 'string' ? req.query.user : null)); });
  const ask = async (acceptLanguage: string | null, user?: string) => {
    const request = supertest(app).get('/').query(user ? { user } : {});
    return (await (acceptLanguage === null ? request : request.set('Accept-Language', acceptLanguage))).text;
  };
  assert.equal(await ask(null), 'en');
  assert.equal(await ask('fr-CA,en;q=0.5'), 'fr');
  assert.equal(await ask('nl-BE,nl;q=0.9'), 'nl');
  assert.equal(await ask('pt-BR,pt;q=0.9'), 'en');
  assert.equal(await ask('de', 'it_CH'), 'it');
  assert.equal(await ask('es', 'es-MX'), 'es');
  assert.equal(await ask('de', 'pt-BR'), 'de', 'a locale we do not ship leaves the choice to the browser');
});
