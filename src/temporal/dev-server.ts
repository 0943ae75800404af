// Runs the Temporal CLI's dev server as a child process for `npm start`: state persisted to a file, Web UI on,
// search attributes registered at launch. Stopped with the rest of the product on Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { waitUntilServing } from './wait-serving';
import type { Logger } from '../logger';
import { ESCALATION_SEARCH_ATTRIBUTES } from '../shared/search-attributes';

export interface DevServerOptions {
  executable: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export class DevServerError extends Error {
  override readonly name = 'DevServerError';
}

const SEARCH_ATTRIBUTE_TYPE: Record<string, string> = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', BOOL: 'Bool' };

/**
 * The flags every dev server of ours takes (`npm start`, the bench, the fault suite): JSON logs at warn, and the
 * escalation search attributes registered at launch.
 */
export function devServerFlags(): string[] {
  return [
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...ESCALATION_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${SEARCH_ATTRIBUTE_TYPE[key.type] ?? key.type}`,
    ]),
  ];
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** The server logs JSON lines with its own level; keep that level so warnings stay warnings. */
function relayLine(logger: Logger, line: string): void {
  let parsed: { level?: string; msg?: string } | undefined;
  try {
    parsed = JSON.parse(line) as { level?: string; msg?: string };
  } catch {
    logger.info(line);
    return;
  }
  // Its own `time` and `service` would shadow ours; the line is stamped by pino and tagged dev-server already.
  const {
    level,
    msg,
    time: _time,
    service: _service,
    ...fields
  } = parsed as Record<string, unknown> & {
    level?: string;
    msg?: string;
  };
  const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'DEBUG' ? 'debug' : 'info';
  logger[method](fields, typeof msg === 'string' ? msg : line);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { executable, dataDir, port, uiPort, namespace, logger } = options;
  if (await portInUse(port)) {
    throw new DevServerError(
      `port ${port} is already in use: another Temporal server is running. Stop it, or use it by setting ` +
        `TEMPORAL_ADDRESS=127.0.0.1:${port}, or pick another port with TEMPORAL_DEV_PORT.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, 'temporal.db');
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    dbFile,
    '--namespace',
    namespace,
    ...devServerFlags(),
  ];
  logger.info({ executable, dbFile, port, uiPort }, 'starting Temporal dev server');
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() !== '') relayLine(logger, line.trim());
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(
      address,
      () => (child.exitCode !== null ? `the dev server exited with code ${child.exitCode}` : undefined),
      60_000,
    ).catch((error: Error) => {
      throw new DevServerError(error.message, { cause: error });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const uiUrl = `http://localhost:${uiPort}`;
  logger.info({ address, uiUrl }, 'Temporal dev server ready');
  return {
    address,
    uiUrl,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
      logger.info('Temporal dev server stopped');
    },
  };
}
