// The in-repository module graph: which modules of the monorepo build against which others. PR mode
// uses it to find the modules a change affects (the changed ones and everything depending on them).
import { posix } from 'node:path';
import type { ModuleInfo, Repository, WorkInfo } from '../engine/types.ts';
import type { ModFile, ModuleVersion } from '../gomod/types.ts';
import { stronglyConnected } from './build.ts';

export interface RepoGraph {
  /** Module dir → dirs of the sibling modules it depends on. Every module dir is a key. */
  dependsOn: Map<string, Set<string>>;
  /** Module dir → dirs of the sibling modules that depend on it (each once, in module order). Every module dir is a key. */
  dependents: Map<string, readonly string[]>;
  /** Groups of module dirs that depend on each other in a cycle (sorted). */
  cycles: string[][];
  /** go.work dir → the module dirs it uses. */
  workspaces: Map<string, string[]>;
}

/**
 * enclosingWorkFile is the go.work the go command finds for a module directory: the nearest at or
 * above it (the repository's own only; one above the root is not read).
 */
export function enclosingWorkFile(workFiles: readonly WorkInfo[], dir: string): WorkInfo | undefined {
  let best: WorkInfo | undefined;
  for (const w of workFiles) {
    const above = w.dir === '.' || w.dir === dir || dir.startsWith(`${w.dir}/`);
    if (above && (!best || w.dir.length > best.dir.length)) best = w;
  }
  return best;
}

/** isDirectoryTarget reports whether a replace target is a directory, as x/mod decides it. */
export function isDirectoryTarget(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path === '.' || path === '..' ||
    path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('.\\') || path.startsWith('..\\');
}

/**
 * resolveDir joins a directory reference to a module dir, POSIX, relative to the root ('.' for it);
 * an absolute reference stays absolute.
 */
export function resolveDir(fromDir: string, target: string): string {
  const t = target.includes('\\') ? target.replace(/\\/g, '/') : target;
  // An absolute target (`/x`, `C:/x`) names a directory of the machine, never one of the
  // repository: it stays absolute, so it matches no module dir.
  if (isAbsoluteTarget(t)) {
    const normalized = posix.normalize(t);
    return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
  }
  return resolveUsual(fromDir, t) ?? (posix.normalize(posix.join(fromDir, t)).replace(/\/$/, '') || '.');
}

