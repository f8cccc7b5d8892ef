// What every benchmark needs: a fresh database of its own, a child process speaking one JSON line then
// IPC, an RSS sampler, percentiles, and the shape of a result the summary table prints.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Pool } from 'pg';
import { migrate } from '../src/db/migrate';
export { fmt, runAsMain, shownValue, type BenchResult, type Figure } from './result';

export const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The repository root, from dist-bench/bench/ (compiled) or bench/ (ts-node style). */
export const ROOT = path.resolve(__dirname, __dirname.includes('dist-bench') ? '../..' : '..');
const MIGRATIONS = path.join(ROOT, 'migrations');

/**
 * src/db/migrate.ts finds migrations at <compiled src>/../../migrations, which is dist-bench/migrations
 * when src is compiled with the benchmarks: point that at the real folder (startService migrates itself).
 */
export function exposeMigrations(): void {
  const compiledRoot = path.resolve(__dirname, '..');
  if (!compiledRoot.endsWith('dist-bench')) return;
  const link = path.join(compiledRoot, 'migrations');
  if (!existsSync(link)) symlinkSync(MIGRATIONS, link, 'dir');
}

export interface BenchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database created from scratch and migrated; drop() removes it. */
export async function createBenchDb(label: string): Promise<BenchDb> {
  const name = `lms_sync_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(pool, MIGRATIONS);
  } finally {
    await pool.end();
  }
  return {
    name,
    url: url.toString(),
    async drop() {
      const a = new Client({ connectionString: ADMIN_URL });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export interface Child<Ready> {
  ready: Ready;
  /** Sends one request over IPC and resolves with the child's answer. */
  ask<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks a compiled bench file (dist-bench/bench/<file>.js) that prints one JSON line on stdout when
 * ready, then answers `{id, command}` IPC messages with `{id, result}`. stop() ends that child only.
 */
export async function startChild<Ready>(
  file: string,
  args: string[],
  timeoutMs = 180_000,
): Promise<Child<Ready>> {
  // BENCH_CPU_PROF=<dir> profiles the children too (written when they exit).
  const prof = process.env.BENCH_CPU_PROF;
  const child: ChildProcess = fork(path.join(__dirname, file), args, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    execArgv: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not ready within ${timeoutMs} ms`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as Ready);
      } catch (err) {
        reject(err as Error);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before it was ready`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGTERM');
    await exited;
    throw err;
  });
  let next = 1;
  const pending = new Map<number, (v: unknown) => void>();
  child.on('message', (m: { id: number; result: unknown }) => {
    pending.get(m.id)?.(m.result);
    pending.delete(m.id);
  });
  return {
    ready,
    ask<T>(command: string, extra: Record<string, unknown> = {}) {
      const id = next++;
      return new Promise<T>((resolve) => {
        pending.set(id, resolve as (v: unknown) => void);
        child.send({ id, command, ...extra });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The child side of startChild: answers IPC requests with `handlers[command](message)`. */
export function serveIpc(handlers: Record<string, (m: Record<string, unknown>) => unknown>): void {
  process.on('message', (m: { id: number; command: string } & Record<string, unknown>) => {
    void Promise.resolve()
      .then(() => handlers[m.command]?.(m) ?? null)
      .then((result) => process.send?.({ id: m.id, result }));
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

export interface RssSampler {
  stop(): { peakSampled: number; maxRss: number };
}

/** Samples RSS every `everyMs` and reads the kernel's high-water mark (maxRSS) at the end. */
export function sampleRss(everyMs = 50): RssSampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { peakSampled: peak, maxRss: process.resourceUsage().maxRSS * 1024 };
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function machineLine(): string {
  const [l1, l5] = loadavg();
  return `load average ${l1!.toFixed(2)} (1 min), ${l5!.toFixed(2)} (5 min) on ${availableParallelism()} cpus`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` is truthy or the deadline passes (returns the last value either way). */
export async function waitUntil<T>(check: () => Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v || Date.now() > deadline) return v;
    await sleep(everyMs);
  }
}
