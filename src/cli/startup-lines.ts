import type { Config } from '../config/load-config.ts';
import type { Db } from '../storage/db.ts';

/**
 * What a person needs after `npm start`: where the console is, where mail goes, and how to make the first admin
 * (`cutover staff add`, a client of the API: it needs the bootstrap admin token on both sides).
 */
export async function startupLines(config: Config, db: Db): Promise<string[]> {
  const lines = [`Console: ${config.BASE_URL}/console`];
  lines.push(config.SMTP_URL ? 'Mail goes out through SMTP_URL' : `Dev outbox (every mail, nothing is sent; SMTP_URL is unset): ${config.BASE_URL}/dev/outbox`);
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff');
  if ((rows[0]?.n ?? 0) === 0) {
    lines.push(config.CUTOVER_ADMIN_TOKEN
      ? 'First admin: npx cutover staff add --email you@example.com --role admin   (with CUTOVER_ADMIN_TOKEN set in that shell too; it prints the setup link)'
      : 'First admin: set CUTOVER_ADMIN_TOKEN (openssl rand -hex 24) here and in your shell, restart, then: npx cutover staff add --email you@example.com --role admin');
  }
  return lines;
}