/** isAbsoluteTarget tells an absolute directory reference (slashes already forward): `/x`, `C:/x`. */
function isAbsoluteTarget(t: string): boolean {
  if (t.charCodeAt(0) === 0x2f) return true;
  if (t.length < 3 || t.charCodeAt(1) !== 0x3a || t.charCodeAt(2) !== 0x2f) return false;
  const c = t.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * resolveUsual is resolveDir for the shape nearly every sibling replace has, `../../libs/x` from a
 * normalized module dir inside the root: some `../`, then plain names. It climbs by cutting the
 * dir at its slashes, with no array per call (a monorepo of ten thousand modules has hundreds of
 * thousands of these). Any other shape (`.` or empty parts, climbing above the root, absolute
 * paths) gives undefined, for the general code.
 */
function resolveUsual(fromDir: string, t: string): string | undefined {
  const p = prepared(fromDir);
  const from = p.from;
  const i = leadingUps(t);
  const headLen = usualHead(p, t, i);
  if (headLen < 0) return undefined;
  const rest = i === 0 ? t : t.slice(i);
  const out = headLen === 0 ? rest : rest === '' ? from.slice(0, headLen) : `${from.slice(0, headLen)}/${rest}`;
  return out === '' ? '.' : out;
}

/**
 * DirResolver resolves the directory references of go.mod files (replacement paths) one module
 * after another, as resolveDir does. A monorepo's references repeat: the modules at one depth
 * replace the same siblings by the same text (`../../../libs/x`), which lands on the same
 * directory whenever the part of the module's dir the reference keeps is the same (the root, for
 * most). So each reference text is read once (its `../` run, the names after it), and the
 * directory it gave last is kept with the head it was joined to: a module with the same head gets
 * it with no path built and no character compared (a monorepo of ten thousand modules has some
 * 800,000 replaces, each resolved by the module graph and by replace-directive).
 */
export class DirResolver {
  private readonly known = new Map<string, Reference>();

  /** resolve is resolveDir(fromDir, target). */
  resolve(fromDir: string, target: string): string {
    return this.joined(fromDir, target, this.reference(target));
  }

  /** resolveDirectory is resolve(fromDir, target) for a directory reference (isDirectoryTarget), else undefined. */
  resolveDirectory(fromDir: string, target: string): string | undefined {
    const r = this.reference(target);
    return r.directory ? this.joined(fromDir, target, r) : undefined;
  }

  private joined(fromDir: string, target: string, r: Reference): string {
    if (!r.usual) return resolveDir(fromDir, target);
    const head = headOf(prepared(fromDir), r.k);
    if (head === undefined) return resolveDir(fromDir, target);
    if (head !== r.head) {
      r.head = head;
      r.dir = head === '' ? r.tail || '.' : r.tail === '' ? head : `${head}/${r.tail}`;
    }
    return r.dir;
  }

  private reference(target: string): Reference {
    let r = this.known.get(target);
    if (r === undefined) {
      const ups = leadingUps(target);
      const usual = !target.includes('\\') && !isAbsoluteTarget(target) && isPlainTail(target, ups);
      r = { directory: isDirectoryTarget(target), usual, k: ups / 3, tail: target.slice(ups), head: undefined, dir: '' };
      this.known.set(target, r);
    }
    return r;
  }
}

/** Reference is a reference text as DirResolver read it, with the directory it resolved to last. */
interface Reference {
  directory: boolean;
  /** Of the usual shape: a `../` run, then plain names (see resolveUsual). */
  usual: boolean;
  /** How many names the `../` run climbs. */
  k: number;
  /** The reference after its `../` run. */
  tail: string;
  /** The head (see headOf) it was last joined to, and the directory that gave. */
  head: string | undefined;
  dir: string;
}

/** headOf is the part of a plain prepared dir kept climbing k names ('' for the root), undefined when the dir is not plain or it climbs above the root. */
function headOf(p: PreparedDir, k: number): string | undefined {
  if (!p.plain) return undefined;
  let head = p.headTexts[k];
  if (head === undefined) {
    const len = p.heads[k] ?? (p.heads[k] = climb(p.from, k));
    if (len < 0) return undefined;
    head = p.headTexts[k] = p.from.slice(0, len);
  }
  return head;
}

/** leadingUps is the length of the `../` run that t starts with. */
function leadingUps(t: string): number {
  let i = 0;
  while (t.startsWith('../', i)) i += 3;
  return i;
}

/**
 * PreparedDir is a module dir made ready for resolving the references of its go.mod: whether it is
 * plain, and the lengths it keeps climbing 0, 1, 2, ... names, found when first asked for.
 */
interface PreparedDir {
  dir: string;
  /** The dir, '' for the root. */
  from: string;
  plain: boolean;
  heads: number[];
  /** The dir's first heads[k] characters, made when first asked for. */
  headTexts: string[];
}

let lastPrepared: PreparedDir | undefined;

/** prepared is the PreparedDir of dir: callers go through the replaces of one go.mod at a time, so the last one is kept. */
function prepared(dir: string): PreparedDir {
  if (lastPrepared?.dir !== dir) {
    const from = dir === '.' ? '' : dir;
    lastPrepared = { dir, from, plain: isPlainTail(from, 0), heads: [], headTexts: [] };
  }
  return lastPrepared;
}

/**
 * usualHead is, for a reference t of the usual shape (its `../` run is the first `ups` characters,
 * then plain names, not absolute) from the plain dir p, the length of the part of p's dir the
 * reference keeps; -1 for any other shape or a reference climbing above the root.
 */
function usualHead(p: PreparedDir, t: string, ups: number): number {
  if (!p.plain || isAbsoluteTarget(t) || !isPlainTail(t, ups)) return -1;
  const k = ups / 3;
  return p.heads[k] ?? (p.heads[k] = climb(p.from, k));
}

/** isPlainTail tells whether s from `at` is empty or names joined by single slashes, none starting with a dot. */
function isPlainTail(s: string, at: number): boolean {
  if (at >= s.length) return true;
  const c = s.charCodeAt(at);
  if (c === 0x2e || c === 0x2f || s.charCodeAt(s.length - 1) === 0x2f) return false;
  return s.indexOf('//', at) < 0 && s.indexOf('/.', at) < 0;
}

/** climb is the length of the plain dir `from` (root: '') once `ups` names are cut off its end, or -1 above the root. */
function climb(from: string, ups: number): number {
  let len = from.length;
  for (; ups > 0; ups--) {
    if (len === 0) return -1;
    const k = from.lastIndexOf('/', len - 1);
    len = k < 0 ? 0 : k;
  }
  return len;
}

/**
 * buildRepoGraph links modules by (1) requirements of another module's path, (2) replace directives
 * pointing at another module's directory, (3) go.work `use`: inside a workspace a requirement of a
 * member's path resolves to that member, even when another go.mod elsewhere declares the same path.
 */
export function buildRepoGraph(repo: Repository): RepoGraph {
  // PR mode asks for the graph of one repository several times (focus at load, the check, the
  // module-cycle rule), through copies of the Repository object that share its module list.
  return cachedGraph(repo, () => computeRepoGraph(repo));
}

const graphCache = new WeakMap<readonly ModuleInfo[], { workFiles: Repository['workFiles']; modulesByPath: Repository['modulesByPath']; graph: RepoGraph }>();

/** cachedGraph is the graph kept for repo's module list, or make()'s, kept for it. */
function cachedGraph(repo: Repository, make: () => RepoGraph): RepoGraph {
  const cached = graphCache.get(repo.modules);
  if (cached && cached.workFiles === repo.workFiles && cached.modulesByPath === repo.modulesByPath) return cached.graph;
  const graph = make();
  graphCache.set(repo.modules, { workFiles: repo.workFiles, modulesByPath: repo.modulesByPath, graph });
  return graph;
}

/**
 * graphShape is what a repository's module graph depends on besides each go.mod's own requirements
 * and replaces: the module dirs in order with their module paths (and whether they parsed), and the
 * go.work files. Two repositories of one shape link a go.mod with the same content the same way.
 */
export function graphShape(repo: Repository): string {
  const parts: string[] = [];
  for (const m of repo.modules) parts.push(`${m.dir}\u0000${m.modulePath}\u0000${m.mod ? 1 : 0}`);
  for (const w of repo.workFiles) parts.push(`\u0001${w.file}\u0000${w.text}`);
  return parts.join('\n');
}

/**
 * KnownLinks are module graph links kept from an earlier run (a facts pack): module dirs by number,
 * the numbers each depends on, and the dirs whose links are valid for this repository (its go.mod
 * unchanged, in a repository of the same shape) with their numbers.
 */
export interface KnownLinks {
  dirs: readonly string[];
  /** The links of dir i are the numbers targets[start[i]] to targets[start[i + 1] - 1]. */
  start: ArrayLike<number>;
  targets: ArrayLike<number>;
  valid: ReadonlyMap<string, number>;
}

/** UNMADE stands for a set PackedLinks has not made yet. */
const UNMADE: Set<string> = new Set();

/**
 * PackedLinks is a graph's dependsOn whose known links stay numbers until a set is asked for: ten
 * thousand modules have hundreds of thousands of sibling links, and PR mode reads the sets of a
 * few. Every module dir is a key, as in any dependsOn; a set, once made, is the same object
 * on every read. `affected` finds dependents on the numbers, without making the sets.
 */
export class PackedLinks extends Map<string, Set<string>> {
  private readonly known: KnownLinks;

  /** The sets given for some dirs, which stand for them whatever the known links say. */
  private readonly fresh: ReadonlyMap<string, Set<string>>;

  constructor(order: readonly string[], known: KnownLinks, fresh: ReadonlyMap<string, Set<string>>) {
    super();
    this.known = known;
    this.fresh = fresh;
    for (const dir of order) super.set(dir, fresh.get(dir) ?? (known.valid.has(dir) ? UNMADE : new Set()));
  }

  override get(dir: string): Set<string> | undefined {
    const v = super.get(dir);
    if (v !== UNMADE) return v;
    const { dirs, start, targets } = this.known;
    const i = this.known.valid.get(dir)!;
    const made = new Set<string>();
    for (let k = start[i]!; k < start[i + 1]!; k++) made.add(dirs[targets[k]!]!);
    super.set(dir, made);
    return made;
  }

  override *entries(): MapIterator<[string, Set<string>]> {
    for (const dir of super.keys()) yield [dir, this.get(dir)!];
  }

  override *values(): MapIterator<Set<string>> {
    for (const dir of super.keys()) yield this.get(dir)!;
  }

  override [Symbol.iterator](): MapIterator<[string, Set<string>]> {
    return this.entries();
  }

  override forEach(fn: (value: Set<string>, key: string, map: Map<string, Set<string>>) => void, thisArg?: unknown): void {
    for (const [dir, tos] of this.entries()) fn.call(thisArg, tos, dir, this);
  }

  /**
   * affected is affectedModules on the numbers: the given dirs and, transitively, every module
   * depending on one of them (sorted). Plain loops, no callback per link: hundreds of thousands of
   * links are read while the code is still cold.
   */
  affected(changed: Iterable<string>): string[] {
    const { order, position, at, numberOf } = this.numbering();
    const n = order.length;
    const { start: first, targets } = this.known;
    const out = new Set<string>();
    const seen = new Uint8Array(n);
    const queue: number[] = [];
    for (const dir of changed) {
      out.add(dir);
      const p = position.get(dir);
      if (p !== undefined && !seen[p]) { seen[p] = 1; queue.push(p); }
    }
    // Forward scans, on the links where they lie (no pass to copy them first): a change to
    // modules few others depend on settles in one or two.
    for (let pass = 0; pass < 2; pass++) {
      let grew = false;
      for (let p = 0; p < n; p++) {
        if (seen[p]) continue;
        const idx = numberOf[p]!;
        let hit = false;
        if (idx >= 0) {
          for (let k = first[idx]!, end = first[idx + 1]!; k < end && !hit; k++) {
            const q = at[targets[k]!]!;
            hit = q >= 0 && seen[q] === 1;
          }
        } else {
          for (const to of super.get(order[p]!)!) {
            const q = position.get(to);
            if (q !== undefined && seen[q]) { hit = true; break; }
          }
        }
        if (hit) { seen[p] = 1; queue.push(p); out.add(order[p]!); grew = true; }
      }
      if (!grew) return [...out].sort();
    }
    // Still growing: the links turned around, walked from every module reached so far.
    const { start, from } = this.inverse();
    for (let i = 0; i < queue.length; i++) {
      const q = queue[i]!;
      for (let k = start[q]!; k < start[q + 1]!; k++) {
        const p = from[k]!;
        if (!seen[p]) { seen[p] = 1; queue.push(p); out.add(order[p]!); }
      }
    }
    return [...out].sort();
  }

  /**
   * positions gives every module's links as positions in one array, in key order: module p's are
   * links[row[p]] to links[row[p + 1] - 1], as numbers where they are kept so and through the sets
   * made or given. Links to a dir that is not a key are left out (such a dir has no links).
   */
  positions(): { order: string[]; row: Int32Array; links: Int32Array } {
    if (this.madePositions) return this.madePositions;
    const { order, position, at, numberOf } = this.numbering();
    const n = order.length;
    const { start: first, targets } = this.known;
    const row = new Int32Array(n + 1);
    let size = 0;
    for (let p = 0; p < n; p++) {
      const idx = numberOf[p]!;
      size += idx >= 0 ? first[idx + 1]! - first[idx]! : super.get(order[p]!)!.size;
    }
    const links = new Int32Array(size);
    let m = 0;
    for (let p = 0; p < n; p++) {
      row[p] = m;
      const idx = numberOf[p]!;
      if (idx >= 0) {
        for (let k = first[idx]!, end = first[idx + 1]!; k < end; k++) {
          const q = at[targets[k]!]!;
          if (q >= 0) links[m++] = q;
        }
      } else {
        for (const to of super.get(order[p]!)!) {
          const q = position.get(to);
          if (q !== undefined) links[m++] = q;
        }
      }
    }
    row[n] = m;
    return (this.madePositions = { order, row, links });
  }

  private madePositions: { order: string[]; row: Int32Array; links: Int32Array } | undefined;

  /**
   * numbering gives the keys in order with their positions, the position of each known module
   * number (-1: a dir no longer among the modules), and each key's known number (its links read as
   * numbers), or -1 (its links are a set of dirs: one given, which get() reads too).
   */
  private numbering(): { order: string[]; position: Map<string, number>; at: Int32Array; numberOf: Int32Array } {
    const order = [...super.keys()];
    const n = order.length;
    const position = new Map<string, number>();
    for (let p = 0; p < n; p++) position.set(order[p]!, p);
    const { dirs, valid } = this.known;
    const at = new Int32Array(dirs.length);
    for (let j = 0; j < dirs.length; j++) at[j] = position.get(dirs[j]!) ?? -1;
    const numberOf = new Int32Array(n);
    for (let p = 0; p < n; p++) numberOf[p] = this.fresh.has(order[p]!) ? -1 : valid.get(order[p]!) ?? -1;
    return { order, position, at, numberOf };
  }

  /** inverse is positions() turned around: the modules linking to module q are from[start[q]] to from[start[q + 1] - 1], in key order. */
  private inverse(): { start: Int32Array; from: Int32Array } {
    const { order, row, links } = this.positions();
    const n = order.length;
    const m = row[n]!;
    const start = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) start[links[k]! + 1]!++;
    for (let q = 0; q < n; q++) start[q + 1]! += start[q]!;
    const from = new Int32Array(m);
    const fill = start.slice(0, n);
    for (let p = 0; p < n; p++) for (let k = row[p]!, end = row[p + 1]!; k < end; k++) from[fill[links[k]!]!++] = p;
    return { start, from };
  }

  /** dependents is invert(this) on the numbers: dir -> the dirs linking to it, in key order, with no set made. */
  dependents(): Map<string, string[]> {
    const { order } = this.positions();
    const { start, from } = this.inverse();
    const out = new Map<string, string[]>();
    for (let q = 0; q < order.length; q++) {
      const list: string[] = [];
      for (let k = start[q]!; k < start[q + 1]!; k++) list.push(order[from[k]!]!);
      out.set(order[q]!, list);
    }
    return out;
  }

  /** cycles is stronglyConnected(this) on the numbers (the same groups, sorted alike), with no set made. */
  cycles(): string[][] {
    const { order, row, links } = this.positions();
    return stronglyConnectedNumbers(order.length, row, links).map((members) => members.map((p) => order[p]!).sort())
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  }

  /** linksOf is what get(dir) holds, read without making a set when it is not made yet. */
  linksOf(dir: string): Iterable<string> {
    const v = super.get(dir);
    if (v !== UNMADE) return v ?? [];
    const { dirs, start, targets } = this.known;
    const i = this.known.valid.get(dir)!;
    const out: string[] = [];
    for (let k = start[i]!; k < start[i + 1]!; k++) out.push(dirs[targets[k]!]!);
    return out;
  }
}

