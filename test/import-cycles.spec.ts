import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycles, importGraph } from '../scripts/import-cycles';

/** A throwaway project: a tsconfig with a path alias and the given files. */
function project(files: Record<string, string>): { dir: string; tsconfig: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-cycles-'));
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: { moduleResolution: 'bundler', module: 'esnext', paths: { '@lib': ['./lib'] } },
    }),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, tsconfig };
}

describe('the import-cycle check', () => {
  it('finds a cycle made of type-only imports, through a path alias, and names every file in it', () => {
    const p = project({
      'src/a.ts': "import type { B } from './b';\nexport type A = B;",
      'src/b.tsx': "import { c } from '@lib';\nexport type B = string; export const b = c;",
      'lib/index.ts': "import type { A } from '../src/a';\nexport const c = 1; export type X = A;",
      'src/free.ts': "import { b } from './b';\nexport const f = b;",
    });
    try {
      const found = cycles(importGraph(p.tsconfig, [join(p.dir, 'src'), join(p.dir, 'lib')]));
      expect(found).toEqual([[join(p.dir, 'lib/index.ts'), join(p.dir, 'src/a.ts'), join(p.dir, 'src/b.tsx')]]);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  it('finds none in a tree without one, and ignores files outside the checked folders', () => {
    const p = project({
      'src/a.ts': "import { b } from './b';\nimport { o } from '../other/o';\nexport const a = b + o;",
      'src/b.ts': 'export const b = 1;',
      'other/o.ts': "import { a } from '../src/a';\nexport const o = 2; export const x = a;",
    });
    try {
      expect(cycles(importGraph(p.tsconfig, [join(p.dir, 'src')]))).toEqual([]);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });
});
