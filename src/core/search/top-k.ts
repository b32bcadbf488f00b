/** Bounded top-k selection over score arrays (search results, related papers, candidates for re-ranking). */

/**
 * Indices of the k largest keys among the first `count`, largest first; ties keep index order (as Lunr's
 * stable sort keeps its match order). A bounded heap, so 40,000 matches cost no full sort when 10 are shown.
 */
export function topK(
  keys: ArrayLike<number>,
  count: number,
  k: number,
  eligible?: (i: number) => boolean,
): Uint32Array {
  const better = (a: number, b: number) => keys[a]! > keys[b]! || (keys[a] === keys[b] && a < b);
  if (k >= count) {
    const all: number[] = [];
    for (let i = 0; i < count; i++) if (!eligible || eligible(i)) all.push(i);
    all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return Uint32Array.from(all);
  }
  const heap = new Uint32Array(Math.max(k, 1));
  let size = 0;
  // Min-heap by "better": the root is the worst kept.
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < size && better(heap[worst]!, heap[l]!)) worst = l;
      if (r < size && better(heap[worst]!, heap[r]!)) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let i = 0; i < count; i++) {
    if (eligible && !eligible(i)) continue;
    if (size < k) {
      heap[size] = i;
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent]!, heap[at]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (k > 0 && better(i, heap[0]!)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  return Uint32Array.from(out);
}
