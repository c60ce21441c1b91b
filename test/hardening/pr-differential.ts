// Differential testing of PR mode and shards against the cache: a generated Go monorepo is
// committed on `main`, a generated change is made on `feature` (partly committed, partly left in
// the work tree), and the CLI is run on it in ways that must give the same JSON and exit code:
// without a cache, with a cold and a warm pack of its own, with the pack and findings a full check
// at the base kept, shard by shard, and as full checks. Shared by `npm run fuzz:pr` and the tests;
// any case is reproducible from its seed alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/util/prng.ts';
import { bin } from '../support/run-cli.ts';


// ---------------------------------------------------------------------------------------------
// The generator. Every choice comes from one seeded generator, in a fixed order: changing the
// order of the calls changes every case after it, so edits belong at the end of a branch.

interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(xs: readonly T[]) => T;
  chance: (p: number) => boolean;
}

function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

interface Dep { path: string; major: number; gopkg?: boolean; incompat?: boolean }

// External dependencies by family: /vN and gopkg.in majors (multiple-majors), a module whose v2+
// only exists as +incompatible, paths a ban with `/...` matches, and a long tail.
const EXT: readonly Dep[] = [
  { path: 'github.com/a/lib', major: 1 },
  { path: 'github.com/a/lib/v2', major: 2 },
  { path: 'github.com/a/lib/v3', major: 3 },
  { path: 'gopkg.in/yaml.v2', major: 2, gopkg: true },
  { path: 'gopkg.in/yaml.v3', major: 3, gopkg: true },
  { path: 'github.com/c/old', major: 1, incompat: true },
  { path: 'golang.org/x/net', major: 0 },
  { path: 'golang.org/x/text', major: 0 },
  { path: 'golang.org/x/sys', major: 0 },
  { path: 'github.com/b/util', major: 1 },
  { path: 'github.com/b/util/v2', major: 2 },
  { path: 'github.com/pkg/errors', major: 0 },
  { path: 'github.com/evil/lib', major: 1 },
  { path: 'github.com/evil/sub/x', major: 1 },
  ...Array.from({ length: 8 }, (_, i) => ({ path: `github.com/tail/p${i}`, major: i % 3 === 0 ? 0 : 1 })),
];
const HASHES = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'abcdefabcdef', '0123456789ab', 'deadbeefcafe'];
const TIMES = ['20240101000000', '20240202120000', '20230315101010', '20250505050505'];

/** versionFor picks a version of dep: releases, pre-releases, the three forms of pseudo-version, +incompatible. */
function versionFor(r: Rng, dep: Dep): string {
  const M = dep.major;
  const base = M <= 1 ? r.pick(M === 0 ? [0, 0, 1] : [1]) : M;
  const mi = r.int(4);
  const pa = r.int(3);
  const roll = r.next();
  if (dep.incompat && roll < 0.3) return r.pick(['v2.0.0+incompatible', 'v3.1.0+incompatible', 'v2.3.0+incompatible']);
  if (roll < 0.55) return `v${base}.${mi}.${pa}`;
  if (roll < 0.68) return `v${base}.${mi}.${pa}-rc.1`;
  if (roll < 0.78) return base <= 1 && M <= 1 ? `v0.0.0-${r.pick(TIMES)}-${r.pick(HASHES)}` : `v${base}.0.0-${r.pick(TIMES)}-${r.pick(HASHES)}`;
  if (roll < 0.88) return `v${base}.${mi}.${pa}-0.${r.pick(TIMES)}-${r.pick(HASHES)}`;
  if (roll < 0.95) return `v${base}.${mi}.${pa + 1}-pre.0.${r.pick(TIMES)}-${r.pick(HASHES)}`;
  return `v${base}.${mi}.${pa}`;
}

function h(n: number): string {
  const s = Buffer.from(`hash-${n}-${n * 7919}`).toString('base64').replace(/=+$/, '');
  return `h1:${(s + 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').slice(0, 43)}=`;
}

/** hashOf is the one hash of path@version, or with probability `conflict` another (a go.sum conflict between modules). */
function hashOf(p: string, version: string, r: Rng, conflict: number): string {
  let k = 0;
  for (const c of p + version) k = (k * 31 + c.charCodeAt(0)) >>> 0;
  if (conflict && r.next() < conflict) k += 1 + r.int(3);
  return h(k);
}

// Suppressions name real rules and one that does not exist.
const RULES = ['anchor-mismatch', 'version-divergence', 'multiple-majors', 'pseudo-version-conflict', 'replace-directive', 'banned-module', 'go-version-drift', 'major-version-jump', 'anchor-drift', 'module-cycle', 'no-such-rule'];

/** suppressionComment is a suppression with a reason, or without one, expired, still valid or with a date that is none. */
function suppressionComment(r: Rng): string {
  const rule = r.pick(RULES);
  const roll = r.next();
  if (roll < 0.1) return `// modguard:ignore ${rule}`;
  if (roll < 0.2) return `// modguard:ignore ${rule} old debt until=2020-01-01`;
  if (roll < 0.3) return `// modguard:ignore ${rule} later until=2099-12-31`;
  if (roll < 0.35) return `// modguard:ignore ${rule} bad date until=2024-13-40`;
  return `// modguard:ignore ${rule} accepted for the test`;
}

