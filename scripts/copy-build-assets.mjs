// `npm run build`, after tsc: copies every file under src/ that is not TypeScript (SQL migrations,
// common-passwords.txt, …) to the same place under dist/, so code that reads a file next to itself finds it there too.
// Plain JavaScript, so it runs without tsx. Folders at the project root (views/, templates/, locales/, public/) are
// not copied: code reaches them as ../../<folder> from src/<feature>/ and from dist/<feature>/ alike.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function copy(from, to) {
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    if (statSync(source).isDirectory()) copy(source, path.join(to, name));
    else if (!/\.(ts|mts|cts)$/.test(name)) cpSync(source, path.join(to, name));
  }
}

copy('src', 'dist');
