// Runs a scenario through the real escalation workflow under Temporal's time-skipping test server: the same code,
// activities and SLA clock as production, with notifications captured instead of sent.
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
import { settleCase } from './settle';
import { COMMAND_CLEARANCE_MS, inVirtualTime, SimulationError } from './virtual-time';

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
  return inVirtualTime('simulation', new ChannelRegistry([channel]), async ({ env, taskQueue, skipTo, advanceTo }) => {
    const startMs = resolveStart(scenario, await env.currentTimeMs());
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
      // Raised at the scenario's start to the millisecond, however long the first workflow task took in real time.
      args: [{ case: input, plan, generation: WORKFLOW_GENERATION, raisedAt: new Date(startMs).toISOString() }],
    });
    await handle.executeUpdate(openedUpdate);
    const commands: CommandOutcome[] = [];
    for (const event of scenario.events) {
      // An SLA action due at the command's instant (to the second) goes first: rule 4, and see COMMAND_CLEARANCE_MS.
      await advanceTo(handle, startMs + event.offsetMs, COMMAND_CLEARANCE_MS);
      const at = new Date(await env.currentTimeMs()).toISOString();
      const outcome = await sendCommand(handle, event.command).then(
        () => 'applied',
        (error: unknown) => refusal(error),
      );
      commands.push({ at, line: event.line, outcome });
    }
    await advanceTo(handle, startMs + scenario.untilMs);
    // Every step's record (and with it its notifications) is in before the state is read.
    await settleCase(handle);
    const state = await handle.query(stateQuery);
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
