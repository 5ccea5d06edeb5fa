#!/usr/bin/env node
// The `cutover` command. TypeScript runs through tsx, so `npx cutover …` works straight after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
