// A deterministic generator of Go monorepos for benchmarks and scale tests: nested module
// directories, a shared pool of third-party modules (several versions, pseudo-versions, /vN majors,
// +incompatible), sibling requirements with `replace ../sibling` directives, go.sum files with
// real-looking hashes, a `go mod graph` output per module consistent with its go.mod, an anchor.lock
// pinning about twenty dependencies, and a few deliberate findings of each kind.
//
//   node --import tsx bench/generate.ts OUT_DIR [modules]
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { compareVersions as compareGoSemver } from '../src/version/index.ts';
import { mulberry32 } from '../src/util/prng.ts';

export interface GenerateOptions {
  modules: number;
  seed?: number;
  /** Direct requirements of third-party modules per go.mod (default 25). */
  requiresPerModule?: number;
  /** Upper bound of `go mod graph` edges per module (default 1,500). */
  graphEdgesPerModule?: number;
  /** Write go.sum files (default true). */
  withSums?: boolean;
  /** Write a graph.txt (`go mod graph` output) beside each go.mod (default true). */
  withGraphs?: boolean;
  /** Make the directory a git repository with one commit (default false). */
  git?: boolean;
}

export interface GenerateResult {
  dir: string;
  files: number;
  bytes: number;
  /** Module directories, relative and POSIX, in generation order. */
  moduleDirs: string[];
  /** The deliberate findings, by rule id: module dirs (or files) that carry one. */
  planted: Record<string, string[]>;
}

/** ROOT_PATH is the module path prefix of every generated module. */
export const ROOT_PATH = 'corp.example.com/mono';
const SIBLING_VERSION = 'v0.0.0-00010101000000-000000000000';
const GO_VERSION = '1.22';


class Rng {
  private next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  float(): number { return this.next(); }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
  hex(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)]; return s; }
  /** sample picks k distinct items, in the order of the input. */
  sample<T>(xs: readonly T[], k: number): T[] {
    if (k >= xs.length) return [...xs];
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(this.int(xs.length));
    return [...chosen].sort((a, b) => a - b).map((i) => xs[i]!);
  }
}

const ORGS = ['acme', 'cloudkit', 'hashstack', 'gridline', 'northwind', 'packetry', 'quasar', 'redwood', 'stellar', 'tidal', 'umbra', 'vertex', 'zephyr', 'lumen', 'orbit'];
const REPOS = ['log', 'zapper', 'retry', 'cache', 'pool', 'uuid', 'yaml', 'toml', 'jsonx', 'grpcx', 'mux', 'router', 'cli', 'config', 'metrics',
  'trace', 'errors', 'sqlx', 'pgconn', 'redis', 'kafka', 'nats', 'backoff', 'semaphore', 'ratelimit', 'jwt', 'oauth', 'crypto', 'compress', 'snappy',
  'proto', 'validator', 'mapstructure', 'cobra', 'pflag', 'color', 'tablewriter', 'testify', 'mock', 'diff', 'afero', 'fsnotify', 'websocket', 'http2', 'xxhash'];
const AREAS = ['platform', 'payments', 'search', 'identity', 'ads', 'storage', 'messaging', 'billing', 'growth', 'infra', 'ml', 'mobile'];
const NAMES = ['api', 'worker', 'gateway', 'indexer', 'scheduler', 'ingest', 'export', 'auth', 'ledger', 'notifier', 'router', 'cache', 'admin', 'sync', 'audit'];
const LIB_KINDS = ['log', 'db', 'http', 'grpc', 'config', 'metrics', 'trace', 'queue', 'storage', 'testutil', 'featureflag', 'authz'];

interface ExtModule {
  path: string;
  versions: string[];
  rank: number;
}

interface ExtVersion {
  key: string;
  path: string;
  version: string;
  requires: Array<[string, string]>;
  go: string;
}