/**
 * stronglyConnectedNumbers is stronglyConnected over nodes 0..n-1 whose links are links[row[p]] to
 * links[row[p + 1] - 1]: the groups of two or more nodes that reach each other, or of one with a
 * link to itself. Iterative Tarjan on typed arrays.
 */
export function stronglyConnectedNumbers(n: number, row: ArrayLike<number>, links: ArrayLike<number>): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  // The depth-first path: each node on it and the next of its links to follow.
  const path = new Int32Array(n);
  const nextLink = new Int32Array(n);
  const out: number[][] = [];
  let counter = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let depth = 0;
    path[0] = s;
    nextLink[0] = row[s]!;
    index[s] = low[s] = counter++;
    stack[top++] = s;
    onStack[s] = 1;
    while (depth >= 0) {
      const v = path[depth]!;
      const k = nextLink[depth]!;
      if (k < row[v + 1]!) {
        nextLink[depth] = k + 1;
        const w = links[k]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[top++] = w;
          onStack[w] = 1;
          depth++;
          path[depth] = w;
          nextLink[depth] = row[w]!;
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = path[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack[--top]!;
        onStack[member] = 0;
        component.push(member);
      } while (member !== v);
      let selfLink = false;
      if (component.length === 1) for (let j = row[v]!; j < row[v + 1]! && !selfLink; j++) selfLink = links[j] === v;
      if (component.length > 1 || selfLink) out.push(component);
    }
  }
  return out;
}

