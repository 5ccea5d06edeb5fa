import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The module a worker thread (piscina, `new Worker`) should load, given as a path beside the caller
 * (`workerModule(import.meta.url, './hash-worker.ts')`).
 *
 * - From dist/ (the production image, no tsx): the compiled `./hash-worker.js`. tsc rewrites the `.ts` of
 *   `import`s, not a path in a string, so every worker file must be a module under src/ that compiles to `.js`.
 * - From src/ (tsx): a small `.mjs` written to the temp folder that registers tsx in the new thread, then imports
 *   the `.ts` file and hands on its default export (piscina's task function). A worker thread inherits neither
 *   `bin/cutover.js`'s `register()` nor `--import tsx`: Node 20 refuses a `.ts` entry with
 *   ERR_UNKNOWN_FILE_EXTENSION. (piscina takes a file path, not a `data:` URL.)
 */
export function workerModule(callerUrl: string, relative: string): string {
  if (isCompiled(callerUrl)) return fileURLToPath(new URL(relative.replace(/\.([mc]?)ts$/, '.$1js'), callerUrl));
  const target = new URL(relative, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import { register } from ${JSON.stringify(tsx)};\nregister();\nconst module = await import(${JSON.stringify(target)});\nexport default module.default;\n`;
  const dir = path.join(tmpdir(), 'cutover-tsx-workers');
  const file = path.join(dir, `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, source);
  return file;
}

function isCompiled(callerUrl: string): boolean {
  return /\.[mc]?js$/.test(new URL(callerUrl).pathname);
}
