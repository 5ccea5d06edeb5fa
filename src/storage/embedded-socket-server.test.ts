import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { serveEmbedded } from './embedded-socket-server.ts';

describe('the embedded database served to many connections (what BullMQ on PGlite needs)', () => {
  let pglite: PGlite;
  let served: Awaited<ReturnType<typeof serveEmbedded>>;
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ host: served.host, port: served.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    clients.push(client);
    return client;
  };
  before(async () => {
    pglite = await PGlite.create(); // in memory
    served = await serveEmbedded(pglite);
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await served.stop();
    await pglite.close();
  });

  test('parameterised queries from several connections at once keep their own statements', async () => {
    const many = await Promise.all(Array.from({ length: 8 }, () => connect()));
    // Each connection has its own parameter count: a Bind that meets another connection's Parse fails loudly
    // ("bind message supplies 3 parameters, but prepared statement "" requires 2").
    const runs = many.flatMap((client, k) => Array.from({ length: 25 }, async (_, i) => {
      const values = Array.from({ length: k + 1 }, (_, j) => i + j);
      const sql = `SELECT ${values.map((_, j) => `$${j + 1}::int`).join(' + ')} AS n, pg_sleep(0.001)`;
      const result = await client.query(sql, values);
      assert.equal(result.rows[0].n, values.reduce((x, y) => x + y, 0));
    }));
    await Promise.all(runs);
  });

  test('a transaction on one connection is not interleaved with another connection\'s statements', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    await a!.query('CREATE TABLE IF NOT EXISTS t (v int)');
    await a!.query('BEGIN');
    await a!.query('INSERT INTO t VALUES ($1)', [1]);
    const outside = b!.query('SELECT count(*)::int AS n FROM t'); // waits for the session
    await a!.query('ROLLBACK');
    assert.equal((await outside).rows[0].n, 0, 'the other connection ran after the rollback, not inside the transaction');
  });

  test('a NOTIFY reaches the connection that LISTENs, even while it sends nothing', async () => {
    const [listener, sender, bystander] = await Promise.all([connect(), connect(), connect()]);
    await listener!.query('LISTEN jobs_channel');
    const heard = new Promise<string>((resolve) => listener!.on('notification', (n) => resolve(`${n.channel}:${n.payload}`)));
    let bystanderHeard = false;
    bystander!.on('notification', () => { bystanderHeard = true; });
    await sender!.query('SELECT pg_notify($1, $2)', ['jobs_channel', 'send']);
    await bystander!.query('SELECT 1');
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('nothing within 2 s'), 2000));
    assert.equal(await Promise.race([heard, timeout]), 'jobs_channel:send');
    assert.equal(bystanderHeard, false, 'a connection that did not LISTEN gets no notification');
  });
});
