import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestHub, TestHub } from './support/hub';

jest.setTimeout(60_000);

const PAGE = resolve(__dirname, '../docs/metadata.md');
const HEADING = '## Every table and column';

/**
 * The inventory at the end of docs/metadata.md: one row per table, `| \`table\` | \`col\`, … | why |
 * deleted when |`. Answers each table's columns as the page lists them.
 */
function inventory(): Map<string, Set<string>> {
  const page = readFileSync(PAGE, 'utf8');
  const start = page.indexOf(HEADING);
  if (start < 0) throw new Error(`docs/metadata.md has no "${HEADING}" section`);
  const section = page.slice(start + HEADING.length).split(/\n## /)[0];
  const tables = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // ['', table, columns, why, until, '']
    if (cells.length < 6 || !/^`[a-z_0-9]+`$/.test(cells[1])) continue;
    const table = cells[1].slice(1, -1);
    if (tables.has(table)) throw new Error(`docs/metadata.md lists ${table} twice`);
    const columns = [...cells[2].matchAll(/`([a-z_0-9]+)`/g)].map((m) => m[1]);
    if (columns.length === 0) throw new Error(`docs/metadata.md names no column of ${table}`);
    if (!cells[3] || !cells[4]) throw new Error(`docs/metadata.md says not why or until when for ${table}`);
    tables.set(table, new Set(columns));
  }
  return tables;
}

describe('the metadata inventory (docs/metadata.md) against the migrated schema', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists every column of every table the migrations create, and nothing that is gone', async () => {
    const rows = await t.db.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'migrations'
        ORDER BY table_name, ordinal_position`,
    );
    const schema = new Map<string, Set<string>>();
    for (const r of rows) {
      const cols = schema.get(r.table_name) ?? new Set<string>();
      cols.add(r.column_name);
      schema.set(r.table_name, cols);
    }
    const listed = inventory();
    const unlisted: string[] = [];
    const stale: string[] = [];
    for (const [table, cols] of schema) {
      for (const c of cols) if (!listed.get(table)?.has(c)) unlisted.push(`${table}.${c}`);
    }
    for (const [table, cols] of listed) {
      for (const c of cols) if (!schema.get(table)?.has(c)) stale.push(`${table}.${c}`);
    }
    // A new column is documented (what, why, until when) in the same change that adds it.
    expect({ unlisted, stale }).toEqual({ unlisted: [], stale: [] });
  });
});
