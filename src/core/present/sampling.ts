/** Weighted random choice, with the random source injected so tests are deterministic. */
export function weightedPick<T>(
  items: readonly T[],
  weight: (item: T, index: number) => number,
  random: () => number,
): T | undefined {
  const weights = items.map((item, index) => Math.max(0, weight(item, index)));
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!items.length || total <= 0) return items[0];
  let target = random() * total;
  for (let i = 0; i < items.length; i++) {
    target -= weights[i]!;
    if (target < 0) return items[i];
  }
  return items[items.length - 1];
}
