// Replays recorded histories of real runs against today's workflow code: a change that would break cases already
// running (non-determinism) fails here, before it reaches a worker. Record new ones from a live run with
// `temporal workflow show -w escalation/<id> --output json > test/fixtures/histories/<name>.json`, from a
// scenario with `npx tsx scripts/record-history.ts --matrix <yaml> --scenario <yaml> --out <json>`, or the
// lifecycle set with `npx tsx scripts/record-lifecycle-histories.ts` (see docs/upgrading.md).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker';

const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
});

describe('recorded histories', () => {
  it('has at least one history to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('covers open, escalated, paused, reopened, cancelled and continued-as-new cases', () => {
    for (const kind of ['open', 'escalated-twice', 'paused', 'reopened', 'cancelled', 'continued-as-new']) {
      expect(files.some((file) => file.includes(kind))).toBe(true);
    }
  });

  it('replays every history without non-determinism', async () => {
    const histories = files.map((file) => ({
      workflowId: file,
      history: JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as unknown,
    }));
    const failures: string[] = [];
    const replayed: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories as never)) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual([...files].sort());
  });
});
