import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** mulberry32: a tiny seeded generator, so every run measures the same instances. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median and percentiles of a list of milliseconds. */
export function stats(values: number[]): {
  n: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
} {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p90: at(0.9), p99: at(0.99), min: s[0], max: s[s.length - 1] };
}

export function fmt(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** Prints the report and writes it to bench/reports/<name>.md (not committed). */
export function writeReport(name: string, lines: string[]): void {
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  const dir = join(__dirname, 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.md`), text);
  process.stdout.write(`\n(report written to bench/reports/${name}.md)\n`);
}

const PG_SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for a benchmark, or null when no server answers. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const run = async (sql: string): Promise<void> => {
    const c = new Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 2000 });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const name = `hearth_bench_${Date.now()}`;
  try {
    await run(`CREATE DATABASE ${name}`);
  } catch {
    return null;
  }
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
