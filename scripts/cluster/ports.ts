// The cluster's loopback ports. Picked free by the kernel on the first start and kept in the data dir, so a restarted
// cluster comes back on the same addresses (clients keep working, and the Temporal server's membership records in
// the database name the ports it will use again); a port another program took meanwhile is replaced by a free one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../support/loopback';
import { LOOPBACK } from './settings';

/** Every port the cluster's PostgreSQL and Temporal services listen on, by name. */
export const SERVER_PORTS = [
  'postgres',
  'frontendGrpc',
  'frontendHttp',
  'frontendMembership',
  'historyGrpc',
  'historyMembership',
  'matchingGrpc',
  'matchingMembership',
  'workerGrpc',
  'workerMembership',
] as const;

export type ClusterPorts = Record<(typeof SERVER_PORTS)[number], number> & {
  /** HTTP port of each API process. */
  apis: number[];
  /** METRICS_PORT of each worker process. */
  workerMetrics: number[];
};

/**
 * Membership ports are stored in a SMALLINT column (cluster_membership.rpc_port), so they must stay below 32768; the
 * kernel hands out free ports from 32768 up (ip_local_port_range), so these are drawn from below, at random.
 */
const MEMBERSHIP_PORTS = { min: 20_000, max: 32_767 };
const isMembershipPort = (name: string) => name.endsWith('Membership');

async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = MEMBERSHIP_PORTS.min + Math.floor(Math.random() * (MEMBERSHIP_PORTS.max - MEMBERSHIP_PORTS.min + 1));
    if (!taken.has(port) && (await canBind(port))) return port;
  }
  throw new Error(`no free port between ${MEMBERSHIP_PORTS.min} and ${MEMBERSHIP_PORTS.max} after 100 tries`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** The kept port when it is still free and not handed out already in this round, else a fresh one. */
async function keepOrPick(kept: number | undefined, taken: Set<number>, low = false): Promise<number> {
  const keep =
    kept !== undefined && !taken.has(kept) && (!low || kept <= MEMBERSHIP_PORTS.max) && (await canBind(kept));
  let port = keep ? kept : low ? await freeLowPort(taken) : await freePort();
  // The kernel may offer a port we just handed to another part; bounded retries.
  for (let attempt = 0; attempt < 20 && taken.has(port); attempt++) port = await freePort();
  taken.add(port);
  return port;
}

export async function assignPorts(file: string, counts: { apis: number; workers: number }): Promise<ClusterPorts> {
  const kept: Partial<ClusterPorts> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterPorts>)
    : {};
  const taken = new Set<number>();
  const ports = { apis: [] as number[], workerMetrics: [] as number[] } as unknown as ClusterPorts;
  for (const name of SERVER_PORTS) ports[name] = await keepOrPick(kept[name], taken, isMembershipPort(name));
  for (let i = 0; i < counts.apis; i++) ports.apis.push(await keepOrPick(kept.apis?.[i], taken));
  for (let i = 0; i < counts.workers; i++) ports.workerMetrics.push(await keepOrPick(kept.workerMetrics?.[i], taken));
  writeFileSync(file, `${JSON.stringify(ports, null, 2)}\n`);
  return ports;
}
