import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpTestServer {
  /** `smtp://127.0.0.1:PORT`: plain SMTP on loopback, no TLS, no auth. */
  url: string;
  received: ReceivedMail[];
  /** Answer every RCPT TO with this SMTP code (550, 451, …) from now on; null accepts again. */
  rejectRecipients(code: number | null): void;
  close(): Promise<void>;
}

/** A real SMTP server (the smtp-server package) on a random loopback port that keeps what it receives. */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let rejectWith: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'], // plain loopback: nodemailer would otherwise upgrade to the server's self-signed cert
    logger: false,
    closeTimeout: 500,
    onRcptTo(_address, _session, callback) {
      if (rejectWith === null) return callback();
      const error = new Error(rejectWith >= 500 ? 'No such user here' : 'Try again later') as Error & { responseCode: number };
      error.responseCode = rejectWith;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRecipients(code) {
      rejectWith = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
