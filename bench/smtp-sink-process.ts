// An SMTP sink in its own process, so that the benchmark measures cutover rather than the mail server sharing its
// event loop. It reports each accepted mail's time over IPC.
import { SmtpSink } from '../test/support/smtp-sink.ts';

const sink = new SmtpSink();
const url = await sink.start();
let reported = 0;
process.send!({ url });
setInterval(() => {
  if (sink.mails.length > reported) {
    process.send!({ at: sink.mails.slice(reported).map((m) => m.at) });
    reported = sink.mails.length;
  }
}, 100);
process.on('message', (message: { reset?: boolean }) => {
  if (message.reset) {
    sink.mails.length = 0;
    reported = 0;
  }
});
process.on('disconnect', () => process.exit(0));
