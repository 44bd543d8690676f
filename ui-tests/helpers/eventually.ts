/** Retries an assertion until it passes or the time is up. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(done => setTimeout(done, 250));
    }
  }
}
