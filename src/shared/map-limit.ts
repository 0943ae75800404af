// Bounded concurrency: the replay's store reads and final-state queries, the fault and cluster rounds' bursts of
// requests. Thousands of calls at once would swamp the store, the test server or the API's sockets.

/** `fn` over `items` with at most `limit` calls in flight; the results keep the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
