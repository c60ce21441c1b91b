// The bodies of `modguard anchors init|sync|set|rm|check`, imported only when one runs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError, type CommandContext } from './context.ts';
import { toLoadOptions } from './load-options.ts';
import { ANCHOR_LOCK_FILE, isDirectoryTarget, parseAnchorLock, suffixComment } from '../../anchors/lock.ts';
import { removeAnchor, setAnchor, writeAnchorLock, type AnchorLockData } from '../../anchors/edit.ts';
import { writeFileAtomic, ConflictError, ReadOnlyError, RefusedWrite } from '../io/atomic.ts';
import { readRegularFile } from '../io/read.ts';
import { Git, isInsideWorkTree } from '../io/git.ts';
import { parseModFile } from '../gomod/index.ts';
import type { ModFile, RequireStmt } from '../gomod/types.ts';
import type { ModGraph, Repository } from '../engine/types.ts';
import { compareVersions, isValidVersion } from '../version/index.ts';
import { adjacency, selectVersions } from '../graph/select.ts';
import { unifiedDiff } from '../fix/diff.ts';

interface WhereOptions { root?: string; anchors?: string }
interface LoadOptions extends WhereOptions { config?: string; graphFile?: string; go?: boolean }

/** resolveRoot picks the repository root as `check` does: --root, else the git top level, else cwd. */
async function resolveRoot(opts: WhereOptions, ctx: CommandContext): Promise<string> {
  if (opts.root !== undefined) return path.resolve(ctx.cwd, opts.root);
  if (await isInsideWorkTree(ctx.cwd, ctx.env)) {
    try {
      const top = (await new Git(ctx.cwd, ctx.env).raw(['rev-parse', '--show-toplevel'])).trim();
      if (top) return top;
    } catch { /* fall back to the current directory */ }
  }
  return ctx.cwd;
}

interface LockLocation {
  root: string; abs: string; rel: string;
  /** Where a symbolic link at the lock may lead: the root, unless the lock was named (--anchors). */
  within?: string;
}

