import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts bench/smtp-sink-process.ts and collects the accept times it reports. */
export class RemoteSink {
  readonly times: number[] = [];
  private child: ChildProcess | undefined;

  async start(): Promise<string> {
    this.child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp-sink-process.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    return new Promise((resolve) => {
      this.child!.on('message', (message: { url?: string; at?: number[] }) => {
        if (message.url) resolve(message.url);
        if (message.at) this.times.push(...message.at);
      });
    });
  }

  reset(): void {
    this.times.length = 0;
    this.child?.send({ reset: true });
  }

  async stop(): Promise<void> {
    this.child?.disconnect();
    await new Promise((resolve) => this.child?.once('exit', resolve));
  }
}
