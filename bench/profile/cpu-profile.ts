/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): where the samples fall, by function (self time), by source file
 * or npm package (self time), and by function including what it calls (inclusive time, each function counted once
 * per sample however deep it recurses).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Function → self milliseconds, largest first. */
  self: [string, number][];
  /** Source file (project-relative) or `npm:package` → self milliseconds. */
  files: [string, number][];
  /** Function → milliseconds on the stack. */
  inclusive: [string, number][];
}

/** `…/node_modules/@scope/pkg/lib/x.js` → `npm:@scope/pkg`; a project file → its path from the project root. */
function fileOf(url: string, root: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return `npm:${modules[1]}`;
  const local = url.replace(/^file:\/\//, '');
  return local.startsWith(root) ? local.slice(root.length + 1) : local || '(native)';
}

export function summarizeProfile(file: string, root: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url } = node.callFrame;
    const where = fileOf(url, root);
    return `${functionName || '(anonymous)'}${url ? ` ${where}` : ''}`;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us / 1000);
  for (const [id, us] of selfUs) {
    total += us;
    const node = byId.get(id)!;
    add(self, label(node), us);
    add(files, node.callFrame.url ? fileOf(node.callFrame.url, root) : node.callFrame.functionName, us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, us);
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalMs: total / 1000, self: sorted(self), files: sorted(files), inclusive: sorted(inclusive) };
}

/** Rows worth reading: the project's own code, packages and V8's garbage collector; not Node's internals. */
export function interesting(label: string): boolean {
  return !/ node:|\(root\)|\(program\)|\(idle\)/.test(label) && !label.startsWith('node:');
}
