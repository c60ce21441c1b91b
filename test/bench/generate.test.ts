import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateMonorepo, ROOT_PATH } from '../../bench/generate.ts';
import { parseGoSum } from '../../src/gosum/parse.ts';
import { parseModGraph } from '../../src/graph/parse.ts';
import { selectVersions } from '../../src/graph/select.ts';
import { explainSelected } from '../../src/graph/why.ts';

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...walk(abs, base));
    else out.push(path.relative(base, abs).split(path.sep).join('/'));
  }
  return out;
}

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of walk(dir)) h.update(f).update('\0').update(readFileSync(path.join(dir, f))).update('\0');
  return h.digest('hex');
}

/** requirements reads the require lines of a generated go.mod (both blocks). */
function requirements(goMod: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let inRequire = false;
  for (const line of goMod.split('\n')) {
    if (line === 'require (') inRequire = true;
    else if (line === ')') inRequire = false;
    else if (inRequire) {
      const [p, v] = line.trim().split(/\s+/);
      out.push([p!, v!]);
    }
  }
  return out;
}

function anchorPins(lock: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const m of lock.matchAll(/^(?:anchor\s+|\t)(\S+)\s+(v\S+)/gm)) pins.set(m[1]!, m[2]!);
  return pins;
}

describe('generateMonorepo', function () {
  this.timeout(120_000);
  const tmp: string[] = [];
  const fresh = () => { const d = mkdtempSync(path.join(tmpdir(), 'modguard-gen-')); tmp.push(d); return d; };
  after(() => { for (const d of tmp) rmSync(d, { recursive: true, force: true }); });

  let a: string;
  let result: Awaited<ReturnType<typeof generateMonorepo>>;
  before(async () => {
    a = fresh();
    result = await generateMonorepo(a, { modules: 40, seed: 7, graphEdgesPerModule: 600 });
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const b = fresh();
    const again = await generateMonorepo(b, { modules: 40, seed: 7, graphEdgesPerModule: 600 });
    assert.equal(digest(a), digest(b));
    assert.deepEqual([again.files, again.bytes], [result.files, result.bytes]);
    const c = fresh();
    await generateMonorepo(c, { modules: 40, seed: 8, graphEdgesPerModule: 600 });
    assert.notEqual(digest(a), digest(c));
  });

  it('writes go.mod, go.sum and graph.txt per module, anchor.lock at the root, and counts them', () => {
    const files = walk(a);
    assert.equal(result.files, files.length);
    assert.equal(result.bytes, files.reduce((n, f) => n + statSync(path.join(a, f)).size, 0));
    assert.equal(result.moduleDirs.length, 40);
    for (const d of result.moduleDirs) {
      for (const f of ['go.mod', 'go.sum', 'graph.txt']) assert.ok(files.includes(`${d}/${f}`), `${d}/${f}`);
      assert.ok(d.split('/').length >= 2, `nested dir ${d}`);
    }
    const pins = anchorPins(readFileSync(path.join(a, 'anchor.lock'), 'utf8'));
    assert.equal(pins.size, 20);
  });

  it('writes go.sum files that parse, with h1 hashes consistent across modules (but for the planted conflict)', () => {
    const seen = new Map<string, Set<string>>();
    for (const d of result.moduleDirs) {
      const sum = parseGoSum(readFileSync(path.join(a, d, 'go.sum'), 'utf8'), `${d}/go.sum`);
      assert.deepEqual(sum.errors, []);
      assert.ok(sum.entries.length > 10);
      for (const e of sum.entries) {
        const k = `${e.path} ${e.version}${e.isGoMod ? '/go.mod' : ''}`;
        if (!seen.has(k)) seen.set(k, new Set());
        seen.get(k)!.add(e.hash);
      }
    }
    const conflicts = [...seen].filter(([, hs]) => hs.size > 1);
    assert.equal(conflicts.length, result.planted['gosum-hash-conflict']!.length);
  });

  it('writes graphs that parse and agree with go.mod: the main edges are the requirements', () => {
    let edges = 0;
    for (const d of result.moduleDirs) {
      const g = parseModGraph(readFileSync(path.join(a, d, 'graph.txt'), 'utf8'), `${d}/graph.txt`);
      assert.deepEqual(g.errors, []);
      assert.deepEqual(g.nodes[g.main!], { path: `${ROOT_PATH}/${d}`, version: '' });
      const fromMain: string[] = [];
      for (let e = 0; e < g.edges.length; e += 2) {
        const to = g.nodes[g.edges[e + 1]!]!;
        if (g.edges[e] === g.main && !to.kind) fromMain.push(`${to.path}@${to.version}`);
      }
      const req = requirements(readFileSync(path.join(a, d, 'go.mod'), 'utf8')).map(([p, v]) => `${p}@${v}`);
      assert.deepEqual(fromMain.sort(), req.sort(), d);
      edges += g.edges.length / 2;
    }
    assert.ok(edges / result.moduleDirs.length > 300, `edges per module ${edges / result.moduleDirs.length}`);
  });

  it('plants anchor drift only where it says, reachable through a named chain', () => {
    const pins = anchorPins(readFileSync(path.join(a, 'anchor.lock'), 'utf8'));
    const drifted: string[] = [];
    const mismatched = new Set(result.planted['anchor-mismatch']);
    for (const d of result.moduleDirs) {
      // A planted anchor-mismatch requires another version itself; that is anchor-mismatch's finding.
      if (mismatched.has(d)) continue;
      const g = parseModGraph(readFileSync(path.join(a, d, 'graph.txt'), 'utf8'), 'g');
      const sel = selectVersions(g);
      for (const [p, pin] of pins) {
        const v = sel.get(p);
        if (v !== undefined && v !== pin) {
          drifted.push(d);
          assert.match(explainSelected(g, p, v)!.text, /github\.com\/driftco\/telemetry@v1\.5\.0 requires /);
        }
      }
    }
    assert.ok(result.planted['anchor-drift']!.length > 0);
    assert.deepEqual(drifted.sort(), result.planted['anchor-drift']!.filter((d) => !mismatched.has(d)).sort());
  });

  it('links siblings by replace directives pointing at their directories', () => {
    let replaces = 0;
    for (const d of result.moduleDirs) {
      const text = readFileSync(path.join(a, d, 'go.mod'), 'utf8');
      for (const m of text.matchAll(/^\t(\S+) => (\.\.?\/\S+)$/gm)) {
        replaces++;
        const target = path.posix.normalize(path.posix.join(d, m[2]!));
        assert.equal(m[1], `${ROOT_PATH}/${target}`);
        assert.ok(existsSync(path.join(a, target, 'go.mod')), target);
      }
    }
    assert.ok(replaces > 0);
  });

  it('writes go.mod files that the go.mod parser accepts', async function () {
    const parser = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/gomod/index.ts');
    if (!existsSync(parser)) this.skip();
    const { parseModFile } = await import(pathToFileURL(parser).href) as { parseModFile(text: string, file: string): { ok: boolean; errors: unknown[] } };
    for (const d of result.moduleDirs) {
      const r = parseModFile(readFileSync(path.join(a, d, 'go.mod'), 'utf8'), `${d}/go.mod`);
      assert.deepEqual(r.errors, [], d);
    }
  });

  it('gives the full check the planted findings, anchor drift through the graph included', async () => {
    const { loadRepository } = await import('../../src/engine/load.ts');
    const { check } = await import('../../src/engine/run.ts');
    const repo = await loadRepository({ root: a, cwd: a, env: { PATH: process.env.PATH ?? '' }, graphFile: 'graph.txt' });
    const checked = check(repo);
    const byRule = (id: string) => [...new Set(checked.findings.filter((f) => f.rule === id).map((f) => f.file))].sort();
    const goMods = (dirs: string[]) => dirs.map((d) => `${d}/go.mod`).sort();
    const mismatched = new Set(result.planted['anchor-mismatch']);
    assert.deepEqual(byRule('anchor-drift'), goMods(result.planted['anchor-drift']!.filter((d) => !mismatched.has(d))));
    assert.ok(checked.findings.filter((f) => f.rule === 'anchor-drift').every((f) => /driftco\/telemetry@v1\.5\.0 requires/.test(f.message)));
    assert.deepEqual(byRule('anchor-mismatch'), goMods(result.planted['anchor-mismatch']!));
    assert.deepEqual(byRule('banned-module'), goMods(result.planted['banned-module']!));
    assert.deepEqual(byRule('replace-directive'), goMods(result.planted['replace-directive']!));
    assert.deepEqual(byRule('parse-error'), []);
    for (const f of result.planted['gosum-hash-conflict']!) assert.ok(byRule('gosum-hash-conflict').includes(f), f);
  });

  it('can make the result a git repository', async () => {
    const g = fresh();
    await generateMonorepo(g, { modules: 5, seed: 3, git: true, graphEdgesPerModule: 50 });
    assert.ok(existsSync(path.join(g, '.git')));
  });
});
