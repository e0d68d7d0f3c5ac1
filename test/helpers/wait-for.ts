// Polls until `check` returns a value other than undefined/false, or fails with
// the description once `timeoutMs` has passed. For waiting on asynchronous
// effects (a consumer catching up), never for measuring speed.
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}` + (lastError ? `: ${(lastError as Error).message}` : ''));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
