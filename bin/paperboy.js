#!/usr/bin/env node
// The `paperboy` command (npx paperboy ...): load the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
