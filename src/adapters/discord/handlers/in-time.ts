/**
 * Discord wants an answer within 3 seconds. Most commands finish in milliseconds, and answering
 * directly lets the reply be public or ephemeral as the command decided; only slow work is deferred.
 */
export async function settleOrDefer<T>(
  work: Promise<T>,
  deferAfterMs: number,
  defer: () => Promise<unknown>,
): Promise<{ value: T; deferred: boolean }> {
  // If deferring fails we never await `work`: keep its failure from becoming an unhandled rejection.
  work.catch(() => undefined);
  if (deferAfterMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), deferAfterMs);
    });
    try {
      const first = await Promise.race([work.then((value) => ({ value })), timeout]);
      if (first !== 'slow') return { value: first.value, deferred: false };
    } finally {
      clearTimeout(timer);
    }
  }
  await defer();
  return { value: await work, deferred: true };
}