interface Pool {
  modules: ExtModule[];
  byPath: Map<string, ExtModule>;
  versions: Map<string, ExtVersion>;
  anchors: Array<[string, string]>;
  /** The module whose one version requires an anchored dependency above its pin. */
  drift: { path: string; version: string; anchored: string; above: string };
  banned: string;
}

function semverFor(rng: Rng, major: number, count: number): string[] {
  const out = new Set<string>();
  let minor = rng.range(0, 12);
  let patch = rng.range(0, 5);
  while (out.size < count) {
    out.add(`v${major}.${minor}.${patch}`);
    if (rng.chance(0.5)) { minor += rng.range(1, 3); patch = 0; } else patch += rng.range(1, 3);
  }
  return [...out];
}

function pseudoVersion(rng: Rng, base: string): string {
  const y = rng.range(2021, 2025);
  const stamp = `${y}${String(rng.range(1, 12)).padStart(2, '0')}${String(rng.range(1, 28)).padStart(2, '0')}` +
    `${String(rng.range(0, 23)).padStart(2, '0')}${String(rng.range(0, 59)).padStart(2, '0')}${String(rng.range(0, 59)).padStart(2, '0')}`;
  return `${base}-${stamp}-${rng.hex(12)}`;
}

function buildPool(rng: Rng): Pool {
  const modules: ExtModule[] = [];
  const seen = new Set<string>();
  const add = (p: string, versions: string[]) => {
    if (seen.has(p)) return;
    seen.add(p);
    modules.push({ path: p, versions: [...new Set(versions)].sort(compareGoSemver), rank: modules.length });
  };
  for (const x of ['sys', 'net', 'text', 'sync', 'crypto', 'mod', 'tools', 'oauth2', 'time', 'exp']) {
    add(`golang.org/x/${x}`, x === 'exp' ? [pseudoVersion(rng, 'v0.0.0'), pseudoVersion(rng, 'v0.0.0')] : semverFor(rng, 0, rng.range(2, 4)));
  }
  add('google.golang.org/protobuf', semverFor(rng, 1, 3));
  add('google.golang.org/grpc', semverFor(rng, 1, 4));
  add('gopkg.in/yaml.v3', ['v3.0.0', 'v3.0.1']);
  add('gopkg.in/yaml.v2', ['v2.4.0']);
  add('github.com/docker/docker', ['v24.0.7+incompatible', 'v25.0.3+incompatible']);
  add('go.uber.org/zap', semverFor(rng, 1, 3));
  add('go.uber.org/multierr', semverFor(rng, 1, 2));
  while (modules.length < 160) {
    const org = rng.pick(ORGS);
    const repo = rng.pick(REPOS);
    const kind = rng.float();
    if (kind < 0.12) {
      const major = rng.range(2, 5);
      add(`github.com/${org}/${repo}/v${major}`, semverFor(rng, major, rng.range(1, 4)));
    } else if (kind < 0.22) {
      // Never-tagged repositories: pseudo-versions only.
      const n = rng.range(1, 3);
      add(`github.com/${org}/${repo}`, Array.from({ length: n }, () => pseudoVersion(rng, 'v0.0.0')));
    } else {
      add(`github.com/${org}/${repo}`, semverFor(rng, rng.chance(0.35) ? 0 : 1, rng.range(1, 4)));
    }
  }
  const byPath = new Map(modules.map((m) => [m.path, m]));

  // Anchors: about twenty paths with more than one version, pinned below their highest version where
  // possible so that something can drift above the pin.
  const candidates = modules.filter((m) => m.versions.length >= 2 && !m.versions[0]!.includes('-'));
  const anchored = rng.sample(candidates, 20);
  const anchors: Array<[string, string]> = anchored.map((m) => [m.path, m.versions[m.versions.length - 2]!]);
  const pins = new Map(anchors);

  const versions = new Map<string, ExtVersion>();
  for (const m of modules) {
    for (const v of m.versions) {
      const lower = modules.slice(0, m.rank);
      const requires: Array<[string, string]> = [];
      if (lower.length > 0) {
        for (const dep of rng.sample(lower, Math.min(lower.length, rng.range(2, 9)))) {
          const pin = pins.get(dep.path);
          // Third-party modules stay at or below the pins, so that drift is only where it is planted.
          const allowed = pin ? dep.versions.filter((x) => compareGoSemver(x, pin) <= 0) : dep.versions;
          requires.push([dep.path, rng.pick(allowed)]);
        }
      }
      versions.set(`${m.path}@${v}`, { key: `${m.path}@${v}`, path: m.path, version: v, requires, go: `1.${rng.range(16, 22)}` });
    }
  }

  // The planted drift: a metrics library whose v1.5.0 requires an anchored module above its pin.
  const [driftTarget] = anchors[0]!;
  const above = byPath.get(driftTarget)!.versions.at(-1)!;
  const driftPath = 'github.com/driftco/telemetry';
  modules.push({ path: driftPath, versions: ['v1.5.0'], rank: modules.length });
  byPath.set(driftPath, modules.at(-1)!);
  versions.set(`${driftPath}@v1.5.0`, { key: `${driftPath}@v1.5.0`, path: driftPath, version: 'v1.5.0', requires: [[driftTarget, above]], go: '1.21' });

  const banned = 'github.com/evilcorp/leftpad';
  modules.push({ path: banned, versions: ['v1.0.0'], rank: modules.length });
  byPath.set(banned, modules.at(-1)!);
  versions.set(`${banned}@v1.0.0`, { key: `${banned}@v1.0.0`, path: banned, version: 'v1.0.0', requires: [], go: '1.20' });

  return { modules, byPath, versions, anchors, drift: { path: driftPath, version: 'v1.5.0', anchored: driftTarget, above }, banned };
}

