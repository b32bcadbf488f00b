#!/usr/bin/env node
// The `paperboy` command (npx paperboy ...): the TypeScript CLI through tsx in a development checkout; where tsx is
// not installed (a production install: npm ci --omit=dev), the compiled build from `npm run build`.
let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  tsx = undefined;
}
if (tsx) {
  tsx.register();
  await import('../src/cli/run.ts');
} else {
  await import('../dist/src/cli/run.js');
}
