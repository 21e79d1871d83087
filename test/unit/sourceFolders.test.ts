// Each folder under src/ is one concern (docs/architecture.md): folders may depend on each other only one way, so a
// newcomer can read them bottom-up and a folder can be changed without its dependents' dependents coming back to it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The src/ folder a file is in; undefined for a file directly in src/ (extension.ts wires every folder together). */
function folderOf(file: string): string | undefined {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** For each folder, the folders its files import (type-only imports too: they couple the folders alike), and through which file. */
function folderImports(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (from === undefined) continue;
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(path.resolve(path.dirname(file), fileName));
      if (to === undefined || to === from || path.relative(SRC, path.resolve(path.dirname(file), fileName)).startsWith('..')) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, path.relative(SRC, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** A path of folders that leads back to its first, or undefined. */
function findCycle(graph: Map<string, Map<string, string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (folder: string, trail: string[]): string[] | undefined => {
    const start = trail.indexOf(folder);
    if (start >= 0) return [...trail.slice(start), folder];
    if (done.has(folder)) return undefined;
    for (const next of graph.get(folder)?.keys() ?? []) {
      const cycle = visit(next, [...trail, folder]);
      if (cycle) return cycle;
    }
    done.add(folder);
    return undefined;
  };
  for (const folder of graph.keys()) {
    const cycle = visit(folder, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('source folders', () => {
  it('import each other without a cycle', () => {
    const graph = folderImports();
    assert.ok(graph.size > 10, 'the folders under src/ and their imports were found');
    const cycle = findCycle(graph);
    const through = cycle?.slice(1).map((to, i) => `${cycle[i]} -> ${to} (${graph.get(cycle[i])?.get(to)})`);
    assert.equal(cycle, undefined, `folders import each other in a cycle: ${through?.join(', ')}`);
  });
});