/**
 * buildRepoGraphFrom makes (and keeps, as buildRepoGraph would) the graph of a repository from
 * links known for some of its modules (valid for this repository's shape), linking the others as
 * computeRepoGraph does. The known links become sets only when read.
 */
export function buildRepoGraphFrom(repo: Repository, known: KnownLinks): RepoGraph {
  return cachedGraph(repo, () => {
    const rest = new Set(repo.modules.filter((m) => !known.valid.has(m.dir)).map((m) => m.dir));
    const fresh = computeRepoGraph(repo, rest);
    const dependsOn = new PackedLinks(repo.modules.map((m) => m.dir), known, fresh.dependsOn);
    return lazyGraph(dependsOn, fresh.workspaces);
  });
}

/**
 * buildRepoGraphLike is buildRepoGraph for a repository that differs from `like` in a few go.mod
 * files (PR mode's base next to its head): when both have the same modules at the same dirs with
 * the same module paths and the same go.work files, each module whose parse is shared with `like`
 * keeps like's sibling set, and only the others are linked again. When every set comes out the
 * same, like's graph (with its dependents and cycles) is the answer. Otherwise, or when the
 * repositories differ more, the graph is computed in full, each module linked by `modOf`'s
 * statements where it gives them (a module path that names another module at the base links
 * requirements like's links leave out).
 */
