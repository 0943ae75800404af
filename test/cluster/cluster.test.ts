// The product on a real Temporal cluster (scripts/cluster): the Temporal server built from source on PostgreSQL, two
// workers and two APIs as separate processes, a matrix whose first ack target is 10 s (test/cluster/matrix.yaml).
// Rounds: cases through both APIs; kill -9 of a worker during a burst and while timers fall due; a restart of the
// Temporal server across the timers; the same lists from either API. Judged by the fault suite's checks.
// Needs the Temporal server build (cached in ~/.cache/escalations) or Go to build it; without both it is skipped,
// saying why. Logs and state: the work dir printed at the start.
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from '../../scripts/cluster/cluster';
import { clusterUnavailableReason } from '../../scripts/cluster/temporal-build';
import { sleep, waitFor } from '../../scripts/support/loopback';
import {
  ACK_MS,
  cancelAll,
  caseIdsFor,
  CLEAN,
  createThroughApis,
  judge,
  listFromEveryApi,
  notificationSeen,
  summary,
} from './rounds';

const MATRIX = path.join(__dirname, 'matrix.yaml');
const CASES = 8;
/** Past the last case's due instant before an outage ends, so the timers fall due during it. */
const PAST_DUE_MS = 4_000;
/** Start-up: ~1 min with the build cached; a build that has not finished (CI starts it early) is waited for. */
const START_TIMEOUT_MS = 25 * 60_000;
const ROUND_TIMEOUT_MS = 150_000;
/** Subjects of the shipped handoff templates: "Handoff to <level>" and, to a path's last level, "Escalated to". */
const HANDOFF = /\] (?:Handoff|Escalated) to (.+?): /;
const TESTS = 5;

const unavailable = clusterUnavailableReason();
if (unavailable !== undefined) process.stderr.write(`[cluster test] skipped: ${unavailable}\n`);
const describeWhenAvailable = unavailable === undefined ? describe : xdescribe;

