/**
 * A heap snapshot (v8.getHeapSnapshot) summed by kind of object: self size by constructor name for objects,
 * one row each for strings, arrays, compiled code and the rest, so "what holds the heap" reads as a short table.
 */
import type { Readable } from 'node:stream';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapRow {
  kind: string;
  count: number;
  MB: number;
}

export async function heapSummary(stream: Readable, top = 15): Promise<HeapRow[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const rows = new Map<string, { count: number; bytes: number }>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    const name = strings[nodes[i + nameAt]!]!;
    const kind =
      type === 'object' || type === 'native'
        ? name
        : type === 'string' || type === 'concatenated string' || type === 'sliced string'
          ? '(strings)'
          : `(${type})`;
    const row = rows.get(kind) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += nodes[i + sizeAt]!;
    rows.set(kind, row);
  }
  return [...rows]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, top)
    .map(([kind, { count, bytes }]) => ({ kind, count, MB: bytes / (1024 * 1024) }));
}
