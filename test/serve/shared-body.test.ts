import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { SharedBody } from '../../src/serve/shared-body.js';
import { TurnQueue } from '../../src/serve/turn-queue.js';

/** A source of `count` chunks of `size` bytes that records how far it was pulled and whether it was stopped. */
function source(count: number, size = 10, failAt = -1) {
  const state = { pulled: 0, stopped: false };
  async function* generate(): AsyncGenerator<Buffer, void, undefined> {
    try {
      for (let i = 0; i < count; i++) {
        if (i === failAt) throw new Error('render failed');
        state.pulled++;
        yield Buffer.alloc(size, 65 + (i % 26));
      }
    } finally {
      state.stopped = state.pulled < count;
    }
  }
  return { generator: generate(), state };
}

async function readAll(body: SharedBody, reader = body.join()): Promise<string> {
  let text = '';
  for (let chunk = await body.read(reader); chunk !== undefined; chunk = await body.read(reader))
    text += chunk.toString();
  return text;
}

describe('SharedBody', () => {
  it('gives every reader the whole body, pulling each chunk from the source once', async () => {
    const { generator, state } = source(5);
    const body = new SharedBody(generator, 0, 60_000);
    const [a, b] = await Promise.all([readAll(body), readAll(body)]);
    expect(a).toBe('A'.repeat(10) + 'B'.repeat(10) + 'C'.repeat(10) + 'D'.repeat(10) + 'E'.repeat(10));
    expect(b).toBe(a);
    expect(state.pulled).toBe(5);
  });

  it('lets a slow reader lag without holding back a fast one, and keeps only what the slow one still needs', async () => {
    const { generator } = source(4);
    const body = new SharedBody(generator, 0, 60_000);
    const fast = body.join();
    const slow = body.join();
    expect((await body.read(slow))?.toString()).toBe('A'.repeat(10));
    expect(await readAll(body, fast)).toHaveLength(40);
    // The slow reader still gets the rest, in order.
    expect(await readAll(body, slow)).toBe('B'.repeat(10) + 'C'.repeat(10) + 'D'.repeat(10));
  });

  it('can be joined until the join window is passed, not after', async () => {
    const { generator } = source(10, 10);
    const body = new SharedBody(generator, 25, 60_000);
    const first = body.join();
    await body.read(first);
    await body.read(first);
    expect(body.joinable).toBe(true); // 20 bytes produced, all kept
    await body.read(first);
    expect(body.joinable).toBe(false); // 30 bytes: the first chunk is let go
  });

  it('cannot be joined after its time window, however little was produced', async () => {
    const { generator } = source(10, 10);
    const body = new SharedBody(generator, 1000, 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(body.joinable).toBe(false);
  });

  it('stops the source when the last reader leaves early', async () => {
    const { generator, state } = source(100);
    const body = new SharedBody(generator, 0, 60_000);
    const reader = body.join();
    await body.read(reader);
    body.leave(reader);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.stopped).toBe(true);
    expect(body.joinable).toBe(false);
  });

  it('hands a source failure to every reader that reaches it', async () => {
    const { generator } = source(5, 10, 2);
    const body = new SharedBody(generator, 0, 60_000);
    const results = await Promise.allSettled([readAll(body), readAll(body)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('TurnQueue', () => {
  it('resumes one waiter per event-loop iteration, in order', async () => {
    const turns = new TurnQueue();
    const order: string[] = [];
    // A check-phase marker: each setImmediate chain step is one iteration.
    let iteration = 0;
    const tick = () => {
      iteration++;
      if (iteration < 10) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        await turns.next();
        order.push(`${name}@${iteration}`);
      }),
    );
    expect(order.map((entry) => entry[0])).toEqual(['a', 'b', 'c']);
    const iterations = order.map((entry) => Number(entry.slice(2)));
    expect(new Set(iterations).size).toBe(3);
  });
});
