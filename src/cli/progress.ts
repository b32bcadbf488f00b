/** A one-line progress indicator for long imports, only on a TTY (logs and pipes stay clean). */
import type { Writable } from 'node:stream';

export function progressReporter(
  stream: Writable & { isTTY?: boolean },
): ((processed: number, file: string) => void) & { done(): void } {
  let last = 0;
  const report = (processed: number, file: string) => {
    if (!stream.isTTY) return;
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    stream.write(`\r${file}: ${processed.toLocaleString('en')} papers…`);
  };
  return Object.assign(report, {
    done() {
      if (stream.isTTY && last) stream.write('\r\x1b[K');
    },
  });
}