/** relDir is the relative path from one module directory to another, as a replace writes it. */
function relDir(from: string, to: string): string {
  const a = from === '.' ? [] : from.split('/');
  const b = to === '.' ? [] : to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const parts = [...a.slice(i).map(() => '..'), ...b.slice(i)];
  if (parts.length === 0) return '.';
  if (parts[0] !== '..') return `./${parts.join('/')}`;
  return parts.join('/');
}

const GO_VERSIONS = ['1.21', '1.22', '1.22', '1.22.3', '1.23', '1.23', '1.24', '1.21.0', '1.23rc1'];

interface Mod { i: number; dir: string; path: string }

/** makeModules places n modules: at the root, one or two levels down, with /vN paths and some outside the monorepo's prefix. */
function makeModules(r: Rng, n: number): Mod[] {
  const DIRS = ['svc', 'libs', 'tools', 'pkg/core', 'cmd', 'internal/x'];
  const mods: Mod[] = [];
  const usedDirs = new Set<string>();
  for (let i = 0; i < n; i++) {
    let dir: string;
    const roll = r.next();
    if (roll < 0.4) dir = `m${i}`;
    else if (roll < 0.85) dir = `${r.pick(DIRS)}/m${i}`;
    else dir = `${r.pick(DIRS)}/m${i}/deep`;
    if (i === 0 && r.chance(0.25)) dir = '.';
    if (usedDirs.has(dir)) dir = `m${i}`;
    usedDirs.add(dir);
    let p = dir === '.' ? 'example.com/mono' : `example.com/mono/${dir}`;
    if (r.chance(0.12)) p += r.pick(['/v2', '/v3']);
    if (r.chance(0.05)) p = `corp/${dir === '.' ? 'root' : dir.replace(/\//g, '-')}`;
    mods.push({ i, dir, path: p });
  }
  return mods;
}

function majorOf(p: string): number {
  const m = /\/v(\d+)$/.exec(p) ?? /\.v(\d+)$/.exec(p);
  return m ? Number(m[1]) : 1;
}

/** sibVersion is the version a module requires a sibling at: the zero pseudo-version, a release, a pseudo-version. */
function sibVersion(r: Rng, sib: Mod): string {
  const M = majorOf(sib.path);
  const base = M >= 2 ? M : r.pick([0, 1]);
  return r.pick([`v${base}.0.0-00010101000000-000000000000`, `v${base}.2.0`, `v${base}.0.0`, `v${base}.1.1-0.20240101000000-abcdefabcdef`]);
}

/** How dense a monorepo is: requirements, sibling links, go.sum conflicts, suppressions. */
interface Profile { density: number; sibling: number; conflict: number; suppress: number }

/**
 * goModFor writes a go.mod of mod: toolchain and godebug lines, direct and indirect requirements,
 * suppressions on lines and in blocks, a duplicate requirement, siblings replaced by directory
 * (with a version, with a trailing slash), replaces of every kind (by module, by a version of one,
 * by directory inside and outside the repository, one no go command accepts), exclude, retract and
 * tool directives.
 */
