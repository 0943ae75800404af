// Replays recorded histories of real runs against today's workflow code: a change that would break cases already
// running (non-determinism) fails here, before it reaches a worker. Record new ones from a live run with
// `temporal workflow show -w escalation/<id> --output json > test/fixtures/histories/<name>.json`, or from a
// scenario with `npx tsx scripts/record-history.ts --matrix <yaml> --scenario <yaml> --out <json>`.
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

  it.each(files)('replays %s without non-determinism', async (file) => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
  });
});