export function buildRepoGraphLike(repo: Repository, like: Repository, modOf?: ModOf): RepoGraph {
  return cachedGraph(repo, () => (sameShape(repo, like) ? deriveRepoGraph(repo, like, buildRepoGraph(like)) : computeRepoGraph(repo, undefined, modOf)));
}

/**
 * ModOf gives the go.mod statements to link a module by when its `mod` lacks some (a module built
 * from facts, narrowed to what the rules compare); undefined: its `mod`.
 */
export type ModOf = (module: ModuleInfo) => ModFile | undefined;

/** sameShape tells whether two repositories have the same module dirs, module paths and go.work files. */
function sameShape(a: Repository, b: Repository): boolean {
  if (a.modules.length !== b.modules.length || a.workFiles.length !== b.workFiles.length) return false;
  if (a.modulesByPath.size !== b.modulesByPath.size) return false;
  for (let i = 0; i < a.modules.length; i++) {
    const x = a.modules[i]!;
    const y = b.modules[i]!;
    if (x.dir !== y.dir || x.modulePath !== y.modulePath || (x.mod === undefined) !== (y.mod === undefined)) return false;
  }
  for (const [path, m] of a.modulesByPath) if (b.modulesByPath.get(path)?.dir !== m.dir) return false;
  for (let i = 0; i < a.workFiles.length; i++) {
    const x = a.workFiles[i]!;
    const y = b.workFiles[i]!;
    if (x.file !== y.file || x.text !== y.text) return false;
  }
  return true;
}

