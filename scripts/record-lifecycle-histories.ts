// `npx tsx scripts/record-lifecycle-histories.ts [outDir]`: records the event histories of representative cases
// (open with a task, escalated twice then reassigned and reprioritised, paused and closed without feedback,
// reopened after an unsatisfied reporter then reviewed, cancelled, continued-as-new) under the time-skipping server.
// test/workflows/replay.test.ts replays every one against today's workflow code, so a change that running cases
// could see fails the tests unless it goes through `patched` (docs/upgrading.md).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ChannelRegistry } from '../src/channels/channel';
import { CapturingChannel } from '../src/channels/memory-channel';
import { parseMatrix } from '../src/matrix/load';
import type { CaseInput } from '../src/shared/escalation';
import { workflowIdFor } from '../src/shared/ids';
import {
  acknowledgeUpdate,
  addTaskUpdate,
  addTeamUpdate,
  cancelUpdate,
  commentSignal,
  feedbackUpdate,
  openedUpdate,
  pauseUpdate,
  reassignUpdate,
  reprioritiseUpdate,
  resolveUpdate,
  resumeUpdate,
  stateQuery,
  submitReviewUpdate,
  subscribeUpdate,
  updateActionItemUpdate,
  updateTaskUpdate,
} from '../src/shared/messages';
import type { Plan } from '../src/shared/plan';
import { settle } from '../src/simulator/settle';
import { inVirtualTime } from '../src/simulator/virtual-time';
import { escalationWorkflow } from '../src/workflows/escalation.workflow';

const MINUTE = 60_000;
const MATRIX = 'config/examples/two-minute.yaml';

/** The demo matrix plus a team, a person and a pause reason, so every lifecycle command has something to act on. */
function recordingPlan(): Plan {
  const plan = parseMatrix(readFileSync(MATRIX, 'utf8'), MATRIX);
  return {
    ...plan,
    people: {
      ...plan.people,
      dana: { id: 'dana', name: 'Dana Reyes', contacts: [{ channel: 'log', address: 'dana@example.com' }] },
    },
    teams: {
      ...plan.teams,
      billing: {
        id: 'billing',
        name: 'Billing engineering',
        members: [],
        contacts: [{ channel: 'log', address: 'billing@example.com' }],
      },
    },
    pauseReasons: ['waiting-on-customer'],
  };
}