/** h1 returns a deterministic, well-formed `h1:` hash for a go.sum entry. */
function h1(seed: number, key: string): string {
  return 'h1:' + createHash('sha256').update(`${seed}\0${key}`).digest('base64');
}

interface ModulePlan {
  dir: string;
  path: string;
  go: string;
  toolchain?: string;
  direct: Array<[string, string]>;
  indirect: Array<[string, string]>;
  siblings: number[];
  replaces: Array<[string, string, string, string]>;
}

function moduleDirs(rng: Rng, n: number): string[] {
  const dirs: string[] = [];
  const used = new Set<string>();
  let i = 0;
  while (dirs.length < n) {
    const r = rng.float();
    let d: string;
    if (r < 0.3) d = `libs/${rng.pick(AREAS)}/${rng.pick(LIB_KINDS)}`;
    else if (r < 0.92) d = `services/${rng.pick(AREAS)}/${rng.pick(NAMES)}`;
    else d = `tools/${rng.pick(LIB_KINDS)}`;
    if (used.has(d)) d = `${d}${++i}`;
    if (used.has(d)) continue;
    used.add(d);
    dirs.push(d);
  }
  // Libraries first: services depend on libraries, never the other way round.
  return dirs.sort((a, b) => (a.startsWith('libs/') === b.startsWith('libs/') ? 0 : a.startsWith('libs/') ? -1 : 1));
}

function relDir(from: string, to: string): string {
  const r = path.posix.relative(from, to);
  return r.startsWith('.') ? r : `./${r}`;
}

/**
 * generateMonorepo writes a monorepo of `opts.modules` Go modules into `dir` (created; existing
 * files of the same names are overwritten) and returns what it wrote. The same options always give
 * the same bytes.
 */
