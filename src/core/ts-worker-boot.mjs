// Worker threads don't inherit tsx's loader (Node 20), so this plain-JS entry registers it, then loads the TS worker.

import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