function goModFor(r: Rng, mod: Mod, mods: readonly Mod[], opt: Partial<Profile> = {}): string {
  const lines: string[] = [];
  if (r.chance(0.1)) lines.push('// A module of the test monorepo.');
  lines.push(`module ${mod.path}`, '');
  lines.push(`go ${r.pick(GO_VERSIONS)}`);
  if (r.chance(0.25)) lines.push(`toolchain ${r.pick(['go1.22.5', 'go1.23.1', 'go1.24.0', 'default'])}`);
  if (r.chance(0.1)) lines.push(`godebug ${r.pick(['default=go1.21', 'panicnil=1'])}`);
  lines.push('');
  const reqs: string[] = [];
  const indirect: string[] = [];
  const chosen: Array<{ path: string; version: string; dep: Dep }> = [];
  const suppress = r.chance(opt.suppress ?? 0.2);
  for (const dep of EXT) {
    if (!r.chance(opt.density ?? 0.3)) continue;
    const v = versionFor(r, dep);
    chosen.push({ path: dep.path, version: v, dep });
    const ind = r.chance(0.2);
    const line = `\t${dep.path} ${v}`;
    let comment = ind ? ' // indirect' : '';
    if (suppress && r.chance(0.2)) {
      const c = suppressionComment(r);
      // On the requirement's line (after `// indirect;` for an indirect one), or on a line of its own above it.
      if (r.chance(0.5)) comment = (ind ? ' // indirect; ' : ' ') + c.replace(/^\/\/ /, ind ? '' : '// ');
      else (ind ? indirect : reqs).push(`\t${c}`);
    }
    (ind ? indirect : reqs).push(line + comment);
  }
  // A module required twice, sometimes at another version.
  if (chosen.length > 0 && r.chance(0.05)) {
    const c = r.pick(chosen);
    reqs.push(`\t${c.path} ${versionFor(r, c.dep)}`);
  }
  const replaces: string[] = [];
  for (const s of mods) {
    if (s === mod || !r.chance(opt.sibling ?? 0.12)) continue;
    reqs.push(`\t${s.path} ${sibVersion(r, s)}`);
    if (r.chance(0.75)) {
      const roll = r.next();
      if (roll < 0.7) replaces.push(`replace ${s.path} => ${relDir(mod.dir, s.dir)}`);
      else if (roll < 0.85) replaces.push(`replace ${s.path} v0.0.0-00010101000000-000000000000 => ${relDir(mod.dir, s.dir)}`);
      else replaces.push(`replace ${s.path} => ${relDir(mod.dir, s.dir)}/`);
    }
  }
  if (reqs.length > 0) {
    if (r.chance(0.15) && reqs.length > 1) {
      for (const l of reqs) lines.push(`require ${l.trim()}`);
      lines.push('');
    } else {
      lines.push('require (', ...reqs, ')', '');
    }
  }
  if (indirect.length > 0) lines.push('require (', ...indirect, ')', '');
  for (const c of chosen) {
    if (!r.chance(0.15)) continue;
    const roll = r.next();
    const last = c.path.split('/').pop()!;
    if (roll < 0.25) replaces.push(`replace ${c.path} => github.com/forks/${last} v1.0.${r.int(3)}`);
    // A module path without a version: no go command accepts it.
    else if (roll < 0.29) replaces.push(`replace ${c.path} => github.com/forks/${last}`);
    else if (roll < 0.4) replaces.push(`replace ${c.path} => example.com/mono/${last} v0.0.0-00010101000000-000000000000`);
    else if (roll < 0.6) replaces.push(`replace ${c.path} ${c.version} => github.com/forks/${last} v1.2.${r.int(3)}`);
    // Directories a scan skips, or outside the repository.
    else if (roll < 0.72) replaces.push(`replace ${c.path} => ../${r.pick(['third_party', 'vendor', '.hidden', 'testdata'])}/${last}`);
    else if (roll < 0.85) replaces.push(`replace ${c.path} => ./local/${last}`);
    // A replace of a version nobody requires.
    else replaces.push(`replace ${c.path} v9.9.9 => ${c.path} ${c.version}`);
  }
  // A replace of an external path the module does not require.
  if (r.chance(0.08)) replaces.push(`replace github.com/tail/p${r.int(8)} => github.com/forks/tail v1.1.0`);
  // A sibling replaced by its directory without being required.
  if (r.chance(0.05)) {
    const s = r.pick(mods);
    if (s !== mod) replaces.push(`replace ${s.path} => ${relDir(mod.dir, s.dir)}`);
  }
  if (replaces.length > 0) {
    if (replaces.length > 1 && r.chance(0.5)) lines.push('replace (', ...replaces.map((x) => `\t${x.slice('replace '.length)}`), ')', '');
    else lines.push(...replaces, '');
  }
  if (r.chance(0.1) && chosen.length > 0) {
    const c = r.pick(chosen);
    lines.push(`exclude ${c.path} ${versionFor(r, c.dep)}`, '');
  }
  if (r.chance(0.08)) lines.push(r.pick(['retract v1.0.0 // broken', 'retract [v1.1.0, v1.1.5]', 'retract (\n\tv0.9.0\n\t[v0.1.0, v0.2.0] // bad\n)']), '');
  if (r.chance(0.08)) lines.push(r.pick(['tool golang.org/x/tools/cmd/stringer', 'tool (\n\tgithub.com/tail/p1/cmd/gen\n)']), '');
  // A suppression on a line of its own, applying to nothing.
  if (suppress && r.chance(0.2)) lines.push(suppressionComment(r), '');
  return lines.join('\n');
}

const REQUIREMENT = /^\s*(?:require\s+)?([a-z][^\s]*\.[^\s]*)\s+(v\S+)/gm;