function deriveRepoGraph(repo: Repository, like: Repository, prior: RepoGraph): RepoGraph {
  const changed = repo.modules.filter((m, i) => m.mod !== like.modules[i]!.mod);
  if (changed.length === 0) return prior;
  // The changed modules linked as computeRepoGraph links them, in a repository of the same shape.
  const fresh = computeRepoGraph(repo, new Set(changed.map((m) => m.dir)));
  let same = true;
  for (const m of changed) {
    const a = fresh.dependsOn.get(m.dir)!;
    const b = prior.dependsOn.get(m.dir)!;
    if (a.size !== b.size || [...a].some((d) => !b.has(d))) same = false;
  }
  if (same) return prior;
  const dependsOn = new Map<string, Set<string>>();
  for (const [dir, deps] of prior.dependsOn) dependsOn.set(dir, fresh.dependsOn.get(dir) ?? deps);
  return lazyGraph(dependsOn, prior.workspaces);
}

/**
 * computeRepoGraph links every module, or only the modules whose dirs are in `only` (the others get
 * no entry in dependsOn; for deriveRepoGraph).
 */
function computeRepoGraph(repo: Repository, only?: ReadonlySet<string>, modOf?: ModOf): RepoGraph {
  // Modules by number (their order; a dir met twice keeps its first number).
  const numberOf = new Map<string, number>();
  const dirs: string[] = [];
  for (const m of repo.modules) if (!numberOf.has(m.dir)) { numberOf.set(m.dir, dirs.length); dirs.push(m.dir); }
  const byDir = new Map<string, ModuleInfo>();
  for (const m of repo.modules) byDir.set(m.dir, m);

  const workspaces = new Map<string, string[]>();
  // For each member module, the workspace's module-path → dir map, and the paths its go.work
  // replaces (→ the dir of the replacement, undefined for another module or a dir of no module):
  // of the nearest go.work at or above the member's dir, the one the go command finds from there.
  const workspaceOf = new Map<string, Map<string, string>>();
  const workReplacesOf = new Map<string, Map<string, number>>();
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
    let replaces: Map<string, number> | undefined;
    for (const r of w.work.replace) {
      const dir = isDirectoryTarget(r.new.path) ? resolveDir(w.dir, r.new.path) : undefined;
      (replaces ??= new Map()).set(r.old.path, dir === undefined ? -1 : numberOf.get(dir) ?? -1);
    }
    for (const d of members) {
      if (workspaceOf.has(d) || enclosingWorkFile(repo.workFiles, d) !== w) continue;
      workspaceOf.set(d, byPath);
      if (replaces) workReplacesOf.set(d, replaces);
    }
  }

  // Requirement and replacement values are nearly all shared objects, one per path@version of the
  // repository (see modfile.ts), so what a path stands for here is looked up once per such object, by
  // identity, not once per line by its path: the module declaring the path (modulesByPath), its
  // dir and its number among these modules (-1 when it is not one of them).
  // One Target per path, whichever values name it.
  const known = new Map<ModuleVersion, Target>();
  const byPath = new Map<string, Target>();
  const targetOf = (mv: ModuleVersion): Target => {
    let t = known.get(mv);
    if (t === undefined) {
      t = byPath.get(mv.path);
      if (t === undefined) {
        const module = repo.modulesByPath.get(mv.path);
        t = { dir: module?.dir, number: module === undefined ? -1 : numberOf.get(module.dir) ?? -1, replacedIn: -1 };
        byPath.set(mv.path, t);
      }
      known.set(mv, t);
    }
    return t;
  };
  const resolver = new DirResolver();
  // The links, as numbers: module i's are targets[start[i]] to targets[start[i + 1] - 1], each
  // once, in the order first met (the order a set of them would keep). linked[j] === i + 1 marks
  // module j as a link of module i already.
  const start = new Int32Array(dirs.length + 1);
  let targets = new Int32Array(Math.max(16, dirs.length * 4));
  let count = 0;
  const linked = new Int32Array(dirs.length);
  const valid = new Map<string, number>();
  const link = (i: number, j: number) => {
    if (j < 0 || j === i || linked[j] === i + 1) return;
    linked[j] = i + 1;
    if (count === targets.length) {
      const bigger = new Int32Array(targets.length * 2);
      bigger.set(targets);
      targets = bigger;
    }
    targets[count++] = j;
  };

  for (let mi = 0; mi < repo.modules.length; mi++) {
    const m = repo.modules[mi]!;
    const from = m.dir;
    const i = numberOf.get(from)!;
    // A dir met twice (no repository has one) is linked for its first module.
    if (valid.has(from) || (only && !only.has(from))) continue;
    start[i] = count;
    valid.set(from, i);
    const mod = modOf?.(m) ?? m.mod;
    if (mod) {
      const ws = workspaceOf.get(from);
      // go.work's replaces win over the module's own (which the go command then ignores).
      const workReplaces = workReplacesOf.get(from);
      if (workReplaces) for (const j of workReplaces.values()) link(i, j);
      let required: Map<string, Set<string>> | undefined;
      for (const r of mod.replace) {
        if (workReplaces?.has(r.old.path)) continue;
        const dir = resolver.resolveDirectory(from, r.new.path);
        if (dir === undefined) continue;
        // A replace of one version applies to that version only: not where the module requires
        // the path at another (its own requirement stands for the version built).
        if (r.old.version !== '') {
          if (!required) {
            required = new Map();
            for (const q of mod.require) {
              let versions = required.get(q.mod.path);
              if (!versions) required.set(q.mod.path, (versions = new Set()));
              versions.add(q.mod.version);
            }
          }
          const versions = required.get(r.old.path);
          if (versions && !versions.has(r.old.version)) continue;
        }
        // Usually the target is the sibling that declares the replaced path.
        const t = targetOf(r.old);
        const j = dir === t.dir ? t.number : numberOf.get(dir) ?? -1;
        link(i, j);
        // Replaced by a directory, the path is built from there: not from the sibling declaring it,
        // even where the directory holds no module of the repository.
        t.replacedIn = mi;
      }
      for (const req of mod.require) {
        const t = targetOf(req.mod);
        if (t.replacedIn === mi || workReplaces?.has(req.mod.path)) continue;
        const inWorkspace = ws?.get(req.mod.path);
        link(i, inWorkspace !== undefined ? numberOf.get(inWorkspace) ?? -1 : t.number);
      }
    }
    start[i + 1] = count;
  }
  // Only the links of modules linked here (`valid`, the keys) are read: start[i] and start[i + 1].
  const order = only ? dirs.filter((d) => valid.has(d)) : dirs;
  return lazyGraph(new PackedLinks(order, { dirs, start, targets: targets.subarray(0, count), valid }, NO_SETS), workspaces);
}

