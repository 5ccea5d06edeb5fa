import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** The whole message with quoted-printable undone, for finding links and text. */
  body: string;
  raw: string;
  at: number;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')));
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps what it receives. `reject` decides, per
 * recipient, whether to refuse with a permanent (550) or temporary (451) error.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  reject: (recipient: string) => 'permanent' | 'temporary' | null = () => null;
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const verdict = this.reject(address.address);
        if (verdict === 'permanent') return callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
        if (verdict === 'temporary') return callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: decodeHeader(subject),
            body: decodeQuotedPrintable(raw),
            raw,
            at: Date.now(),
          });
          callback();
        });
      },
    });
    // smtp-server emits a client's broken connection (ECONNRESET from a worker killed mid-mail) as 'error' on the server;
    // unheard, that is an uncaught exception in the test process. The mail it was sending is simply not received.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The enrolment link in a mail, and its token. */
export function enrolmentLink(mail: ReceivedMail): { url: string; token: string } {
  const match = /(https?:\/\/[^\s"<>]+\/enrol\/([A-Za-z0-9_-]{43}))/.exec(mail.body);
  if (!match) throw new Error(`no enrolment link in mail "${mail.subject}"`);
  return { url: match[1]!, token: match[2]! };
}
