// What the simulator reads off a case's history to step virtual time: the timers it still waits for, and a workflow
// task left open, such as the one the time-skipping test server strands when it refuses a task's completion.
import type { WorkflowHandle } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { caseProgress, settleCase } from '../../src/simulator/settle';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
let nextId = 1;
// Event ids are Longs in the SDK's types; a number reads the same to the code under test.
const event = (ms: number, attributes: Partial<HistoryEvent>): HistoryEvent =>
  ({ eventId: nextId++, eventTime: msToTs(ms), ...attributes }) as unknown as HistoryEvent;
const task = (ms: number, done = true): HistoryEvent[] => [
  event(ms, { workflowTaskScheduledEventAttributes: {} }),
  event(ms, { workflowTaskStartedEventAttributes: {} }),
  ...(done ? [event(ms + 20, { workflowTaskCompletedEventAttributes: {} })] : []),
];
const timer = (ms: number, timerId: string, seconds: number) =>
  event(ms, { timerStartedEventAttributes: { timerId, startToFireTimeout: msToTs(seconds * 1000) } });

describe('caseProgress', () => {
  it('lists the timers still pending, earliest first, firing at their recorded start plus their duration', () => {
    const progress = caseProgress([
      event(T0, { workflowExecutionStartedEventAttributes: {} }),
      ...task(T0),
      timer(T0 + 20, '1', 1800),
      ...task(T0 + 600_000),
      event(T0 + 600_020, { timerCanceledEventAttributes: { timerId: '1' } }),
      timer(T0 + 600_020, '2', 3600),
      timer(T0 + 600_020, '3', 60),
    ]);

    expect(progress).toEqual({
      closed: false,
      timers: [
        { id: '3', firesAtMs: T0 + 660_020 },
        { id: '2', firesAtMs: T0 + 4_200_020 },
      ],
    });
  });

  it('reports a workflow task started and never finished, as the test server leaves one whose completion it refused', () => {
    const started = T0 + 1_800_005;
    const progress = caseProgress([
      event(T0, { workflowExecutionStartedEventAttributes: {} }),
      ...task(T0),
      timer(T0 + 20, '1', 1800),
      ...task(started, false),
    ]);

    expect(progress.openTask).toEqual({ scheduledEventId: expect.any(Number), startedAtMs: started });
    expect(progress.timers).toEqual([{ id: '1', firesAtMs: T0 + 1_800_020 }]);
  });

  it('has no task and no timer once the run has ended', () => {
    expect(
      caseProgress([
        ...task(T0),
        timer(T0 + 20, '1', 60),
        event(T0 + 20, { workflowExecutionContinuedAsNewEventAttributes: {} }),
      ]),
    ).toEqual({ closed: true, timers: [] });
  });
});

describe('settleCase', () => {
  const handleWith = (events: HistoryEvent[]) =>
    ({
      workflowId: 'escalation/ESC-1',
      describe: () => Promise.resolve({ status: { name: 'RUNNING' }, raw: { pendingActivities: [] } }),
      fetchHistory: () => Promise.resolve({ events }),
    }) as unknown as WorkflowHandle;

  it('returns the pending timers once no task is open', async () => {
    await expect(settleCase(handleWith([...task(T0), timer(T0 + 20, '1', 60)]))).resolves.toEqual({
      closed: false,
      timers: [{ id: '1', firesAtMs: T0 + 60_020 }],
    });
  });

  it('fails with the reason instead of waiting for ever on a task the test server stranded', async () => {
    const stranded = handleWith([...task(T0), timer(T0 + 20, '1', 60), ...task(T0 + 60_010, false)]);

    await expect(settleCase(stranded, 50)).rejects.toThrow(
      /escalation\/ESC-1: workflow task \d+ started at 2026-03-02T09:01:00.010Z and has not finished within 50 ms.*sdk-java#2606/,
    );
  });
});