export async function generateMonorepo(dir: string, opts: GenerateOptions): Promise<GenerateResult> {
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  const requiresPerModule = opts.requiresPerModule ?? 25;
  const edgeCap = opts.graphEdgesPerModule ?? 1500;
  const withSums = opts.withSums ?? true;
  const withGraphs = opts.withGraphs ?? true;
  const pool = buildPool(rng);
  const pins = new Map(pool.anchors);
  const dirs = moduleDirs(rng, opts.modules);
  const planted: Record<string, string[]> = {
    'anchor-drift': [], 'anchor-mismatch': [], 'banned-module': [], 'replace-directive': [],
    'pseudo-version-conflict': [], 'go-version-drift': [], 'gosum-hash-conflict': [],
  };
  const pick = (k: number) => rng.sample(dirs.map((_, i) => i), Math.min(k, dirs.length));
  const plantDrift = new Set(pick(3));
  const plantMismatch = new Set(pick(2));
  const plantBan = new Set(pick(1));
  const plantReplace = new Set(pick(1));
  const plantGo = new Set(pick(2));
  const plantHash = new Set(pick(1));
  const pseudoPath = pool.modules.find((m) => m.versions.length >= 2 && m.versions.every((v) => v.includes('-')) && !pins.has(m.path));
  const plantPseudo = pseudoPath ? pick(2) : [];

  const regular = pool.modules.filter((m) => m.path !== pool.drift.path && m.path !== pool.banned);
  const plans: ModulePlan[] = [];
  let files = 0;
  let bytes = 0;
  // Writes overlap (a few dozen in flight) so generation is bound by the disk, not by round trips.
  const pending = new Set<Promise<void>>();
  const madeDirs = new Map<string, Promise<unknown>>();
  let writeError: unknown;
  const write = async (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    files++;
    bytes += Buffer.byteLength(text);
    const job = (async () => {
      const parent = path.dirname(abs);
      let made = madeDirs.get(parent);
      if (!made) madeDirs.set(parent, (made = fs.mkdir(parent, { recursive: true })));
      await made;
      await fs.writeFile(abs, text);
    })();
    pending.add(job);
    job.catch((err: unknown) => { writeError ??= err; }).finally(() => pending.delete(job));
    if (pending.size >= 32) await Promise.race(pending);
  };

  for (let i = 0; i < dirs.length; i++) {
    const d = dirs[i]!;
    const plan: ModulePlan = {
      dir: d, path: `${ROOT_PATH}/${d}`, go: plantGo.has(i) ? '1.21' : GO_VERSION,
      direct: [], indirect: [], siblings: [], replaces: [],
    };
    if (rng.chance(0.2)) plan.toolchain = 'go1.22.5';
    if (plantGo.has(i)) planted['go-version-drift']!.push(d);
    // Third-party requirements: anchored ones at the pin, others at any version of the pool.
    for (const m of rng.sample(regular, requiresPerModule)) {
      const pin = pins.get(m.path);
      // A never-tagged dependency is kept at one commit repository-wide, except where a conflict is planted.
      const untagged = m.versions.every((v) => v.includes('-'));
      plan.direct.push([m.path, pin ?? (untagged ? m.versions[0]! : rng.pick(m.versions))]);
    }
    if (plantDrift.has(i)) {
      plan.direct.push([pool.drift.path, pool.drift.version]);
      planted['anchor-drift']!.push(d);
    }
    if (plantMismatch.has(i)) {
      const [p, pin] = pool.anchors[1]!;
      const other = pool.byPath.get(p)!.versions.find((v) => v !== pin)!;
      plan.direct = plan.direct.filter(([q]) => q !== p);
      plan.direct.push([p, other]);
      planted['anchor-mismatch']!.push(d);
    }
    if (plantBan.has(i)) {
      plan.direct.push([pool.banned, 'v1.0.0']);
      planted['banned-module']!.push(d);
    }
    if (pseudoPath && plantPseudo.includes(i)) {
      plan.direct = plan.direct.filter(([q]) => q !== pseudoPath.path);
      plan.direct.push([pseudoPath.path, pseudoPath.versions[plantPseudo.indexOf(i) % pseudoPath.versions.length]!]);
      planted['pseudo-version-conflict']!.push(d);
    }
    if (plantReplace.has(i)) {
      const [p] = plan.direct.find(([q]) => !pins.has(q))!;
      plan.replaces.push([p, '', `github.com/forks-of/${p.split('/').pop()}`, 'v1.0.1']);
      planted['replace-directive']!.push(d);
    }
    // Sibling requirements: earlier modules only (libraries come first), so the graph has no cycles.
    if (i > 0) {
      const libs = dirs.slice(0, i).map((_, j) => j).filter((j) => dirs[j]!.startsWith('libs/') || rng.chance(0.02));
      plan.siblings = rng.sample(libs, Math.min(libs.length, rng.range(0, 4)));
    }
    plans.push(plan);
  }

  // The go.mod of a module replaces every sibling in its build, transitively: the go command ignores
  // replacements in dependencies' go.mod files, so real monorepos list them all.
  const closure: Array<Set<number>> = [];
  for (let i = 0; i < plans.length; i++) {
    const all = new Set<number>();
    for (const s of plans[i]!.siblings) {
      all.add(s);
      for (const t of closure[s]!) all.add(t);
    }
    closure.push(all);
  }

  const siblingIndex = new Map(plans.map((p, i) => [`${p.path}@${SIBLING_VERSION}`, i]));
  const graphs: string[] = [];
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    // Walk the build graph breadth-first from the main module, as `go mod graph` lists it.
    const lines: string[] = [`${plan.path} go@${plan.go}`];
    if (plan.toolchain) lines.push(`${plan.path} toolchain@${plan.toolchain}`);
    const queue: string[] = [];
    const seen = new Set<string>();
    const reqsOf = (key: string): Array<[string, string]> => {
      const sib = siblingIndex.get(key);
      if (sib !== undefined) {
        const p = plans[sib]!;
        return [...p.siblings.map((s): [string, string] => [plans[s]!.path, SIBLING_VERSION]), ...p.direct, ...p.indirect];
      }
      return pool.versions.get(key)?.requires ?? [];
    };
    const mainReqs: Array<[string, string]> = [...plan.siblings.map((s): [string, string] => [plans[s]!.path, SIBLING_VERSION]), ...plan.direct];
    for (const [p, v] of mainReqs) {
      const key = `${p}@${v}`;
      lines.push(`${plan.path} ${key}`);
      if (!seen.has(key)) { seen.add(key); queue.push(key); }
    }
    const mainEnd = lines.length;
    for (let q = 0; q < queue.length && lines.length < edgeCap; q++) {
      const key = queue[q]!;
      const ext = pool.versions.get(key);
      lines.push(`${key} go@${ext?.go ?? GO_VERSION}`);
      for (const [p, v] of reqsOf(key)) {
        const k = `${p}@${v}`;
        lines.push(`${key} ${k}`);
        if (!seen.has(k)) { seen.add(k); queue.push(k); }
      }
    }
    // Selected versions and every version seen, for go.sum and the indirect block.
    const selected = new Map<string, string>();
    for (const k of seen) {
      const at = k.indexOf('@');
      const p = k.slice(0, at);
      const v = k.slice(at + 1);
      const cur = selected.get(p);
      if (!cur || compareGoSemver(v, cur) > 0) selected.set(p, v);
    }
    const directPaths = new Set(mainReqs.map(([p]) => p));
    const indirect: Array<[string, string]> = [];
    for (const [p, v] of selected) {
      if (directPaths.has(p) || p.startsWith(ROOT_PATH + '/')) continue;
      // Anchored modules of the build are required at the pin, as a tidy go.mod lists its build list.
      const pin = pins.get(p);
      if (pin) {
        indirect.push([p, pin]);
        if (compareGoSemver(v, pin) < 0) { seen.add(`${p}@${pin}`); selected.set(p, pin); }
      } else if (indirect.length < 15) {
        indirect.push([p, v]);
      }
    }
    plan.indirect = indirect;
    // The main module's edges are its go.mod requirements, the indirect ones included.
    lines.splice(mainEnd, 0, ...indirect.map(([p, v]) => `${plan.path} ${p}@${v}`));
    graphs.push(lines.join('\n') + '\n');

    if (withSums) {
      const entries: Array<[string, string, boolean]> = [];
      for (const k of seen) {
        const at = k.indexOf('@');
        const p = k.slice(0, at);
        if (p.startsWith(ROOT_PATH + '/')) continue;
        const v = k.slice(at + 1);
        entries.push([p, v, true]);
        if (selected.get(p) === v) entries.push([p, v, false]);
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : compareGoSemver(a[1], b[1]) || (a[2] === b[2] ? 0 : a[2] ? 1 : -1)));
      let sum = '';
      let conflictDone = !plantHash.has(i);
      for (const [p, v, isMod] of entries) {
        const key = `${p} ${v}${isMod ? '/go.mod' : ''}`;
        let hash = h1(seed, key);
        if (!conflictDone && !isMod) {
          hash = h1(seed + 1, key);
          conflictDone = true;
          planted['gosum-hash-conflict']!.push(`${plan.dir}/go.sum`);
        }
        sum += `${key} ${hash}\n`;
      }
      await write(`${plan.dir}/go.sum`, sum);
    }
  }

  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    const siblingReqs = plan.siblings.map((s): [string, string] => [plans[s]!.path, SIBLING_VERSION]);
    const direct = [...siblingReqs, ...plan.direct].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const indirect = [...plan.indirect].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let text = `module ${plan.path}\n\ngo ${plan.go}\n`;
    if (plan.toolchain) text += `\ntoolchain ${plan.toolchain}\n`;
    text += `\nrequire (\n${direct.map(([p, v]) => `\t${p} ${v}\n`).join('')})\n`;
    if (indirect.length > 0) text += `\nrequire (\n${indirect.map(([p, v]) => `\t${p} ${v} // indirect\n`).join('')})\n`;
    const replaces: string[] = [];
    for (const s of [...closure[i]!].sort((a, b) => a - b)) replaces.push(`\t${plans[s]!.path} => ${relDir(plan.dir, plans[s]!.dir)}\n`);
    for (const [op, ov, np, nv] of plan.replaces) replaces.push(`\t${op}${ov ? ' ' + ov : ''} => ${np}${nv ? ' ' + nv : ''}\n`);
    if (replaces.length > 0) text += `\nreplace (\n${replaces.join('')})\n`;
    await write(`${plan.dir}/go.mod`, text);
    if (withGraphs) await write(`${plan.dir}/graph.txt`, graphs[i]!);
  }

  let lock = '// Versions every module in this repository must use. Generated for benchmarks.\ngo 1.22\n\n';
  const [first, ...rest] = pool.anchors;
  if (first) lock += `anchor ${first[0]} ${first[1]} // owner: platform\n\n`;
  lock += `anchor (\n${rest.map(([p, v], j) => `\t${p} ${v}${j % 5 === 0 ? ' // owner: ' + rng.pick(AREAS) : ''}\n`).join('')})\n\n`;
  lock += `ban ${pool.banned} // unmaintained; use the standard library\n`;
  await write('anchor.lock', lock);
  await write('README.md', `# generated monorepo\n\n${plans.length} Go modules generated by bench/generate.ts (seed ${seed}).\n`);

  await Promise.allSettled(pending);
  if (writeError) throw writeError;

  if (opts.git) {
    const run = promisify(execFile);
    const git = (args: string[]) => run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A', '--', '.']);
    await git(['commit', '-q', '-m', 'generated monorepo']);
  }
  return { dir, files, bytes, moduleDirs: plans.map((p) => p.dir), planted };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node --import tsx bench/generate.ts OUT_DIR [modules] [seed]\n');
    process.exit(2);
  }
  const modules = Number(process.argv[3] ?? 1000);
  const seed = Number(process.argv[4] ?? 1);
  const t0 = performance.now();
  const r = await generateMonorepo(path.resolve(out), { modules, seed });
  process.stdout.write(`${r.dir}: ${modules} modules, ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
