#!/usr/bin/env node
// The `cutover` command. In a checkout, TypeScript runs through tsx, so `npx cutover …` works straight after
// `npm ci`. The production image holds no src/ and no tsx (a dev dependency): there it runs the compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/main.js', import.meta.url).href);
}
