import net, { type AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

// Frontend message types (PostgreSQL protocol, "Message Formats"). Parse, Bind, Describe, Execute, Close and Flush
// belong to an extended-query sequence that only Sync ends; CopyData, CopyDone and CopyFail follow a COPY FROM STDIN.
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);
const QUERY = 'Q';
const COPY_END = new Set(['c', 'f']);
// Backend message types: NotificationResponse, CopyInResponse.
const NOTIFICATION = 0x41; // 'A'
const COPY_IN = 0x47; // 'G'

interface Entry {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * One PGlite is one backend session, which pglite-socket shares between its connections one message at a time. Its
 * own queue keeps a transaction's messages together, but not an extended-query sequence (Parse … Sync), so two
 * connections sending parameterised queries at once swap each other's unnamed statements ("bind message supplies 5
 * parameters, but prepared statement "" requires 4"); and a NOTIFY is delivered to whichever connection ran the next
 * query, not to the one that LISTENs. This queue gives the session to one connection from its first message until
 * it is back at rest (Sync or a simple Query done, no transaction open, no COPY under way), and hands each
 * notification to the connections that LISTEN on its channel. BullMQ's PostgreSQL backend needs both.
 */
export class SessionQueue {
  private readonly queue: Entry[] = [];
  private processing = false;
  /** The connection that holds the session: mid-sequence, in a transaction, or in COPY. */
  private owner: number | null = null;
  private copying = false;
  private readonly channels = new Map<number, Set<string>>();
  private readonly sinks = new Map<number, (data: Uint8Array) => void>();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    this.sinks.set(handlerId, onData);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((entry) => entry.handlerId === this.owner);
        if (index < 0 || this.queue.length === 0) break;
        const [entry] = this.queue.splice(index, 1);
        await this.run(entry!);
      }
    } finally {
      this.processing = false;
    }
  }

  private async run(entry: Entry): Promise<void> {
    const type = String.fromCharCode(entry.message[0] ?? 0);
    this.noteListen(entry.handlerId, type, entry.message);
    const chunks: Uint8Array[] = [];
    try {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(entry.message, { onRawData: (chunk: Uint8Array) => chunks.push(chunk.slice()) }));
    } catch (error) {
      this.settle(entry.handlerId, type);
      entry.reject(error);
      return;
    }
    const output = Buffer.concat(chunks);
    const { kept, notifications, copyIn } = splitOutput(output);
    if (copyIn) this.copying = true;
    if (kept.length > 0) entry.onData(kept);
    this.settle(entry.handlerId, type);
    for (const notification of notifications) this.deliver(notification);
    entry.resolve(kept.length);
  }

  /** Who holds the session after this message: its sender, until a Sync (or a simple Query) leaves it at rest. */
  private settle(handlerId: number, type: string): void {
    if (COPY_END.has(type)) this.copying = false;
    this.owner = this.db.isInTransaction() || this.copying || EXTENDED.has(type) ? handlerId : null;
  }

  private noteListen(handlerId: number, type: string, message: Uint8Array): void {
    if (type !== QUERY && type !== 'P') return;
    const text = Buffer.from(message).toString('utf8').replace(/--[^\n]*/g, '');
    for (const match of text.matchAll(/(?<![A-Za-z_])(UN)?LISTEN\s+"?([A-Za-z0-9_*]+)"?/gi)) {
      const set = this.channels.get(handlerId) ?? new Set<string>();
      if (match[1]) set.delete(match[2]!);
      else set.add(match[2]!);
      this.channels.set(handlerId, set);
    }
  }

  private deliver(notification: Buffer): void {
    // NotificationResponse: 'A', int32 length, int32 pid, channel (C string), payload (C string).
    const end = notification.indexOf(0, 9);
    const channel = notification.subarray(9, end).toString('utf8');
    for (const [handlerId, set] of this.channels) {
      if (set.has(channel)) this.sinks.get(handlerId)?.(notification);
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.handlerId === handlerId) this.queue.splice(i, 1)[0]!.reject(new Error('connection closed'));
    }
    this.channels.delete(handlerId);
    this.sinks.delete(handlerId);
  }

  /** A connection that leaves while it holds the session gives it back: its open transaction is rolled back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    this.owner = null;
    this.copying = false;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    void this.process();
  }
}

/** Takes the notifications and notes a CopyInResponse in one message's output; the rest goes back to its sender. */
function splitOutput(output: Buffer): { kept: Buffer; notifications: Buffer[]; copyIn: boolean } {
  const notifications: Buffer[] = [];
  const kept: Buffer[] = [];
  let copyIn = false;
  let offset = 0;
  while (offset + 5 <= output.length) {
    const type = output[offset]!;
    const length = output.readInt32BE(offset + 1);
    const next = offset + 1 + length;
    if (next > output.length) break; // not a whole message: pass the rest through untouched
    const message = output.subarray(offset, next);
    if (type === NOTIFICATION) notifications.push(Buffer.from(message));
    else kept.push(message);
    if (type === COPY_IN) copyIn = true;
    offset = next;
  }
  if (offset < output.length) kept.push(output.subarray(offset));
  return { kept: notifications.length ? Buffer.concat(kept) : output, notifications, copyIn };
}

/**
 * Serves one PGlite on a loopback port to any number of `pg` connections (the app's pool and BullMQ's), through
 * pglite-socket's connection handler and the SessionQueue above.
 */
export async function serveEmbedded(db: PGlite): Promise<{ host: string; port: number; stop(): Promise<void> }> {
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      for (const handler of handlers) await handler.detach(true);
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
