/**
 * Fails on any import cycle inside the given source folders, type-only imports included: two
 * modules that import each other cannot change apart, whatever kind of name they share.
 * (eslint-plugin-import-x's no-cycle skips `import type`, which is how most of our cycles began.)
 *
 * Usage: tsx scripts/import-cycles.ts <tsconfig> <folder>... [-- <tsconfig> <folder>...]
 * Imports are read and resolved by the project's own TypeScript with each tsconfig's options
 * (paths such as `@hearth/client` included); only files inside the named folders are followed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Graph {
  /** file → the files it imports (inside the checked folders only). */
  edges: Map<string, string[]>;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.(spec|e2e-spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The import graph of `folders`, resolved with the compiler options of `tsconfigPath`. */
export function importGraph(tsconfigPath: string, folders: string[]): Graph {
  const config = ts.readConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(resolve(tsconfigPath)));
  const roots = folders.map((f) => resolve(f));
  const inside = (file: string): boolean => roots.some((r) => file.startsWith(r + '/'));
  const edges = new Map<string, string[]>();
  for (const root of roots) {
    for (const file of sourceFiles(root)) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = new Set<string>();
      for (const ref of info.importedFiles) {
        const resolved = ts.resolveModuleName(ref.fileName, file, options, ts.sys).resolvedModule;
        if (resolved && !resolved.isExternalLibraryImport && inside(resolved.resolvedFileName)) {
          targets.add(resolve(resolved.resolvedFileName));
        }
      }
      edges.set(file, [...targets]);
    }
  }
  return { edges };
}

/** Every strongly connected component of more than one file (or a file importing itself). */
export function cycles(graph: Graph): string[][] {
  // Tarjan's algorithm, iterative so that a deep tree cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  for (const start of graph.edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = graph.edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && targets.includes(frame.node);
        if (component.length > 1 || selfLoop) found.push(component.sort());
      }
    }
  }
  return found;
}

function main(args: string[]): number {
  const groups: string[][] = [[]];
  for (const a of args) {
    if (a === '--') groups.push([]);
    else groups[groups.length - 1].push(a);
  }
  let failed = 0;
  for (const [tsconfig, ...folders] of groups.filter((g) => g.length > 0)) {
    if (folders.length === 0) throw new Error(`no folder given after ${tsconfig}`);
    for (const component of cycles(importGraph(tsconfig, folders))) {
      failed++;
      console.error(
        `import cycle (${component.length} files):\n  ${component.map((f) => relative('.', f)).join('\n  ')}`,
      );
    }
  }
  if (failed > 0)
    console.error(`${failed} import cycle(s): break each by moving what both sides need to a third module.`);
  else console.log('no import cycles');
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
