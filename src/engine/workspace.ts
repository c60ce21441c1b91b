// The replacements a module's graph file was made with. `go mod graph` run in a module of a
// workspace (a go.work at or above its directory that uses it) prints the workspace's graph, every
// used module a main module, and the go command builds it with the workspace's replacements: those
// of go.work, then those of every used module, less the paths go.work replaces itself
// (cmd/go/internal/modload makeMainModules). Outside a workspace, or with GOWORK=off, a module's
// graph is its own and so are the replacements.
import type { ModuleInfo, Repository, WorkInfo } from './types.ts';
import type { Replacement } from '../graph/select.ts';
import { mainModules } from '../graph/select.ts';
import { buildRepoGraph, enclosingWorkFile } from '../graph/repo-graph.ts';
import { modulesByDir } from './assemble.ts';

interface Workspace {
  /** The used modules, in `use` order (a directory used twice, once). */
  members: ModuleInfo[];
  dirs: ReadonlySet<string>;
  replacements: Replacement[];
}

/** Per module list (a Repository and its copies share one), the workspaces by go.work dir. */
const workspaceCache = new WeakMap<readonly ModuleInfo[], { workFiles: readonly WorkInfo[]; byDir: Map<string, Workspace | null> }>();

function workspaceOf(repo: Repository, work: WorkInfo): Workspace | undefined {
  let cached = workspaceCache.get(repo.modules);
  if (!cached || cached.workFiles !== repo.workFiles) workspaceCache.set(repo.modules, (cached = { workFiles: repo.workFiles, byDir: new Map() }));
  const known = cached.byDir.get(work.dir);
  if (known !== undefined) return known ?? undefined;
  const made = makeWorkspace(repo, work);
  cached.byDir.set(work.dir, made ?? null);
  return made;
}

function makeWorkspace(repo: Repository, work: WorkInfo): Workspace | undefined {
  if (!work.work) return undefined;
  // The module graph knows the modules each go.work uses (a directory used twice, twice).
  const byDir = modulesByDir(repo.modules);
  const dirs = new Set(buildRepoGraph(repo).workspaces.get(work.dir) ?? []);
  const members = [...dirs].map((d) => byDir.get(d)!);
  // Keyed by what is replaced (a path at one version, or at all of them): in one file the last line
  // of a key counts; between used modules the first (two that differ make the go command refuse the
  // workspace, which broken-workspace reports).
  const key = (r: Replacement) => `${r.old.path}@${r.old.version}`;
  const chosen = new Map<string, Replacement>();
  for (const r of work.work.replace) chosen.set(key(r), r);
  const settled = new Set(work.work.replace.map((r) => r.old.path));
  for (const m of members) {
    const own = new Map<string, Replacement>();
    for (const r of m.mod?.replace ?? []) if (!settled.has(r.old.path)) own.set(key(r), r);
    for (const [k, r] of own) if (!chosen.has(k)) chosen.set(k, r);
  }
  return { members, dirs, replacements: [...chosen.values()] };
}

/**
 * workspaceMembers are the modules of the workspace a module directory builds in (the nearest
 * go.work, when it uses the directory), in `use` order; undefined outside a workspace.
 */
export function workspaceMembers(repo: Repository, dir: string): readonly ModuleInfo[] | undefined {
  const work = enclosingWorkFile(repo.workFiles, dir);
  const ws = work && workspaceOf(repo, work);
  return ws && ws.dirs.has(dir) ? ws.members : undefined;
}

/** sameReplacements tells whether two lists of replace directives replace the same things the same way. */
export function sameReplacements(a: readonly Replacement[], b: readonly Replacement[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: Replacement) => `${r.old.path}@${r.old.version}\u0000${r.new.path}@${r.new.version}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

/**
 * graphReplacements are the replacements to read a module's graph with: its workspace's when the
 * graph is one of the workspace (a module of a workspace whose graph names no other main module
 * while the workspace uses others was captured outside it, with GOWORK=off), else its own.
 */
export function graphReplacements(repo: Repository, module: ModuleInfo): readonly Replacement[] {
  const own = module.mod?.replace ?? [];
  if (repo.workFiles.length === 0) return own;
  const work = enclosingWorkFile(repo.workFiles, module.dir);
  const ws = work && workspaceOf(repo, work);
  if (!ws || !ws.dirs.has(module.dir)) return own;
  if (ws.members.length > 1 && module.graph && mainModules(module.graph).length <= 1) return own;
  return ws.replacements;
}
