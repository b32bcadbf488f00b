/** Papers for trend charts: dated month by month, so each month's count is known. */
import type { PaperInput } from '../../src/core/papers/paper.ts';
import { monthRange } from '../../src/core/trends/trends.ts';

/** `lora` in every paper, one a month in 2025 and three a month in the first half of 2026; `qlora` in 2026 only. */
export function trendPapers(): PaperInput[] {
  const months = monthRange('2025-01', '2026-06');
  return months.flatMap((month, m) =>
    Array.from({ length: month >= '2026' ? 3 : 1 }, (_, i) => ({
      arxivId: `${month.slice(2, 4)}${month.slice(5)}.${String(10000 + 10 * m + i)}`,
      title: `${month >= '2026' && i === 0 ? 'QLoRA and ' : ''}LoRA adapters, study ${m}-${i}`,
      abstract: `We study low-rank adapters (lora) in month ${month}.`,
      authors: ['Ada Lovelace'],
      published: `${month}-1${i}`,
      categories: ['cs.LG'],
    })),
  );
}
