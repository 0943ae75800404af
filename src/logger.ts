// Structured logs (pino): every line names the part that speaks (`component`: api, worker, dev-server, ...).
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'escalations' }, timestamp: pino.stdTimeFunctions.isoTime });
}
