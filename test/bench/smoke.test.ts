// The bench's quick mode end to end (dev server, PostgreSQL, worker and API as child processes): it runs, measures
// every phase and loses no escalation. Timings are never asserted: this machine is shared and noisy.
import { runBench, type BenchResults } from '../../scripts/bench/run';

describe('npm run bench -- --quick', () => {
  let results: BenchResults;

  beforeAll(async () => {
    results = await runBench({ quick: true, store: 'postgres', keep: false }, (line) =>
      process.stderr.write(`[bench smoke] ${line}\n`),
    );
  }, 150_000);

  it('measures creates through the API and the raw baseline', () => {
    expect(results.throughput.api.succeeded).toBeGreaterThan(0);
    expect(results.throughput.raw.succeeded).toBeGreaterThan(0);
  });

  it('loses no escalation: every case due at each rate was handed to the next level', () => {
    expect(results.lateness.length).toBeGreaterThan(0);
    for (const step of results.lateness) {
      expect(step.cases).toBeGreaterThan(0);
      expect(step.lost).toBe(0);
    }
  });
});
