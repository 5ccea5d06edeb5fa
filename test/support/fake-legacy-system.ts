import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LegacyAccount {
  password: string;
  profile: Record<string, unknown>;
}

/**
 * The legacy login system is an outside party, so tests stand in a real HTTP server on loopback for it.
 * `mode` switches it between answering, failing with 500, and hanging past the timeout.
 */
export class FakeLegacySystem {
  readonly accounts = new Map<string, LegacyAccount>();
  readonly calls: Array<{ login: string; authorization: string | undefined }> = [];
  mode: 'up' | 'error' | 'hang' = 'up';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const { login, password } = JSON.parse(body) as { login: string; password: string };
        this.calls.push({ login, authorization: req.headers.authorization });
        if (this.mode === 'hang') return; // never answers
        if (this.mode === 'error') { res.writeHead(500).end('boom'); return; }
        const account = this.accounts.get(login);
        if (!account) { res.writeHead(404).end(); return; }
        if (account.password !== password) { res.writeHead(401).end(); return; }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(account.profile));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/verify`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
