// `npm run mailbox [-- --port 2525 --dir data/mailbox]`: a local SMTP inbox for trying the email channel without a
// mail server. Start it, then `SMTP_URL=smtp://127.0.0.1:2525 SMTP_FROM=escalations@example.com npm start`: every
// message is printed (headers and text body) and saved as an .eml file. Loopback only; it accepts everything.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const port = Number(option('--port', '2525'));
const dir = option('--dir', path.join('data', 'mailbox'));
mkdirSync(dir, { recursive: true });
let received = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  disableReverseLookup: true,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      simpleParser(raw)
        .then((mail) => {
          received += 1;
          const file = path.join(dir, `${String(received).padStart(4, '0')}.eml`);
          writeFileSync(file, raw);
          const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
          process.stdout.write(
            [
              `---------------------------------------------------------------- mail ${received} (${file})`,
              `From:    ${mail.from?.text ?? ''}`,
              `To:      ${to}`,
              `Subject: ${mail.subject ?? ''}`,
              '',
              (mail.text ?? '').trimEnd(),
              '',
            ].join('\n'),
          );
          callback();
        })
        .catch((error: Error) => callback(error));
    });
  },
});

server.on('error', (error) => {
  process.stderr.write(`mailbox: ${error.message}\n`);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`mailbox: listening on smtp://127.0.0.1:${port}, saving to ${dir}/ (Ctrl-C to stop)\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