/** goSumFor writes a go.sum for most of a go.mod's requirements, a few of other versions, hashes conflicting with probability `conflict`. */
function goSumFor(r: Rng, text: string, conflict: number): string {
  const out: string[] = [];
  for (const m of text.matchAll(REQUIREMENT)) {
    const p = m[1]!;
    const v = m[2]!;
    if (p.startsWith('example.com/') || p.startsWith('corp/')) continue;
    if (!r.chance(0.8)) continue;
    out.push(`${p} ${v} ${hashOf(p, v, r, conflict)}`);
    out.push(`${p} ${v}/go.mod ${hashOf(p, `${v}/go.mod`, r, conflict / 2)}`);
  }
  // The bound is drawn again at each turn (r.int in the condition); drawing it once would change every seed's case.
  for (let k = 0; k < r.int(3); k++) {
    const dep = r.pick(EXT);
    const v = versionFor(r, dep);
    out.push(`${dep.path} ${v} ${hashOf(dep.path, v, r, conflict)}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** graphFor writes a `go mod graph` of a go.mod: most requirements, some of them requiring x/text or another dependency, a go@ node. */
function graphFor(r: Rng, text: string): string {
  const main = /^module (\S+)/m.exec(text)?.[1];
  if (!main) return '';
  const lines: string[] = [];
  for (const m of text.matchAll(REQUIREMENT)) {
    const node = `${m[1]}@${m[2]}`;
    if (r.chance(0.9)) lines.push(`${main} ${node}`);
    if (r.chance(0.3)) lines.push(`${node} golang.org/x/text@${r.pick(['v0.14.0', 'v0.15.0', 'v0.16.0', 'v1.1.0'])}`);
    if (r.chance(0.2)) {
      const dep = r.pick(EXT);
      lines.push(`${node} ${dep.path}@${versionFor(r, dep)}`);
    }
  }
  if (r.chance(0.1)) lines.push(`${main} go@1.22`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** goWorkFor writes a go.work using some modules, a missing directory, one twice, and replaces of its own. */
function goWorkFor(r: Rng, mods: readonly Mod[]): string {
  const uses = mods.filter(() => r.chance(0.35)).map((m) => `\t${m.dir === '.' ? '.' : `./${m.dir}`}`);
  if (r.chance(0.1)) uses.push('\t./missing/dir');
  if (r.chance(0.05) && uses.length) uses.push(uses[0]!);
  const lines = [`go ${r.pick(['1.21', '1.22', '1.23', '1.24'])}`, ''];
  if (r.chance(0.2)) lines.push('toolchain go1.23.1', '');
  lines.push('use (', ...uses, ')', '');
  if (r.chance(0.5)) {
    const repl: string[] = [];
    for (let k = 0; k < 1 + r.int(3); k++) {
      const roll = r.next();
      const dep = r.pick(EXT);
      if (roll < 0.4) {
        repl.push(`replace ${dep.path} => github.com/forks/w${k} v1.0.0`);
      } else if (roll < 0.6) {
        repl.push(`replace ${dep.path} ${versionFor(r, dep)} => ./third_party/x${k}`);
      } else if (roll < 0.8) {
        const m = r.pick(mods);
        repl.push(`replace ${m.path} => ./${m.dir === '.' ? '' : m.dir}`);
      } else {
        const m = r.pick(mods);
        repl.push(`replace ${m.path} => github.com/forks/member v1.0.0`);
      }
    }
    lines.push(...repl, '');
  }
  return lines.join('\n');
}

/** anchorLockFor writes an anchor.lock: pins, allowed replaces, bans (of a path, a pattern, a version), a pin without its v. */
function anchorLockFor(r: Rng): string {
  const lines: string[] = [];
  if (r.chance(0.3)) lines.push('// pins of the test monorepo');
  lines.push(`go ${r.pick(['1.22', '1.22', '1.23'])}`);
  if (r.chance(0.3)) lines.push(`toolchain ${r.pick(['go1.22.5', 'go1.23.1'])}`);
  const anchors: string[] = [];
  for (const dep of EXT) if (r.chance(0.18)) anchors.push(`\t${dep.path} ${versionFor(r, dep).replace(/-rc\.1$/, '')}${r.chance(0.3) ? ' // owner: team' : ''}`);
  if (anchors.length) lines.push('anchor (', ...anchors, ')');
  if (r.chance(0.3)) lines.push('allow-replace github.com/c/old');
  if (r.chance(0.3)) lines.push('allow-replace github.com/a/lib => github.com/forks/lib v1.0.1');
  if (r.chance(0.3)) lines.push('ban github.com/pkg/errors // use fmt');
  if (r.chance(0.2)) lines.push('ban github.com/evil/... // archived');
  if (r.chance(0.15)) lines.push('ban github.com/tail/p2 v1.1.0 // CVE');
  if (r.chance(0.05)) lines.push('anchor github.com/tail/p3 1.2.3');
  return `${lines.join('\n')}\n`;
}

/** configFor writes a modguard.json: the rule options that change what PR mode counts and narrows, severities, a rule off, ignores. */
function configFor(r: Rng): string {
  const rules: Record<string, unknown> = {};
  if (r.chance(0.4)) rules['pseudo-version-conflict'] = { options: { flagReleaseMix: r.chance(0.6), includeIndirect: r.chance(0.5) } };
  if (r.chance(0.3)) rules['multiple-majors'] = { options: { includeIndirect: r.chance(0.7) } };
  if (r.chance(0.3)) rules['version-divergence'] = { severity: r.pick(['info', 'warning', 'error']), options: { includeIndirect: r.chance(0.6), target: r.pick(['most-common', 'highest']) } };
  if (r.chance(0.15)) rules['anchor-mismatch'] = { options: { includeIndirect: r.chance(0.5) } };
  if (r.chance(0.15)) rules['replace-directive'] = { options: { allowSiblings: r.chance(0.5) } };
  if (r.chance(0.1)) rules['major-version-jump'] = { options: { includeV0ToV1: true } };
  if (r.chance(0.1)) rules['go-version-drift'] = { options: { checkToolchain: r.chance(0.5), checkWorkFiles: r.chance(0.5) } };
  if (r.chance(0.1)) rules['anchor-drift'] = { options: { skipDirectMismatch: r.chance(0.5), reportBelowPin: r.chance(0.5) } };
  if (r.chance(0.1)) rules['module-cycle'] = 'off';
  if (r.chance(0.1)) rules['gosum-hash-conflict'] = 'warning';
  const cfg: { rules: Record<string, unknown>; ignore?: string[] } = { rules };
  if (r.chance(0.15)) cfg.ignore = [r.pick(['tools/**', 'cmd/*', 'internal/**/deep'])];
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

const inDir = (dir: string, name: string) => (dir === '.' ? name : `${dir}/${name}`);
const modPath = (dir: string) => inDir(dir, 'go.mod');
const sumPath = (dir: string) => inDir(dir, 'go.sum');
const graphPath = (dir: string) => inDir(dir, 'graph.txt');

/** Edits of the work tree: a file's new text, or null to delete it. */
export type Edits = Record<string, string | null>;

export interface PrCase {
  seed: number;
  /** The files committed on `main`. */
  files: Record<string, string>;
  /** The change on `feature`: the committed part is committed first, the rest left in the work tree. */
  change: { committed: Edits; uncommitted: Edits };
  /** Whether every run passes `--graph-file graph.txt`. */
  graph: boolean;
  /** N of the `--shard K/N` runs. */
  shards: number;
  /** The kinds of change made, for the report. */
  kinds: string[];
  /** The number of modules on `main` (without the extra ones in skipped directories). */
  modules: number;
}

/** generateCase makes the monorepo and the change of a seed (the same ones on every machine). */
export function generateCase(seed: number): PrCase {
  const r = rng(seed);
  const n = 5 + r.int(26);
  const mods = makeModules(r, n);
  const files: Record<string, string> = {};
  const profile: Profile = { density: 0.15 + r.next() * 0.3, sibling: r.pick([0, 0.01, 0.03, 0.06, 0.1]), conflict: r.pick([0, 0.1, 0.3]), suppress: r.pick([0, 0.2, 0.5]) };
  for (const m of mods) {
    const goMod = goModFor(r, m, mods, profile);
    files[modPath(m.dir)] = goMod;
    if (r.chance(0.85)) {
      const s = goSumFor(r, goMod, profile.conflict);
      if (s) files[sumPath(m.dir)] = s;
    }
    if (r.chance(0.7)) files[graphPath(m.dir)] = graphFor(r, goMod);
  }
  // Sometimes a go.mod that does not parse at the base.
  if (r.chance(0.03)) {
    const m = r.pick(mods);
    files[modPath(m.dir)] = files[modPath(m.dir)]!.replace(/\nrequire \(/, '\nrequire (\n\tbroken line here');
  }
  if (r.chance(0.8)) files['anchor.lock'] = anchorLockFor(r);
  if (r.chance(0.4)) files['modguard.json'] = configFor(r);
  if (r.chance(0.4)) {
    files['go.work'] = goWorkFor(r, mods);
    if (r.chance(0.5)) files['go.work.sum'] = goSumFor(r, `${files['go.work']}\n${files[modPath(mods[0]!.dir)]}`, 0.3);
  }
  // Modules in directories a scan skips.
  if (r.chance(0.1)) files['vendor/x/go.mod'] = 'module github.com/vendored/x\n\ngo 1.22\n';
  if (r.chance(0.1)) files['third_party/lib/go.mod'] = 'module github.com/a/lib\n\ngo 1.22\n';

  // The change. Each edit goes to the committed or the uncommitted part at random; a later edit of
  // a path reads the text as the earlier ones left it.
  const committed: Edits = {};
  const uncommitted: Edits = {};
  const cur = (p: string): string | null | undefined => (p in uncommitted ? uncommitted[p] : p in committed ? committed[p] : files[p]);
  const put = (p: string, v: string | null) => { (r.chance(0.5) ? committed : uncommitted)[p] = v; };
  const kinds: string[] = [];
  const nEdits = 1 + r.int(4);
  for (let k = 0; k < nEdits; k++) {
    const m = r.pick(mods);
    const p = modPath(m.dir);
    const t = cur(p);
    if (t == null) continue;
    const roll = r.next();
    if (roll < 0.25) {
      put(p, goModFor(r, m, mods, profile));
      kinds.push('regen');
    } else if (roll < 0.45) {
      // One requirement at another version.
      const lines = t.split('\n');
      const idx = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(?:require\s+)?[a-z]\S*\.\S*\s+v\S+/.test(l) && !/^module/.test(l));
      if (idx.length) {
        const [l, i] = r.pick(idx);
        const mm = /^(\s*(?:require\s+)?)(\S+)\s+(v\S+)(.*)$/.exec(l)!;
        const dep = EXT.find((d) => d.path === mm[2]) ?? { path: mm[2]!, major: majorOf(mm[2]!) };
        lines[i] = `${mm[1]}${mm[2]} ${versionFor(r, dep)}${mm[4]}`;
        put(p, lines.join('\n'));
        kinds.push('bump');
      }
    } else if (roll < 0.55) {
      const dep = r.pick(EXT);
      put(p, `${t}\nrequire ${dep.path} ${versionFor(r, dep)}${r.chance(0.3) ? ' // indirect' : ''}\n`);
      kinds.push('add-req');
    } else if (roll < 0.65) {
      // A requirement or a replace removed.
      const lines = t.split('\n');
      const idx = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(?:require |replace )?\S+ (v\S+|=>)/.test(l) && !/^(module|go|toolchain) /.test(l));
      if (idx.length) {
        const [, i] = r.pick(idx);
        lines.splice(i, 1);
        put(p, lines.join('\n'));
        kinds.push('remove-line');
      }
    } else if (roll < 0.72) {
      // A replace added: of a sibling by its directory (with its requirement), of a module by a fork, of a version by a directory.
      const s = r.pick(mods);
      const roll2 = r.next();
      let line: string;
      if (roll2 < 0.4 && s !== m) {
        line = `\nrequire ${s.path} v0.0.0-00010101000000-000000000000\n\nreplace ${s.path} => ${relDir(m.dir, s.dir)}\n`;
      } else if (roll2 < 0.7) {
        const dep = r.pick(EXT);
        line = `\nreplace ${dep.path} => github.com/forks/z ${r.pick(['v1.0.0', 'v1.0.1'])}\n`;
      } else {
        const dep = r.pick(EXT);
        line = `\nreplace ${dep.path} ${versionFor(r, dep)} => ../vendor/z\n`;
      }
      put(p, t + line);
      kinds.push('add-replace');
    } else if (roll < 0.78) {
      // The module path renamed: its siblings still require the old one.
      put(p, t.replace(/^module (\S+)/m, (_, x: string) => `module ${x}${r.pick(['/renamed', '/v2', 'x'])}`));
      kinds.push('rename');
    } else if (roll < 0.83) {
      put(p, t.replace(/^go \S+/m, `go ${r.pick(GO_VERSIONS)}`));
      kinds.push('go-line');
    } else if (roll < 0.88) {
      const lines = t.split('\n');
      const i = 1 + r.int(lines.length - 1);
      lines.splice(i, 0, `\t${suppressionComment(r)}`);
      put(p, lines.join('\n'));
      kinds.push('suppress');
    } else if (roll < 0.92) {
      // The module deleted, its go.sum with it or left behind.
      put(p, null);
      if (files[sumPath(m.dir)] && r.chance(0.5)) put(sumPath(m.dir), null);
      kinds.push('delete-module');
    } else if (roll < 0.95) {
      put(p, `${t}\nrequire (\n`);
      kinds.push('break');
    } else {
      // The module moved to another directory, with its go.sum.
      const nd = m.dir === '.' ? 'moved' : `${m.dir}x`;
      put(modPath(nd), t);
      put(p, null);
      const sum = cur(sumPath(m.dir));
      if (sum) {
        put(sumPath(nd), sum);
        put(sumPath(m.dir), null);
      }
      kinds.push('move');
    }
  }
  // A go.sum edited: a hash changed, the file written again, deleted, a line of another version
  // added; or a go.sum where there was none.
  if (r.chance(0.5)) {
    const m = r.pick(mods);
    const p = sumPath(m.dir);
    const t = cur(p);
    if (t) {
      const roll = r.next();
      if (roll < 0.4) put(p, t.replace(/h1:(.)/, (_, c: string) => `h1:${c === 'Z' ? 'Y' : 'Z'}`));
      else if (roll < 0.7) put(p, goSumFor(r, cur(modPath(m.dir)) ?? '', 0.5));
      else if (roll < 0.85) put(p, null);
      else put(p, `${t}github.com/a/lib v1.0.0 ${h(r.int(5))}\n`);
      kinds.push('gosum');
    } else {
      const goMod = cur(modPath(m.dir));
      if (goMod) {
        put(p, goSumFor(r, goMod, 0.3));
        kinds.push('gosum-new');
      }
    }
  }
  // go.work written again, deleted, added, or its go line changed.
  if (r.chance(0.2)) {
    const t = cur('go.work');
    const roll = r.next();
    if (t && roll < 0.4) put('go.work', goWorkFor(r, mods));
    else if (t && roll < 0.6) put('go.work', null);
    else if (!t) put('go.work', goWorkFor(r, mods));
    else put('go.work', t.replace(/^go \S+/m, 'go 1.25'));
    kinds.push('gowork');
  }
  // The pins and the configuration changed: every module is judged again.
  if (r.chance(0.06)) {
    put('anchor.lock', anchorLockFor(r));
    kinds.push('anchors');
  }
  if (r.chance(0.04)) {
    put('modguard.json', configFor(r));
    kinds.push('config');
  }
  if (r.chance(0.3)) {
    const nm: Mod = { i: n, dir: r.pick([`m${n}`, `svc/new${n}`]), path: `example.com/mono/new${n}` };
    const t = goModFor(r, nm, mods, profile);
    put(modPath(nm.dir), t);
    if (r.chance(0.6)) put(sumPath(nm.dir), goSumFor(r, t, profile.conflict));
    if (r.chance(0.5)) put(graphPath(nm.dir), graphFor(r, t));
    kinds.push('new-module');
  }
  // A module's graph changed on its own (a dependency upgraded), or deleted.
  if (r.chance(0.2)) {
    const m = r.pick(mods);
    const t = cur(modPath(m.dir));
    if (t) {
      put(graphPath(m.dir), r.chance(0.8) ? graphFor(r, t) : null);
      kinds.push('graph');
    }
  }
  const graph = r.chance(0.6);
  const shards = 2 + r.int(3);
  return { seed, files, change: { committed, uncommitted }, graph, shards, kinds, modules: n };
}

// ---------------------------------------------------------------------------------------------
// The runner.

export interface Difference {
  /** Which comparison, e.g. "PR warm --cache-dir vs --no-cache". */
  what: string;
  /** The two command lines compared (for a run that failed on its own, the command and what was expected). */
  a: string;
  b: string;
  /** The exit codes and the findings and other lines found in one output but not the other. */
  diff: string;
}

export interface CaseResult {
  seed: number;
  comparisons: number;
  differences: Difference[];
  /** The directory of the case (repository and cache directories), when kept. */
  dir?: string;
}

export interface RunCaseOptions {
  /** Keep the case's directory: always, or only when there are differences (default: never). */
  keep?: boolean | 'failing';
  /** A run taking longer is stopped and reported (default 60 s). */
  timeoutMs?: number;
  /** Added to the CLI's environment (the tests pass cliEnv: the sources unless just built). */
  env?: NodeJS.ProcessEnv;
}

interface Run { args: string[]; code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }

// The fixed identity and dates make the commits, and so the merge base a notice names, the same on every run of a seed.
const GIT_DATE = '2026-01-01T12:00:00Z';

/** writeEdits writes files into the work tree (null deletes one). */
function writeEdits(root: string, edits: Edits): void {
  for (const [rel, text] of Object.entries(edits)) {
    const abs = path.join(root, rel);
    if (text === null) {
      if (existsSync(abs)) unlinkSync(abs);
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** problemsOf lists what is wrong with a run on its own: a hang, an exit code other than 0 or 1, a stack trace, a pack dropped or not written. */
function problemsOf(r: Run): string[] {
  const out: string[] = [];
  if (r.signal || r.code === null) out.push(`stopped by ${r.signal ?? 'a timeout'}`);
  else if (r.code !== 0 && r.code !== 1) out.push(`exit ${r.code}`);
  if (/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr)) out.push('a stack trace on stderr');
  if (/internal error|TypeError|RangeError|ReferenceError/.test(r.stderr)) out.push('an internal error on stderr');
  // The debug lines name a pack that is not there yet, or findings not kept at the merge base: that
  // is expected. A pack dropped as damaged, or one that could not be written, is not.
  const stderr = r.stderr
    .replace(/\(no pack this modguard can read there: none yet, one of another version, or one damaged since it was written\)/g, '')
    .replace(/\(none kept of the merge base that this modguard can read \(a full check with the cache on that commit keeps them; those of another version, or damaged since, are not read\)\)/g, '');
  const kept = /.*(nothing kept there|dropped|damaged).*/.exec(stderr);
  if (kept) out.push(`pack dropped or not kept: ${kept[0].trim()}`);
  return out;
}

/** outputLines splits a JSON report into lines to compare: one per finding, one per other top-level field. */
function outputLines(stdout: string): string[] {
  try {
    const json = JSON.parse(stdout) as Record<string, unknown>;
    const lines: string[] = [];
    for (const [key, value] of Object.entries(json)) {
      if (Array.isArray(value)) for (const item of value) lines.push(`${key}: ${JSON.stringify(item)}`);
      else lines.push(`${key}: ${JSON.stringify(value)}`);
    }
    return lines;
  } catch {
    return stdout.split('\n');
  }
}

/** describeDiff says how two runs differ: exit codes, then the lines of each output missing from the other (as a multiset), then order. */
function describeDiff(a: Run, b: Run, limit = 40): string {
  const out: string[] = [];
  if (a.code !== b.code) out.push(`exit ${a.code} vs exit ${b.code}`);
  const la = outputLines(a.stdout);
  const lb = outputLines(b.stdout);
  const count = new Map<string, number>();
  for (const l of lb) count.set(l, (count.get(l) ?? 0) + 1);
  const onlyA: string[] = [];
  for (const l of la) {
    const left = count.get(l) ?? 0;
    if (left > 0) count.set(l, left - 1);
    else onlyA.push(l);
  }
  const onlyB = [...count].flatMap(([l, k]) => Array<string>(k).fill(l));
  out.push(...onlyA.slice(0, limit).map((l) => `- ${l}`));
  if (onlyA.length > limit) out.push(`- ... ${onlyA.length - limit} more`);
  out.push(...onlyB.slice(0, limit).map((l) => `+ ${l}`));
  if (onlyB.length > limit) out.push(`+ ... ${onlyB.length - limit} more`);
  if (a.stdout !== b.stdout && onlyA.length === 0 && onlyB.length === 0) out.push('the same lines in another order, or other white space');
  return out.join('\n');
}

/**
 * runCase builds the seed's repository in a temporary directory and compares the runs that must
 * agree; it returns the number of comparisons made and every difference found (a run failing on
 * its own is one too). The directory is removed unless opts.keep asks otherwise.
 */
export function runCase(seed: number, opts: RunCaseOptions = {}): CaseResult {
  const c = generateCase(seed);
  const dir = mkdtempSync(path.join(tmpdir(), `modguard-pr-differential-${seed}-`));
  const repo = path.join(dir, 'repo');
  const home = path.join(dir, 'home');
  // D1 is filled by PR runs on the feature branch; D2 by a full check on main first, as a nightly
  // job on the default branch fills it (the pack and the base's findings).
  const d1 = path.join(dir, 'd1');
  const d2 = path.join(dir, 'd2');
  mkdirSync(repo, { recursive: true });
  mkdirSync(home, { recursive: true });
  // Nothing of the machine's: no cache directory, no git configuration but the repository's.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', MODGUARD_CACHE_DIR: '', NO_COLOR: '1', ...opts.env };
  const gitEnv: NodeJS.ProcessEnv = { ...env, GIT_AUTHOR_DATE: GIT_DATE, GIT_COMMITTER_DATE: GIT_DATE };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const commitAll = (message: string) => {
    git('add', '-A');
    // Edits that leave every file as it was make no commit (`git diff --cached --quiet` exits 0).
    if (spawnSync('git', ['diff', '--cached', '--quiet'], { cwd: repo, env: gitEnv }).status === 0) return;
    git('commit', '-q', '-m', message);
  };

  const runs: Run[] = [];
  const differences: Difference[] = [];
  let comparisons = 0;
  const timeout = opts.timeoutMs ?? 60_000;
  const graph = c.graph ? ['--graph-file', 'graph.txt'] : [];
  const run = (label: string, args: string[]): Run => {
    const all = ['--debug', ...args, ...graph];
    const started = performance.now();
    const r = spawnSync(process.execPath, [bin, ...all], { cwd: repo, env, timeout, maxBuffer: 1 << 28, encoding: 'utf8' });
    const result: Run = { args: all, code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - started };
    runs.push(result);
    for (const p of problemsOf(result)) {
      differences.push({ what: `${label}: ${p}`, a: `modguard ${all.join(' ')}`, b: 'exit 0 or 1, no internal error, the pack read and written', diff: result.stderr.slice(0, 4000) });
    }
    return result;
  };
  const compare = (what: string, a: Run, b: Run) => {
    comparisons++;
    if (a.stdout !== b.stdout || a.code !== b.code) differences.push({ what, a: `modguard ${a.args.join(' ')}`, b: `modguard ${b.args.join(' ')}`, diff: describeDiff(a, b) });
  };
  const CHECK = ['check', '--format', 'json'];
  const PR = ['check', '--base', 'main', '--format', 'json'];
  const KEPT = "with the base's kept findings";
  const OWN = "with the PR runs' pack";

  let kept = false;
  try {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'modguard test');
    git('config', 'user.email', 'test@example.com');
    git('config', 'commit.gpgsign', 'false');
    writeEdits(repo, c.files);
    commitAll('base');

    // The full check on main that fills D2, as one without a cache reports it.
    compare('full check on main --cache-dir vs --no-cache',
      run('full check on main --no-cache', [...CHECK, '--no-cache']),
      run('full check on main --cache-dir', [...CHECK, '--cache-dir', d2]));

    git('checkout', '-q', '-b', 'feature');
    writeEdits(repo, c.change.committed);
    commitAll('change');
    writeEdits(repo, c.change.uncommitted);

    const plain = run('PR --no-cache', [...PR, '--no-cache']);
    const cold = run('PR cold --cache-dir', [...PR, '--cache-dir', d1]);
    const warm = run('PR warm --cache-dir', [...PR, '--cache-dir', d1]);
    const nightly = run(`PR ${KEPT}`, [...PR, '--cache-dir', d2]);
    compare('PR cold --cache-dir vs --no-cache', plain, cold);
    compare('PR warm --cache-dir vs --no-cache', plain, warm);
    compare(`PR ${KEPT} vs --no-cache`, plain, nightly);

    // A full check of the feature work tree with the pack PR runs wrote.
    compare(`full check ${OWN} vs --no-cache`,
      run('full check --no-cache', [...CHECK, '--no-cache']),
      run(`full check ${OWN}`, [...CHECK, '--cache-dir', d1]));

    // Every shard in PR mode, with each of the two packs.
    const N = c.shards;
    for (let k = 1; k <= N; k++) {
      const shard = ['--shard', `${k}/${N}`];
      const none = run(`shard ${k}/${N} --no-cache`, [...PR, ...shard, '--no-cache']);
      compare(`shard ${k}/${N} ${OWN} vs --no-cache`, none, run(`shard ${k}/${N} ${OWN}`, [...PR, ...shard, '--cache-dir', d1]));
      compare(`shard ${k}/${N} ${KEPT} vs --no-cache`, none, run(`shard ${k}/${N} ${KEPT}`, [...PR, ...shard, '--cache-dir', d2]));
    }
    // One shard of a full check (no --base), which reads the pack without a change to narrow to.
    const k = 1 + (seed % N);
    const shard = ['--shard', `${k}/${N}`];
    compare(`full-check shard ${k}/${N} ${KEPT} vs --no-cache`,
      run(`full-check shard ${k}/${N} --no-cache`, [...CHECK, ...shard, '--no-cache']),
      run(`full-check shard ${k}/${N} ${KEPT}`, [...CHECK, ...shard, '--cache-dir', d2]));

    kept = opts.keep === true || (opts.keep === 'failing' && differences.length > 0);
    // Every run's output beside the repository, to study a kept case without running it again.
    if (kept) writeFileSync(path.join(dir, 'runs.json'), `${JSON.stringify(runs.map(({ args, code, signal, stdout, stderr, ms }) => ({ args, code, signal, ms: Math.round(ms), stdout, stderr })), null, 1)}\n`);
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
  return { seed, comparisons, differences, ...(kept ? { dir } : {}) };
}
