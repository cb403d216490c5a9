// A worker thread of a pool (test/cluster/worker-threads.test.ts): records into its own registry,
// shares it with the main thread, and obeys the test's own messages on the same port.
import { parentPort, workerData } from 'node:worker_threads';
import { Registry, render, shareMetrics } from '../../src/index.js';

const port = parentPort;
if (port === null) throw new Error('metrics-thread runs as a worker thread');
const registry = new Registry();
const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs done.', labelNames: ['kind'] });
const depth = registry.gauge({ name: 'queue_depth', help: 'Jobs waiting.', labelNames: ['queue'] });
const size = registry.histogram({ name: 'job_size', help: 'Job sizes.', buckets: [1, 10] });
const sharing = shareMetrics(registry);

type Command =
  | { cmd: 'record'; kind: string; count: number; seq: number }
  | { cmd: 'gauge'; queue: string; value: number; seq: number }
  | { cmd: 'hang'; ms: number }
  | { cmd: 'aggregate'; seq: number };

port.on('message', (message: Command & { promlite?: unknown }) => {
  // promlite's own messages pass on this port too; they carry a `promlite` key.
  if (message.promlite !== undefined) return;
  switch (message.cmd) {
    case 'record':
      for (let i = 0; i < message.count; i++) {
        jobs.inc({ kind: message.kind });
        size.observe(i % 20);
      }
      port.postMessage({ done: message.seq });
      break;
    case 'gauge':
      depth.set({ queue: message.queue }, message.value);
      port.postMessage({ done: message.seq });
      break;
    case 'hang': {
      port.postMessage({ hanging: (workerData as { id: number }).id });
      const until = Date.now() + message.ms;
      while (Date.now() < until) {
        // busy: no message is answered meanwhile
      }
      port.postMessage({ unblocked: (workerData as { id: number }).id });
      break;
    }
    case 'aggregate':
      sharing.aggregate.snapshot().then(
        (snapshot) => port.postMessage({ done: message.seq, text: render(snapshot) }),
        (error: Error) => port.postMessage({ done: message.seq, error: error.message }),
      );
      break;
  }
});
port.postMessage({ ready: (workerData as { id: number }).id });