describeWhenAvailable('a cluster: Temporal server on PostgreSQL, two workers, two APIs', () => {
  const runTag = Date.now().toString(36);
  let workDir = '';
  let cluster: Cluster | undefined;
  let passed = 0;
  const log = (line: string) => appendFileSync(path.join(workDir, 'cluster-test.log'), `${line}\n`);
  const started = () => cluster as Cluster;
  /** A round on its cases, which are cancelled at its end, passed or not, so they do not load the rounds after it. */
  const round = (name: string, ids: string[], body: () => Promise<void>) =>
    it(
      name,
      async () => {
        try {
          await body();
          passed++;
        } finally {
          await cancelAll(started(), ids).catch((error: Error) => log(`cancelling failed: ${error.message}`));
        }
      },
      ROUND_TIMEOUT_MS,
    );

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'escalations-cluster-jest-'));
    // As root PostgreSQL runs as the postgres user, which must be able to reach its data dir inside this one.
    chmodSync(workDir, 0o755);
    process.stderr.write(`[cluster test] logs and state in ${workDir}\n`);
    cluster = await startCluster({
      dataDir: workDir,
      workers: 2,
      apis: 2,
      matrixFile: MATRIX,
      throwaway: true,
      log,
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.close();
    // Kept when a test failed: the logs are what explains it.
    if (passed === TESTS) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`[cluster test] kept ${workDir}\n`);
  }, 120_000);

  const apiCases = caseIdsFor(`CL-${runTag}-apis`, CASES);
  round('owns every case created through either API and escalates each once', apiCases, async () => {
    const creates = await createThroughApis(started(), apiCases);
    expect(creates.map((create) => create.status)).toEqual(apiCases.map(() => 201));
    const { verdict, observation } = await judge(started(), apiCases, creates, 0, ACK_MS + 60_000);
    expect(summary(verdict)).toEqual(CLEAN);
    expect(verdict.expected).toBe(CASES);
    // Owned: a level and its targets hold every case, and the frontline got its handoff before the escalation.
    for (const view of observation.workflows) {
      expect({ id: view.caseId, owner: view.state?.owner, level: view.state?.level.name }).toEqual({
        id: view.caseId,
        owner: 'Team lead',
        level: 'Team lead',
      });
      const handoffs = observation.log.filter((line) => line.caseId === view.caseId && HANDOFF.test(line.subject));
      expect(handoffs.map((line) => HANDOFF.exec(line.subject)?.[1]).sort()).toEqual([
        'Frontline support',
        'Team lead',
      ]);
    }
    // Both APIs read one store: the same open cases, and the same worklist of the level that owns them now.
    for (const query of ['/escalations?status=open&limit=1000', `/worklist?owner=${encodeURIComponent('Team lead')}`]) {
      const [first, second] = await listFromEveryApi(started(), query);
      expect({ query, fromSecondApi: second }).toEqual({ query, fromSecondApi: first });
      expect(first?.filter((item) => item.startsWith(`CL-${runTag}-apis`))).toHaveLength(CASES);
    }
  });

  const burstCases = caseIdsFor(`CL-${runTag}-burst`, CASES * 2);
  round(
    'kill -9 of one worker during a burst of creates: the other worker carries on, nothing lost or doubled',
    burstCases,
    async () => {
      const [killed, survivor] = started().workers as [Cluster['workers'][0], Cluster['workers'][0]];
      const burst = createThroughApis(started(), burstCases, burstCases.length);
      // Killed once the workers are busy with the burst: its first notifications are being written.
      await notificationSeen(started(), burstCases, /./, 30_000).catch(() => log('no notification before the kill'));
      await killed.kill();
      log(`${killed.spec.name} killed (kill -9) mid-burst`);
      const creates = await burst;
      // Judged while the killed worker is still down: every escalation is the survivor's work.
      const { verdict } = await judge(started(), burstCases, creates, 0, ACK_MS + 90_000);
      expect({ survivorRunning: survivor.running, killedRunning: killed.running }).toEqual({
        survivorRunning: true,
        killedRunning: false,
      });
      expect(summary(verdict)).toEqual(CLEAN);
      expect(verdict.expected).toBe(burstCases.length);
    },
  );

  const timerCases = caseIdsFor(`CL-${runTag}-timers`, CASES);
  round(
    'kill -9 of one worker while timers fall due: every escalation once, on the other worker',
    timerCases,
    async () => {
      // The worker killed last round comes back while this round's cases are created.
      const [, creates] = await Promise.all([started().startWorker(0), createThroughApis(started(), timerCases)]);
      const lastCreated = Math.max(...creates.map((create) => create.answeredAt));
      await sleep(Math.max(0, Math.min(...creates.map((create) => create.answeredAt)) + ACK_MS - Date.now()));
      // Killed as the first escalation handoff is written: the rest of the burst is in flight on both workers.
      await notificationSeen(started(), timerCases, / to Team lead: /, 30_000).catch(() =>
        log('no handoff before the kill'),
      );
      const victim = started().workers[1]!;
      await victim.kill();
      log(`${victim.spec.name} killed (kill -9) while timers fall due`);
      // An activity the victim was running is retried after its 30 s start-to-close timeout.
      const waitMs = Math.max(0, lastCreated + ACK_MS - Date.now()) + 90_000;
      const { verdict } = await judge(started(), timerCases, creates, Date.now(), waitMs);
      expect(started().workers[0]!.running).toBe(true);
      expect(summary(verdict)).toEqual(CLEAN);
      expect(verdict.expected).toBe(CASES);
    },
  );

  const serverCases = caseIdsFor(`CL-${runTag}-server`, CASES);
  round(
    'a restart of the Temporal server across the timers: each fires once when it is back',
    serverCases,
    async () => {
      const creates = await createThroughApis(started(), serverCases);
      const dueAt = Math.max(...creates.map((create) => create.answeredAt)) + ACK_MS;
      await started().server.stop();
      log('Temporal server stopped (SIGTERM)');
      await sleep(Math.max(0, dueAt + PAST_DUE_MS - Date.now()));
      await started().startServer();
      const recoveredAt = Date.now();
      log('Temporal server restarted');
      const { verdict } = await judge(started(), serverCases, creates, recoveredAt, 90_000);
      expect(summary(verdict)).toEqual(CLEAN);
      expect(verdict.expected).toBe(CASES);
      // Fired after the restart, not during the outage (nothing could), and within the grace of the checks.
      expect(verdict.maxLatenessAfterRecovery).toBeDefined();
    },
  );

  it(
    'answers the same lists from either API (GET /escalations)',
    async () => {
      // Every case of the rounds before, each created through one API, cancelled: the store records the
      // cancellations a moment after the commands, so wait (bounded) until it holds them all.
      const cancelledQuery = '/escalations?status=cancelled&limit=1000';
      await waitFor(
        'the cancellations to be recorded',
        async () => ((await listFromEveryApi(started(), cancelledQuery))[0]?.length ?? 0) >= CASES * 5 || undefined,
        { timeoutMs: 60_000, intervalMs: 1_000 },
      ).catch(() => undefined);
      for (const query of ['/escalations?limit=1000', cancelledQuery]) {
        const [first, second] = await listFromEveryApi(started(), query);
        expect({ query, fromSecondApi: second }).toEqual({ query, fromSecondApi: first });
      }
      const [cancelled] = await listFromEveryApi(started(), cancelledQuery);
      expect(cancelled?.length).toBe(CASES * 5);
      passed++;
    },
    ROUND_TIMEOUT_MS,
  );
});
