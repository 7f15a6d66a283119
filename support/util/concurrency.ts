/** Maps over items with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Starts `fn` for every item with at most `limit` running at once, and returns one promise per
 * item, in order: a caller can use the first result while later ones are still being computed.
 */
export function startBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R>[] {
  const run = limiter(limit);
  return items.map((item) => run(() => fn(item)));
}

/** Runs tasks with at most `limit` of them in flight; the others wait their turn, first come first served. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limiter(limit: number): Limiter {
  if (!(limit >= 1)) throw new Error(`a limiter needs a limit of at least 1, not ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next in line, so `active` never overshoots.
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
