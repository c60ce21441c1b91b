// Loads and checks one repository and prints what it cost: run in a child process (with a heap
// limit) by the hostile-repository tests, so memory is measured for this work alone.
import { loadRepository } from '../../../src/engine/load.ts';
import { check } from '../../../src/engine/run.ts';

const [root, graphFile] = process.argv.slice(2);
// Only as a script with a root: loaded as a module (e.g. by a test runner given the folder), do nothing.
if (root !== undefined && process.argv[1]?.endsWith('memory-child.ts')) main(root).catch((err) => { console.error(err); process.exit(1); });

async function main(root: string): Promise<void> {
  const before = process.memoryUsage().rss;
  const repo = await loadRepository({ root: root, cwd: root, env: { PATH: process.env.PATH }, ...(graphFile ? { graphFile } : {}) });
  const result = check(repo, { today: '2026-06-01' });
  const m = repo.modules[0];
  process.stdout.write(JSON.stringify({
    rssBefore: before,
    rssAfter: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    modules: repo.modules.length,
    sumEntries: m?.sum?.entries.length ?? 0,
    sumErrors: m?.sum?.errors.length ?? 0,
    graphEdges: m?.graph ? m.graph.edges.length / 2 : 0,
    loadErrors: repo.loadErrors.map((e) => e.message),
    findings: result.findings.length,
    rules: result.summary.byRule,
  }) + '\n');
}