const NO_SETS: ReadonlyMap<string, Set<string>> = new Map();

/** What a requirement's or replacement's path stands for in computeRepoGraph. */
interface Target {
  dir: string | undefined;
  number: number;
  /** The last module that replaced the path by a directory of the repository (its index), or -1. */
  replacedIn: number;
}

/**
 * lazyGraph completes a graph from its links. Dependents (PR mode, modguard modules) and cycles
 * (module-cycle, modguard modules) are made only when asked for: a full check needs the cycles
 * alone. The sets are never changed once made, so graphs may share them.
 */
function lazyGraph(dependsOn: Map<string, Set<string>>, workspaces: Map<string, string[]>): RepoGraph {
  let dependents: Map<string, readonly string[]> | undefined;
  let cycles: string[][] | undefined;
  return {
    dependsOn, workspaces,
    get dependents() { return (dependents ??= dependsOn instanceof PackedLinks ? dependsOn.dependents() : invert(dependsOn)); },
    get cycles() { return (cycles ??= dependsOn instanceof PackedLinks ? dependsOn.cycles() : stronglyConnected(dependsOn)); },
  };
}

/**
 * cyclesThrough is `graph.cycles` restricted to the cycles that hold one of `dirs` (PR mode's and a
 * shard's reported modules). Such a cycle lies within the modules both reachable from `dirs` and
 * reaching them, so only those are searched: a change to a module nothing depends on searches one.
 */