async function locateLock(opts: WhereOptions, ctx: CommandContext): Promise<LockLocation> {
  const root = await resolveRoot(opts, ctx);
  const abs = opts.anchors !== undefined ? path.resolve(ctx.cwd, opts.anchors) : path.join(root, ANCHOR_LOCK_FILE);
  const rel = path.relative(root, abs);
  const display = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  return { root, abs, rel: display, ...(opts.anchors === undefined ? { within: root } : {}) };
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return readRegularFile(file).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

async function loadRepo(opts: LoadOptions, ctx: CommandContext): Promise<Repository> {
  const { loadRepository } = await import('../engine/load.ts');
  return loadRepository(toLoadOptions(opts, ctx));
}

/** writeLock writes anchor.lock atomically, refusing when it changed since `before` was read. */
async function writeLock(loc: LockLocation, before: string | null, after: string, ctx: CommandContext): Promise<boolean> {
  try {
    await writeFileAtomic(loc.abs, after, { expected: before, ...(loc.within !== undefined ? { within: loc.within } : {}) });
    return true;
  } catch (e) {
    if (e instanceof ConflictError) {
      ctx.stderr.write(`modguard anchors: ${loc.rel} changed while it was being edited; nothing written, run the command again\n`);
      return false;
    }
    if (e instanceof ReadOnlyError) throw new UsageError(`${loc.rel} is read-only; nothing written (make it writable to edit it)`);
    if (e instanceof RefusedWrite) throw new UsageError(`${loc.rel}: ${e.message.slice(e.file.length + 2)}`);
    throw e;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** hasAnchorWord reports whether a go.mod requirement is marked `// anchor` (e.g. `// indirect, anchor`). */
export function hasAnchorWord(req: RequireStmt): boolean {
  return suffixComment(req.syntax.comments).split(/[\s,;]+/).includes('anchor');
}

// ---- init ----

export interface InitOptions extends LoadOptions { minModules?: string; strategy?: string; dryRun?: boolean; force?: boolean }

/** proposeAnchors computes the lock `anchors init` writes, from the versions the modules use. */
export function proposeAnchors(repo: Repository, opts: { minModules: number; strategy: 'most-used' | 'highest' }): AnchorLockData {
  const uses = new Map<string, Map<string, Set<string>>>();
  // A module the current lock bans outright is not a candidate, whatever its use.
  const banned = new Set((repo.anchors?.bans ?? []).filter((b) => b.version === undefined).map((b) => b.path));
  const goLines = new Map<string, number>();
  let parsed = 0;
  for (const module of repo.modules) {
    if (!module.mod) continue;
    parsed++;
    if (module.mod.go) goLines.set(module.mod.go.version, (goLines.get(module.mod.go.version) ?? 0) + 1);
    const selected = module.graph ? selectVersions(module.graph) : undefined;
    for (const req of module.mod.require) {
      const dep = req.mod.path;
      // Sibling modules move with the repository itself; pinning them would fight local replaces.
      if (repo.modulesByPath.has(dep) || banned.has(dep)) continue;
      const version = selected?.get(dep) ?? req.mod.version;
      if (!isValidVersion(version)) continue;
      let byVersion = uses.get(dep);
      if (!byVersion) uses.set(dep, (byVersion = new Map()));
      let dirs = byVersion.get(version);
      if (!dirs) byVersion.set(version, (dirs = new Set()));
      dirs.add(module.dir);
    }
  }
  const anchors: AnchorLockData['anchors'] = [];
  for (const [dep, byVersion] of [...uses].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const all = new Set<string>();
    for (const dirs of byVersion.values()) for (const d of dirs) all.add(d);
    if (all.size < opts.minModules) continue;
    let best: [string, Set<string>] | undefined;
    for (const entry of byVersion) {
      if (!best) { best = entry; continue; }
      const higher = compareVersions(entry[0], best[0]) > 0;
      if (opts.strategy === 'highest' ? higher : entry[1].size > best[1].size || (entry[1].size === best[1].size && higher)) best = entry;
    }
    const [version, dirs] = best!;
    const comment = byVersion.size === 1
      ? `used by ${plural(all.size, 'module')}`
      : `used by ${plural(all.size, 'module')}, ${dirs.size} at this version (${byVersion.size} versions in use)`;
    anchors.push({ path: dep, version, comment });
  }
  let go: string | undefined;
  let goCount = 0;
  for (const [v, n] of goLines) if (n > goCount) { go = v; goCount = n; }
  return {
    header: [
      'Versions every module in this repository must use (see anchors/README.md).',
      `Proposed by modguard anchors init from ${plural(parsed, 'module')}: dependencies used by at least ${opts.minModules}, ` +
        (opts.strategy === 'highest' ? 'at the highest version in use.' : 'at the version most modules use.'),
    ],
    ...(go ? { go } : {}),
    anchors,
  };
}

export async function runAnchorsInit(opts: InitOptions, ctx: CommandContext): Promise<number> {
  const minModules = Number(opts.minModules ?? '2');
  if (!Number.isInteger(minModules) || minModules < 1) throw new UsageError(`--min-modules ${opts.minModules}: expected a whole number of at least 1`);
  const strategy = opts.strategy ?? 'most-used';
  if (strategy !== 'most-used' && strategy !== 'highest') throw new UsageError(`--strategy ${strategy}: expected most-used or highest`);
  const loc = await locateLock(opts, ctx);
  const repo = await loadRepo(opts, ctx);
  const proposal = proposeAnchors(repo, { minModules, strategy });
  // Replacing a lock keeps the decisions init cannot infer: allowed replaces and bans.
  const current = repo.anchors;
  if (current) {
    proposal.allowReplace = current.allowReplace.map((r) => ({
      path: r.path, ...(r.target ? { target: r.target } : {}), comment: suffixComment(r.syntax.comments),
    }));
    proposal.bans = current.bans.map((b) => ({ path: b.path, ...(b.version ? { version: b.version } : {}), reason: b.reason }));
    if (current.toolchain) proposal.toolchain = current.toolchain.name;
  }
  const text = writeAnchorLock(proposal);
  const count = proposal.anchors.length;
  if (opts.dryRun) {
    ctx.stdout.write(text);
    return 0;
  }
  const before = await readOptional(loc.abs);
  if (before !== null && !opts.force) {
    throw new UsageError(`${loc.rel} exists: edit it with modguard anchors set/rm/sync, or replace it with --force (--dry-run shows the proposal)`);
  }
  if (!(await writeLock(loc, before, text, ctx))) return 1;
  ctx.stdout.write(`wrote ${loc.rel} with ${plural(count, 'anchor')}\n`);
  return 0;
}

// ---- sync ----

export interface SyncOptions extends LoadOptions { dryRun?: boolean }

/** derivedPins returns, for the anchored modules, the versions the root graph selects in their dependency trees. */
export function derivedPins(graph: ModGraph, anchored: Map<string, string>, rootMod: ModFile, exclude: Set<string>): Map<string, { version: string; from: string[] }> {
  const replace = rootMod.replace.map((r) => ({ old: r.old, new: r.new }));
  const selected = selectVersions(graph, { replace });
  const { offsets, targets } = adjacency(graph);
  const out = new Map<string, { version: string; from: string[] }>();
  for (const [anchorPath, anchorVersion] of anchored) {
    // Walk from the version the root builds; the declared one is the fallback for a partial graph.
    const start = graph.nodes.findIndex((n) => n.path === anchorPath && n.version === (selected.get(anchorPath) ?? anchorVersion));
    const first = start >= 0 ? start : graph.nodes.findIndex((n) => n.path === anchorPath && n.version === anchorVersion);
    if (first < 0) continue;
    const seen = new Uint8Array(graph.nodes.length);
    const queue = [first];
    seen[first] = 1;
    while (queue.length) {
      const v = queue.pop()!;
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
        const w = targets[e]!;
        if (seen[w]) continue;
        seen[w] = 1;
        queue.push(w);
        const node = graph.nodes[w]!;
        if (node.kind || node.version === '' || anchored.has(node.path) || exclude.has(node.path)) continue;
        const version = selected.get(node.path);
        if (!version) continue;
        const entry = out.get(node.path);
        if (!entry) out.set(node.path, { version, from: [anchorPath] });
        else if (!entry.from.includes(anchorPath)) entry.from.push(anchorPath);
      }
    }
  }
  return out;
}

export async function runAnchorsSync(opts: SyncOptions, ctx: CommandContext): Promise<number> {
  const loc = await locateLock(opts, ctx);
  const repo = await loadRepo(opts, ctx);
  const rootModule = repo.modules.find((m) => m.dir === '.');
  if (!rootModule) throw new UsageError(`no go.mod at the root of ${repo.root}: sync reads the requirements marked // anchor there`);
  if (!rootModule.mod) throw new UsageError(`${rootModule.goModFile} does not parse; fix it first (modguard check shows where)`);
  const before = await readOptional(loc.abs);
  const lock = parseAnchorLock(before ?? '', loc.rel);
  if (lock.errors.length) {
    for (const e of lock.errors) ctx.stderr.write(`${e.file}:${e.line}:${e.column ? `${e.column}:` : ''} ${e.message}\n`);
    throw new UsageError(`${loc.rel} has errors; fix them before syncing`);
  }
  const marked = new Map<string, string>();
  for (const req of rootModule.mod.require) if (hasAnchorWord(req)) marked.set(req.mod.path, req.mod.version);
  let text = before ?? '';
  let added = 0;
  let moved = 0;
  for (const [p, v] of marked) {
    const existing = lock.anchors.get(p);
    if (existing?.version === v) continue;
    try {
      text = setAnchor(text, loc.rel, p, v, existing ? undefined : `anchored in ${rootModule.goModFile}`);
    } catch (e) {
      const req = rootModule.mod.require.find((r) => r.mod.path === p && r.mod.version === v);
      throw new UsageError(`${rootModule.goModFile}:${req?.syntax.start.line ?? 1}: ${p} ${v} is marked anchor, but ${loc.rel} cannot pin it: ${(e as Error).message}`);
    }
    if (existing) moved++; else added++;
  }
  let derived = 0;
  if (rootModule.graph && marked.size) {
    const siblings = new Set(repo.modulesByPath.keys());
    const pins = derivedPins(rootModule.graph, marked, rootModule.mod, siblings);
    for (const [p, { version, from }] of [...pins].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const existing = lock.anchors.get(p);
      // A pin someone wrote by hand is a decision; only pins this command derived are ours to move.
      if (existing && !existing.comment.startsWith('derived from')) continue;
      const reason = `derived from ${from.sort().join(', ')}`;
      if (existing && existing.version === version && existing.comment === reason) continue;
      text = setAnchor(text, loc.rel, p, version, reason);
      derived++;
    }
  } else if (!rootModule.graph && (opts.graphFile !== undefined || opts.go)) {
    ctx.stderr.write(`modguard anchors: no module graph for ${rootModule.goModFile}; only the marked requirements were synced\n`);
  }
  const summary = `${plural(marked.size, 'requirement')} marked anchor in ${rootModule.goModFile}: ${added} added, ${moved} moved` +
    (rootModule.graph ? `; ${derived} derived pins written` : '');
  if (text === (before ?? '')) {
    ctx.stdout.write(`${loc.rel} is up to date (${summary})\n`);
    return 0;
  }
  if (opts.dryRun) {
    ctx.stdout.write(unifiedDiff(loc.rel, before ?? '', text));
    ctx.stdout.write(`${summary}; nothing was written (--dry-run)\n`);
    return 0;
  }
  if (!(await writeLock(loc, before, text, ctx))) return 1;
  ctx.stdout.write(`updated ${loc.rel}: ${summary}\n`);
  return 0;
}

// ---- set / rm ----

export interface SetOptions extends WhereOptions { reason?: string }

export async function runAnchorsSet(spec: string, opts: SetOptions, ctx: CommandContext): Promise<number> {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) throw new UsageError(`${spec}: expected module@version, e.g. google.golang.org/grpc@v1.64.0`);
  const modulePath = spec.slice(0, at);
  const version = spec.slice(at + 1);
  const loc = await locateLock(opts, ctx);
  const before = await readOptional(loc.abs);
  const previous = parseAnchorLock(before ?? '', loc.rel).anchors.get(modulePath);
  let after: string;
  try {
    after = setAnchor(before ?? '', loc.rel, modulePath, version, opts.reason);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (after === before) {
    ctx.stdout.write(`${modulePath} is already pinned at ${version} in ${loc.rel}\n`);
    return 0;
  }
  if (!(await writeLock(loc, before, after, ctx))) return 1;
  ctx.stdout.write(previous && previous.version !== version
    ? `moved ${modulePath} from ${previous.version} to ${version} in ${loc.rel}\n`
    : `pinned ${modulePath} at ${version} in ${loc.rel}\n`);
  return 0;
}

export async function runAnchorsRm(modulePath: string, opts: WhereOptions, ctx: CommandContext): Promise<number> {
  const loc = await locateLock(opts, ctx);
  const before = await readOptional(loc.abs);
  if (before === null) throw new UsageError(`${loc.rel} does not exist`);
  let after: string;
  try {
    after = removeAnchor(before, loc.rel, modulePath);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (after === before) throw new UsageError(`${modulePath} is not anchored in ${loc.rel}`);
  if (!(await writeLock(loc, before, after, ctx))) return 1;
  ctx.stdout.write(`removed the pin of ${modulePath} from ${loc.rel}\n`);
  return 0;
}

// ---- check ----

export interface AnchorProblem { file: string; line: number; column: number; severity: 'error' | 'warning'; message: string }

/**
 * checkAnchorLock validates an anchor.lock beyond its syntax: allow-replace directory targets must
 * exist, and requirements the root go.mod marks `// anchor` must agree with the lock.
 */
export async function checkAnchorLock(root: string, lockRel: string, lockAbs: string, text: string): Promise<AnchorProblem[]> {
  const lock = parseAnchorLock(text, lockRel);
  const problems: AnchorProblem[] = lock.errors.map((e) => ({ ...e, severity: 'error' as const }));
  const lockDir = path.dirname(lockAbs);
  for (const allow of lock.allowReplace) {
    const target = allow.target;
    if (!target || !isDirectoryTarget(target.path)) continue;
    const abs = path.resolve(lockDir, target.path);
    let ok = false;
    try { ok = (await fs.stat(abs)).isDirectory(); } catch { ok = false; }
    if (!ok) {
      problems.push({ file: lockRel, line: allow.line, column: allow.column, severity: 'error',
        message: `allow-replace target ${target.path} is not a directory (looked for ${path.relative(root, abs) || '.'} relative to ${lockRel}); fix the path or remove the line` });
    }
  }
  const rootGoMod = await readOptional(path.join(root, 'go.mod'));
  if (rootGoMod !== null) {
    const parsed = parseModFile(rootGoMod, 'go.mod');
    for (const req of parsed.value?.require ?? []) {
      if (!hasAnchorWord(req)) continue;
      const pin = lock.anchors.get(req.mod.path);
      const pos = { file: 'go.mod', line: req.syntax.start.line, column: Math.max(1, req.syntax.start.column) };
      if (!pin) {
        problems.push({ ...pos, severity: 'warning', message: `${req.mod.path} ${req.mod.version} is marked anchor in go.mod but not pinned in ${lockRel}; run modguard anchors sync` });
      } else if (pin.version !== req.mod.version) {
        problems.push({ ...pos, severity: 'error',
          message: `${req.mod.path} is marked anchor at ${req.mod.version} in go.mod but ${lockRel}:${pin.line} pins ${pin.version}; run modguard anchors sync (go.mod wins) or change go.mod` });
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return problems;
}

export async function runAnchorsCheck(opts: WhereOptions, ctx: CommandContext): Promise<number> {
  const loc = await locateLock(opts, ctx);
  const text = await readOptional(loc.abs);
  if (text === null) throw new UsageError(`${loc.rel} does not exist: create one with modguard anchors init`);
  const problems = await checkAnchorLock(loc.root, loc.rel, loc.abs, text);
  for (const p of problems) ctx.stdout.write(`${p.file}:${p.line}:${p.column ? `${p.column}:` : ''} ${p.severity}: ${p.message}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const lock = parseAnchorLock(text, loc.rel);
  if (errors === 0) {
    ctx.stdout.write(`${loc.rel}: ok (${plural(lock.anchors.size, 'anchor')}, ${plural(lock.allowReplace.length, 'allow-replace')}, ${plural(lock.bans.length, 'ban')})\n`);
    return 0;
  }
  ctx.stdout.write(`${loc.rel}: ${plural(errors, 'error')}\n`);
  return 1;
}
