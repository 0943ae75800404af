// Runs a scenario through the real escalation workflow under Temporal's time-skipping test server: the same code,
// activities and SLA clock as production, with notifications captured instead of sent.
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ChannelRegistry } from '../channels/channel';
import { CapturingChannel } from '../channels/memory-channel';
import { WORKFLOW_GENERATION, type CaseInput, type EscalationState } from '../shared/escalation';
import { workflowIdFor } from '../shared/ids';
import { openedUpdate, stateQuery } from '../shared/messages';
import type { Plan } from '../shared/plan';
import { escalationWorkflow } from '../workflows/escalation.workflow';
import { resolveStart, type Scenario } from './scenario';
import { refusal, sendCommand } from './send-command';
import { settle } from './settle';
import { inVirtualTime, SimulationError } from './virtual-time';

export interface CommandOutcome {
  at: string;
  line: string;
  /** `applied`, or why the case refused it (e.g. `JumpNotAllowed: ...`). */
  outcome: string;
}

export interface SimulatedNotification {
  at: string;
  audience: string;
  channel: string;
  to: string;
  name: string;
  subject: string;
}

export interface SimulationResult {
  scenario: string;
  zone: string;
  plan: { name: string; version: string; versionName?: string };
  start: string;
  end: string;
  state: EscalationState;
  commands: CommandOutcome[];
  notifications: SimulatedNotification[];
  /** The run's event history as JSON (with `history: true`), e.g. for replay tests. */
  history?: string;
}

export { SimulationError };

export async function simulate(
  plan: Plan,
  scenario: Scenario,
  options: { history?: boolean } = {},
): Promise<SimulationResult> {
  const channel = new CapturingChannel();
  return inVirtualTime('simulation', new ChannelRegistry([channel]), async ({ env, taskQueue, skipTo: skipClock }) => {
    const startMs = resolveStart(scenario, await env.currentTimeMs());
    const started: { handle?: WorkflowHandle } = {};
    const skipTo = async (ms: number) => {
      if (started.handle) await settle(started.handle);
      await skipClock(ms);
    };
    if (startMs < (await env.currentTimeMs())) {
      throw new SimulationError(
        `the scenario starts at ${new Date(startMs).toISOString()}, before the simulator's clock ` +
          `(${new Date(await env.currentTimeMs()).toISOString()}); pick a later start or "next <day> HH:MM"`,
      );
    }
    await skipTo(startMs);
    const input: CaseInput = {
      ...scenario.case,
      id: scenario.case.id ?? 'SIM-1',
      attemptedSteps: scenario.case.attemptedSteps ?? [],
    };
    const handle = await env.client.workflow.start(escalationWorkflow, {
      workflowId: workflowIdFor(input.id),
      taskQueue,
      args: [{ case: input, plan, generation: WORKFLOW_GENERATION }],
    });
    started.handle = handle;
    await handle.executeUpdate(openedUpdate);
    const commands: CommandOutcome[] = [];
    for (const event of scenario.events) {
      await skipTo(startMs + event.offsetMs);
      const at = new Date(await env.currentTimeMs()).toISOString();
      const outcome = await sendCommand(handle, event.command).then(
        () => 'applied',
        (error: unknown) => refusal(error),
      );
      commands.push({ at, line: event.line, outcome });
    }
    await skipTo(startMs + scenario.untilMs);
    const state = await handle.query(stateQuery);
    // Activities of the last step may still be running: the notifications of every recorded event must be in.
    const expected = state.notificationsSent;
    for (let i = 0; i < 200 && channel.sent.length < expected; i++) await new Promise((r) => setTimeout(r, 10));
    const history = options.history ? historyToJSON(await handle.fetchHistory()) : undefined;
    return {
      ...(history ? { history } : {}),
      scenario: scenario.name,
      zone: scenario.zone,
      plan: {
        name: plan.name,
        version: plan.version,
        ...(plan.versionName ? { versionName: plan.versionName } : {}),
      },
      start: new Date(startMs).toISOString(),
      end: new Date(startMs + scenario.untilMs).toISOString(),
      state,
      commands,
      notifications: [...channel.sent]
        .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }))
        .map((m) => ({
          at: m.requestedAt,
          audience: m.audience,
          channel: m.channel,
          to: m.recipient.address,
          name: m.recipient.name,
          subject: m.subject,
        })),
    };
  });
}