export function cyclesThrough(graph: Pick<RepoGraph, 'dependsOn'>, dirs: ReadonlySet<string>): string[][] {
  const closure = (next: (dir: string) => Iterable<string> | undefined): Set<string> => {
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const d of dirs) if (graph.dependsOn.has(d) && !seen.has(d)) { seen.add(d); queue.push(d); }
    for (let i = 0; i < queue.length; i++) {
      for (const to of next(queue[i]!) ?? []) if (!seen.has(to)) { seen.add(to); queue.push(to); }
    }
    return seen;
  };
  const down = closure((d) => graph.dependsOn.get(d));
  // Of those, the ones reaching `dirs`: a path from one of them to `dirs` stays among them (each of
  // its modules is reached from `dirs` through it), so only their links are turned around, not
  // every link of the repository.
  const back = new Map<string, string[]>();
  for (const d of down) {
    for (const to of graph.dependsOn.get(d) ?? []) {
      if (!down.has(to)) continue;
      const list = back.get(to);
      if (list) list.push(d);
      else back.set(to, [d]);
    }
  }
  const up = closure((d) => back.get(d));
  const within = new Map<string, Set<string>>();
  for (const d of down) {
    if (!up.has(d)) continue;
    const tos = new Set<string>();
    for (const to of graph.dependsOn.get(d) ?? []) if (up.has(to)) tos.add(to);
    within.set(d, tos);
  }
  return stronglyConnected(within).filter((members) => members.some((d) => dirs.has(d)));
}

/**
 * invert turns dir → dirs it depends on into dir → dirs that depend on it (every dir a key). Lists,
 * not sets: each module names a sibling once, so no dir is listed twice, and a monorepo whose
 * modules replace every sibling they use has hundreds of thousands of links.
 */
function invert(dependsOn: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const dir of dependsOn.keys()) out.set(dir, []);
  for (const [from, tos] of dependsOn) for (const to of tos) out.get(to)!.push(from);
  return out;
}

/** FORWARD_PASSES bounds affectedModules' forward scans before it turns to the inverse links. */
const FORWARD_PASSES = 3;

/** linksOf is dependsOn.get(dir) (none for a dir it lacks), read without making a set when the links are kept as numbers. */
export function linksOf(dependsOn: RepoGraph['dependsOn'], dir: string): Iterable<string> {
  return dependsOn instanceof PackedLinks ? dependsOn.linksOf(dir) : dependsOn.get(dir) ?? [];
}

/**
 * affectedModules returns the given module dirs plus every module that depends on them,
 * transitively (sorted). It scans the links forward (a module with an affected dependency is
 * affected) rather than inverting them all: a change to modules few others depend on settles in a
 * pass or two over links that are only read. When the scans keep finding more (a long chain of
 * dependents), the rest is walked on the inverse links.
 */
export function affectedModules(graph: Pick<RepoGraph, 'dependsOn' | 'dependents'>, changed: Iterable<string>): string[] {
  if (graph.dependsOn instanceof PackedLinks) return graph.dependsOn.affected(changed);
  const seen = new Set<string>(changed);
  for (let pass = 0; pass < FORWARD_PASSES; pass++) {
    let grew = false;
    for (const [from, tos] of graph.dependsOn) {
      if (seen.has(from)) continue;
      for (const to of tos) {
        if (seen.has(to)) {
          seen.add(from);
          grew = true;
          break;
        }
      }
    }
    if (!grew) return [...seen].sort();
  }
  const stack = [...seen];
  while (stack.length > 0) {
    for (const p of graph.dependents.get(stack.pop()!) ?? []) {
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return [...seen].sort();
}
