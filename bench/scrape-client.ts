// The scraper side of the HTTP benchmarks: servers of bench/scrape-server.ts started as processes
// of their own, scraped over loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { once } from 'node:events';

export interface Server {
  readonly port: number;
  readonly child: ChildProcess;
}

export async function startServer(library: string, series: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./scrape-server.ts', import.meta.url).pathname, library, String(series)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), child };
}

export async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

/** One scrape; resolves with its duration in ms once the whole body is read. */
export function scrape(port: number, path: string, gzip: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      // A connection per scrape: a kept-alive one may be closed by the server's idle timeout just
      // as the next scrape reuses it (ECONNRESET), most often when the server is slow.
      { host: '127.0.0.1', port, path, agent: false, headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export async function getJson<T>(port: number, path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return (await response.json()) as T;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

/** Latency at a steady 10 scrapes/s. */
export async function steadyLatency(
  port: number,
  gzip: boolean,
  scrapes: number,
): Promise<{ p50: number; p99: number }> {
  await scrape(port, '/metrics', gzip); // warm-up
  const times: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    const started = Date.now();
    times.push(await scrape(port, '/metrics', gzip));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
