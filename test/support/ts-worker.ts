// Worker threads running a TypeScript file: the thread registers tsx first, since Node's Worker
// loads .ts files only through a loader (execArgv's --import does not reach it).
import { Worker } from 'node:worker_threads';

/** Starts `file` (a URL) in a worker thread, with `workerData`. */
export function startTsWorker(file: URL, workerData?: unknown): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
