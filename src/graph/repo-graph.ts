// The in-repository module graph: which modules of the monorepo build against which others. PR mode
// uses it to find the modules a change affects (the changed ones and everything depending on them).
import { posix } from 'node:path';
import type { ModuleInfo, Repository } from '../engine/types.ts';
import { stronglyConnected } from './build.ts';

export interface RepoGraph {
  /** Module dir → dirs of the sibling modules it depends on. Every module dir is a key. */
  dependsOn: Map<string, Set<string>>;
  /** Module dir → dirs of the sibling modules that depend on it. Every module dir is a key. */
  dependents: Map<string, Set<string>>;
  /** Groups of module dirs that depend on each other in a cycle (sorted). */
  cycles: string[][];
  /** go.work dir → the module dirs it uses. */
  workspaces: Map<string, string[]>;
}

/** isDirectoryTarget reports whether a replace target is a directory, as x/mod decides it. */
export function isDirectoryTarget(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path === '.' || path === '..' ||
    path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('.\\') || path.startsWith('..\\');
}

/** resolveDir joins a directory reference to a module dir, POSIX, relative to the root ('.' for it). */
export function resolveDir(fromDir: string, target: string): string {
  const t = target.includes('\\') ? target.replace(/\\/g, '/') : target;
  const quick = resolveUsual(fromDir, t);
  if (quick !== undefined) return quick;
  const joined = fromDir === '' ? t : t === '' ? fromDir : `${fromDir}/${t}`;
  if (joined.charCodeAt(0) === 0x2f) {
    const normalized = posix.normalize(posix.join(fromDir, t));
    return normalized.replace(/\/$/, '') || '.';
  }
  // posix.join then posix.normalize, written out for relative paths.
  const parts: string[] = [];
  for (let start = 0; start <= joined.length;) {
    let end = joined.indexOf('/', start);
    if (end < 0) end = joined.length;
    const part = joined.slice(start, end);
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else parts.push(part);
    } else if (part !== '' && part !== '.') {
      parts.push(part);
    }
    start = end + 1;
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/**
 * resolveUsual is resolveDir for the shape nearly every sibling replace has, `../../libs/x` from a
 * normalized module dir inside the root: some `../`, then plain names. It climbs by cutting the
 * dir at its slashes, with no array per call (a monorepo of ten thousand modules has hundreds of
 * thousands of these). Any other shape (`.` or empty parts, climbing above the root, absolute
 * paths) gives undefined, for the general code.
 */
function resolveUsual(fromDir: string, t: string): string | undefined {
  let i = 0;
  let ups = 0;
  while (t.startsWith('../', i)) {
    i += 3;
    ups++;
  }
  const rest = i === 0 ? t : t.slice(i);
  if (rest.charCodeAt(0) === 0x2e || rest.charCodeAt(0) === 0x2f || rest.includes('//') || rest.includes('/.') || rest.endsWith('/')) return undefined;
  let head = fromDir === '.' ? '' : fromDir;
  if (head.charCodeAt(0) === 0x2e || head.charCodeAt(0) === 0x2f || head.includes('//') || head.includes('/.') || head.endsWith('/')) return undefined;
  for (; ups > 0; ups--) {
    if (head === '') return undefined;
    const k = head.lastIndexOf('/');
    head = k < 0 ? '' : head.slice(0, k);
  }
  const out = head === '' ? rest : rest === '' ? head : `${head}/${rest}`;
  return out === '' ? '.' : out;
}

/**
 * buildRepoGraph links modules by (1) requirements of another module's path, (2) replace directives
 * pointing at another module's directory, (3) go.work `use`: inside a workspace a requirement of a
 * member's path resolves to that member, even when another go.mod elsewhere declares the same path.
 */
export function buildRepoGraph(repo: Repository): RepoGraph {
  // PR mode asks for the graph of one repository several times (focus at load, the check, the
  // module-cycle rule), through copies of the Repository object that share its module list.
  const cached = graphCache.get(repo.modules);
  if (cached && cached.workFiles === repo.workFiles && cached.modulesByPath === repo.modulesByPath) return cached.graph;
  const graph = computeRepoGraph(repo);
  graphCache.set(repo.modules, { workFiles: repo.workFiles, modulesByPath: repo.modulesByPath, graph });
  return graph;
}

const graphCache = new WeakMap<readonly ModuleInfo[], { workFiles: Repository['workFiles']; modulesByPath: Repository['modulesByPath']; graph: RepoGraph }>();

function computeRepoGraph(repo: Repository): RepoGraph {
  const byDir = new Map<string, ModuleInfo>();
  for (const m of repo.modules) byDir.set(m.dir, m);
  const dependsOn = new Map<string, Set<string>>();
  for (const m of repo.modules) dependsOn.set(m.dir, new Set());

  const workspaces = new Map<string, string[]>();
  // For each member module, the workspace's module-path → dir map.
  const workspaceOf = new Map<string, Map<string, string>>();
  for (const w of repo.workFiles) {
    if (!w.work) continue;
    const members: string[] = [];
    const byPath = new Map<string, string>();
    for (const u of w.work.use) {
      const dir = resolveDir(w.dir, u.path);
      const m = byDir.get(dir);
      if (!m) continue;
      members.push(dir);
      if (m.modulePath && !byPath.has(m.modulePath)) byPath.set(m.modulePath, dir);
    }
    workspaces.set(w.dir, members);
    for (const d of members) if (!workspaceOf.has(d)) workspaceOf.set(d, byPath);
  }

  for (const m of repo.modules) {
    const mod = m.mod;
    if (!mod) continue;
    const from = m.dir;
    const deps = dependsOn.get(from)!;
    const ws = workspaceOf.get(from);
    let replacedPaths: Set<string> | undefined;
    for (const r of mod.replace) {
      if (!isDirectoryTarget(r.new.path)) continue;
      const dir = resolveDir(from, r.new.path);
      if (byDir.has(dir)) {
        if (dir !== from) deps.add(dir);
        (replacedPaths ??= new Set()).add(r.old.path);
      }
    }
    for (const req of mod.require) {
      if (replacedPaths?.has(req.mod.path)) continue;
      const dir = ws?.get(req.mod.path) ?? repo.modulesByPath.get(req.mod.path)?.dir;
      if (dir !== undefined && dir !== from && byDir.has(dir)) deps.add(dir);
    }
  }

  // Dependents (PR mode, modguard modules) and cycles (module-cycle, modguard modules) are made
  // only when asked for: a full check needs the cycles alone.
  let dependents: Map<string, Set<string>> | undefined;
  let cycles: string[][] | undefined;
  return {
    dependsOn, workspaces,
    get dependents() { return (dependents ??= invert(dependsOn)); },
    get cycles() { return (cycles ??= stronglyConnected(dependsOn)); },
  };
}

/** invert turns dir → dirs it depends on into dir → dirs that depend on it (every dir a key). */
function invert(dependsOn: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const dir of dependsOn.keys()) out.set(dir, new Set());
  for (const [from, tos] of dependsOn) for (const to of tos) out.get(to)!.add(from);
  return out;
}

/** affectedModules returns the given module dirs plus every module that depends on them, transitively (sorted). */
export function affectedModules(graph: Pick<RepoGraph, 'dependents'>, changed: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...changed];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    for (const p of graph.dependents.get(d) ?? []) if (!seen.has(p)) stack.push(p);
  }
  return [...seen].sort();
}
