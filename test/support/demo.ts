// Starts examples/demo.ts (what `make run` runs) as a child process on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { eventually } from './prometheus.js';

export interface RunningDemo {
  /** The metrics URL the demo printed. */
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startDemo(env: Record<string, string>): Promise<RunningDemo> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null) child.kill(signal);
    return exited;
  };
  try {
    const url = await eventually(
      async () => /metrics at (http:\/\/\S+)/.exec(output)?.[1],
      15_000,
      () => output,
    );
    return { url, child, output: () => output, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}