const caseInput = (id: string, priority: CaseInput['priority']): CaseInput => ({
  id,
  title: `Recorded case ${id}`,
  description: 'Recorded for the replay tests.',
  category: 'billing',
  priority,
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
  attemptedSteps: ['Retried the payment'],
});

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? 'test/fixtures/histories';
  const plan = recordingPlan();
  const channel = new CapturingChannel();
  await inVirtualTime('record-histories', new ChannelRegistry([channel]), async ({ env, taskQueue, skipTo }) => {
    const t0 = await env.currentTimeMs();
    const handles: WorkflowHandle<typeof escalationWorkflow>[] = [];
    const at = async (offsetMs: number) => {
      for (const handle of handles) await settle(handle);
      await skipTo(t0 + offsetMs);
    };
    const start = async (id: string, priority: CaseInput['priority'], historyLimit?: number) => {
      const handle = await env.client.workflow.start(escalationWorkflow, {
        workflowId: workflowIdFor(id),
        taskQueue,
        args: [{ case: caseInput(id, priority), plan, ...(historyLimit ? { historyLimit } : {}) }],
      });
      await handle.executeUpdate(openedUpdate);
      handles.push(handle);
      return handle;
    };
    const inOneMinute = () => new Date(t0 + 20 * MINUTE).toISOString();

    const open = await start('REC-OPEN', 'high');
    const twice = await start('REC-ESCALATED-TWICE', 'high');
    const paused = await start('REC-PAUSED', 'medium');
    const reopened = await start('REC-REOPENED', 'high');
    const cancelled = await start('REC-CANCELLED', 'low');
    const continued = await start('REC-CONTINUED', 'low', 60);

    await at(MINUTE);
    await open.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ana' }] });
    await open.executeUpdate(subscribeUpdate, {
      args: [{ by: 'Ana', name: 'Sam', channel: 'log', address: 'sam@example.com', audience: 'internal' }],
    });
    await open.executeUpdate(addTaskUpdate, {
      args: [
        {
          by: 'Ana',
          title: 'Check the ledger',
          owner: { name: 'Lee', email: 'lee@example.com' },
          dueAt: inOneMinute(),
        },
      ],
    });
    await paused.executeUpdate(pauseUpdate, { args: [{ by: 'Ana', reason: 'waiting-on-customer' }] });
    await reopened.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ana' }] });
    await reopened.executeUpdate(addTeamUpdate, { args: [{ by: 'Ana', team: 'billing', note: 'ledger access' }] });
    const task = await reopened.executeUpdate(addTaskUpdate, {
      args: [{ by: 'Ana', title: 'Refund the charge', owner: 'billing', dueAt: inOneMinute(), blocking: true }],
    });
    await cancelled.executeUpdate(cancelUpdate, {
      args: [{ by: 'Ana', reason: 'duplicate', note: 'same as REC-OPEN', duplicateOf: 'REC-OPEN' }],
    });
    for (let i = 1; i <= 20; i++) await continued.signal(commentSignal, { by: 'Ana', note: `note ${i}` });

    await at(4 * MINUTE + 30_000); // REC-ESCALATED-TWICE: frontline -> team lead at 2m, -> manager at 4m
    await twice.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Maya' }] });
    await twice.executeUpdate(reprioritiseUpdate, {
      args: [{ by: 'Maya', priority: 'critical', reason: 'all EU customers' }],
    });
    await twice.executeUpdate(reassignUpdate, {
      args: [{ by: 'Maya', to: 'dana', reason: 'owns the payment gateway' }],
    });
    await paused.executeUpdate(resumeUpdate, { args: [{ by: 'Ana', note: 'customer replied' }] });
    await reopened.executeUpdate(updateTaskUpdate, {
      args: [{ by: 'Ana', id: task.tasks[0]?.id ?? 'T1', state: 'done' }],
    });
    await reopened.executeUpdate(resolveUpdate, {
      args: [{ by: 'Ana', resolution: 'Refunded the charge', rootCause: 'bug', fix: 'patched the retry' }],
    });

    await at(6 * MINUTE);
    await paused.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ana' }] });
    await paused.executeUpdate(resolveUpdate, { args: [{ by: 'Ana', resolution: 'Customer confirmed the fix' }] });
    await reopened.executeUpdate(feedbackUpdate, {
      args: [{ by: 'Ada Lovelace', score: 2, comment: 'charged again' }],
    });

    await at(7 * MINUTE);
    await reopened.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ana' }] });
    await reopened.executeUpdate(resolveUpdate, { args: [{ by: 'Ana', resolution: 'Blocked the duplicate charge' }] });
    await reopened.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5 }] });
    const reviewed = await reopened.executeUpdate(submitReviewUpdate, {
      args: [
        {
          by: 'Dana',
          whatHappened: 'A retry charged twice',
          rootCause: { method: 'five-whys', whys: ['retry', 'no idempotency key'] },
          actionItems: [{ title: 'Add idempotency keys', owner: 'dana', dueAt: inOneMinute() }],
        },
      ],
    });
    await at(8 * MINUTE);
    await reopened.executeUpdate(updateActionItemUpdate, {
      args: [{ by: 'Dana', id: reviewed.review?.actionItems[0]?.id ?? 'A1', state: 'done' }],
    });

    await at(18 * MINUTE); // REC-PAUSED closes without feedback; REC-CONTINUED escalates in its second run
    await open.signal(commentSignal, { by: 'Ana', note: 'still checking' });
    await at(18 * MINUTE + 1000);

    const write = async (name: string, handle: WorkflowHandle, runId?: string) => {
      const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      writeFileSync(path.join(outDir, `${name}.json`), `${historyToJSON(history)}\n`);
      const state = await handle.query(stateQuery).catch(() => undefined);
      process.stdout.write(`${name}: ${history.events?.length ?? 0} events, status ${state?.status ?? 'completed'}\n`);
    };
    await write('lifecycle-open', open);
    await write('lifecycle-escalated-twice-reassigned', twice);
    await write('lifecycle-paused-closed-without-feedback', paused);
    await write('lifecycle-reopened-reviewed', reopened);
    await write('lifecycle-cancelled', cancelled);
    const firstRun = continued.firstExecutionRunId;
    await write('lifecycle-continued-as-new-first-run', continued, firstRun);
    await write('lifecycle-continued-as-new-second-run', continued);
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
