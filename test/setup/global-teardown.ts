// Stops the PostgreSQL that the global setup started.
export default async function globalTeardown(): Promise<void> {
  await globalThis.__testPostgres?.stop();
}
