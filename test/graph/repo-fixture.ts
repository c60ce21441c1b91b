// Hand-built repositories for graph and anchor-drift tests: typed go.mod views with just enough
// syntax (token positions) for findings to point at lines.
import type { Anchor, AnchorLock, ModGraph, ModuleInfo, Repository, WorkInfo } from '../../src/engine/types.ts';
import type { Line, ModFile, Token } from '../../src/gomod/types.ts';
import { parseModGraph } from '../../src/graph/parse.ts';

/** syntaxLine builds a line of tokens starting at column 1 (or `indent` + 1 in a block). */
export function syntaxLine(line: number, words: string[], inBlock = false): Line {
  let col = inBlock ? 2 : 1;
  let offset = 0;
  const tokens: Token[] = words.map((text) => {
    const t = { text, start: { line, column: col, offset }, end: { line, column: col + text.length, offset: offset + text.length } };
    col += text.length + 1;
    offset += text.length + 1;
    return t;
  });
  const none = { before: [], suffix: [], after: [] };
  return { kind: 'line', comments: none, start: tokens[0]!.start, tokens, inBlock, end: tokens[tokens.length - 1]!.end };
}

export interface ModuleSpec {
  dir: string;
  path: string;
  /** Requirements in a block starting on line 3: [path, version]. */
  require?: Array<[string, string]>;
  /** Replaces after the requirements: [oldPath, oldVersion, newPath, newVersion]. */
  replace?: Array<[string, string, string, string]>;
  graph?: string;
}

/** moduleInfo builds a ModuleInfo: `module` on line 1, requirements on lines 4.. inside a block. */
export function moduleInfo(spec: ModuleSpec): ModuleInfo {
  const goModFile = spec.dir === '.' ? 'go.mod' : `${spec.dir}/go.mod`;
  const mod: ModFile = {
    module: { mod: { path: spec.path, version: '' }, deprecated: '', syntax: syntaxLine(1, ['module', spec.path]) },
    godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [],
    syntax: { name: goModFile, comments: { before: [], suffix: [], after: [] }, stmts: [] },
  };
  let line = 4;
  for (const [path, version] of spec.require ?? []) {
    mod.require.push({ mod: { path, version }, indirect: false, syntax: syntaxLine(line++, [path, version], true) });
  }
  line += 2;
  for (const [op, ov, np, nv] of spec.replace ?? []) {
    const words = ['replace', op, ...(ov ? [ov] : []), '=>', np, ...(nv ? [nv] : [])];
    mod.replace.push({ old: { path: op, version: ov }, new: { path: np, version: nv }, syntax: syntaxLine(line++, words) });
  }
  const info: ModuleInfo = { dir: spec.dir, goModFile, modulePath: spec.path, text: '', mod, errors: [] };
  if (spec.graph !== undefined) {
    info.graph = parseModGraph(spec.graph, spec.dir === '.' ? 'graph.txt' : `${spec.dir}/graph.txt`);
  }
  return info;
}

/** anchorLock builds an anchor.lock with the pins on lines 1.. */
export function anchorLock(pins: Array<[string, string]>): AnchorLock {
  const anchors = new Map<string, Anchor>();
  pins.forEach(([path, version], i) => {
    anchors.set(path, { path, version, comment: '', line: i + 1, column: 8, syntax: syntaxLine(i + 1, ['anchor', path, version]) });
  });
  return { file: 'anchor.lock', text: '', anchors, allowReplace: [], bans: [], errors: [] };
}

/** repository assembles modules, work files and anchors into a Repository. */
export function repository(modules: ModuleInfo[], opts: { anchors?: AnchorLock; workFiles?: WorkInfo[]; focus?: Set<string> } = {}): Repository {
  const modulesByPath = new Map<string, ModuleInfo>();
  for (const m of modules) if (!modulesByPath.has(m.modulePath)) modulesByPath.set(m.modulePath, m);
  const repo: Repository = {
    root: '/repo', modules, modulesByPath, workFiles: opts.workFiles ?? [],
    config: { file: '', rules: {}, ignore: [] }, loadErrors: [],
  };
  if (opts.anchors) repo.anchors = opts.anchors;
  if (opts.focus) repo.focus = opts.focus;
  return repo;
}

/** workInfo builds a go.work using the given relative directories. */
export function workInfo(dir: string, uses: string[]): WorkInfo {
  const file = dir === '.' ? 'go.work' : `${dir}/go.work`;
  return {
    dir, file, text: '', errors: [],
    work: {
      godebug: [], replace: [],
      use: uses.map((u, i) => ({ path: u, modulePath: '', syntax: syntaxLine(i + 2, [u], true) })),
      syntax: { name: file, comments: { before: [], suffix: [], after: [] }, stmts: [] },
    },
  };
}

export type { ModGraph };
