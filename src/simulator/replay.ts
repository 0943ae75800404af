// What-if replay: the recorded cases of a window re-run against a candidate matrix in virtual time, with the same
// people doing the same things at the same instants, then compared with what really happened under the old one.
// Reading the records (./replay-read), running them (./replay-run) and comparing (./replay-compare) are modules of
// their own; this entry joins them and is where the CLI and the tests import the replay from.
import type { Plan } from '../shared/plan';
import { compareReplay, type ReplayResult } from './replay-compare';
import { readReplayInput, type RecordedCase, type ReplayWindowOptions } from './replay-read';
import { replayCaveats, runReplay } from './replay-run';

export { loadRecordedCases, MAX_REPLAY_CASES, recordedActions } from './replay-read';
export type { RecordedAction, RecordedCase, ReplayAction } from './replay-read';
export { shiftPlanDates, shiftWeeksFor } from './replay-run';
export type { ActionOutcome } from './replay-run';
export { REPORTERS } from './replay-compare';
export type {
  CaseComparison,
  CaseOutcome,
  Counts,
  LevelComparison,
  LevelReached,
  RecipientComparison,
  ReplayResult,
  ReplayTotals,
} from './replay-compare';

export interface ReplayOptions extends ReplayWindowOptions {
  /** Called now and then while steps are applied (long windows take minutes). */
  onProgress?: (doneSteps: number, totalSteps: number) => void;
}

/**
 * Replays `recorded` against `plan` in one time-skipping environment and compares each case with its record.
 * Every instant moves by the same whole number of weeks (the test server cannot go back in time).
 */
export async function replayCases(
  plan: Plan,
  recorded: RecordedCase[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const input = readReplayInput(recorded, options);
  const run = await runReplay(plan, input, options.onProgress);
  return compareReplay(plan, input, run, replayCaveats(plan, input, run));
}
