// One short round of every fault against a real dev server, worker and API (scripts/faults), one test per fault:
// a few cases, a 15-second ack target instead of the matrix's minute and a short SIGSTOP, so the file stays near
// 5 minutes on two cores. Progress and the product's logs are in the work dir printed at the start.
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULTS } from '../../scripts/faults/faults';
import { formatProblems, formatTable } from '../../scripts/faults/report';
import { runRound, type RoundResult } from '../../scripts/faults/round';
import { newRunTag, startFaultStack } from '../../scripts/faults/run';
import type { Stack } from '../../scripts/faults/stack';

const CASES = 8;
const ACK_SECONDS = 15;
const STALL_SECONDS = 15;
const START_TIMEOUT_MS = 120_000;
// A round: creates, the ack target, the fault, recovery, the bounded waits and the cleanup; about 30-45 s unloaded.
const ROUND_TIMEOUT_MS = 150_000;

describe('fault injection: one short round of each fault', () => {
  const runTag = newRunTag();
  const workDir = path.join(os.tmpdir(), `escalations-faults-jest-${runTag}`);
  const log = (line: string) => appendFileSync(path.join(workDir, 'faults.log'), `${line}\n`);
  const results: RoundResult[] = [];
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startFaultStack({ ackSeconds: ACK_SECONDS, workDir }, runTag);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    process.stderr.write(`fault rounds (logs in ${workDir}):\n${formatTable(results)}\n${formatProblems(results)}\n`);
    await stack?.close();
  }, 60_000);

  it.each(FAULTS.map((fault, index) => [fault.name, fault, index + 1] as const))(
    '%s: every escalation happened once, none lost, nothing stalled',
    async (_name, fault, round) => {
      const result = await runRound(stack as Stack, fault, {
        round,
        cases: CASES,
        stallSeconds: STALL_SECONDS,
        runTag,
        log,
      });
      results.push(result);
      const { expected, seen, duplicates, lost, stalled, problems } = result;
      expect({ seen: seen >= CASES && seen === expected, duplicates, lost, stalled, problems }).toEqual({
        seen: true,
        duplicates: 0,
        lost: 0,
        stalled: 0,
        problems: [],
      });
    },
    ROUND_TIMEOUT_MS,
  );
});
