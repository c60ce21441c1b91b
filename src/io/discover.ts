// Finding the module files of a monorepo: `git ls-files` inside a git work tree (fast, and it honours
// .gitignore), else a directory walk. Either way vendor/, testdata/, node_modules/ and hidden
// directories are skipped, and no symbolic link leads out of the root: directory links are not
// followed at all (as `go ./...` does not), and a go.mod that is a link must resolve inside the root.
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ParseError } from '../gomod/types.ts';
import { compileIgnore, type IgnoreMatcher } from '../engine/ignore.ts';
import { runGit } from './git-exec.ts';
import { readRegularFile, realRoot } from './read.ts';
import { indexEntries, MODULE_PATHSPECS, type WorkListing } from './git.ts';

export interface DiscoverOptions {
  /** Path patterns (modguard.json `ignore`) whose module files are left out. */
  ignore?: string[];
  /** Environment for git (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Force (true) or forbid (false) the use of git; default: git when root is in a work tree. */
  git?: boolean;
  /**
   * The untracked files under the root (and the index entries of the module files), as
   * `Git.listing` lists them, when the caller has them: the work tree is not walked a second time,
   * and with the index entries git is not asked again.
   */
  listing?: Promise<WorkListing>;
  /**
   * With `listing`: the module files that differ in the work tree from the commit git compared
   * it with (PR mode's changes: modified, added, deleted, changed in type, untracked). A tracked
   * file that is not among them is as git recorded it, a regular file, so it is not looked at again
   * (unless its index entry is marked skip-worktree or assume-unchanged: then git did not look).
   */
  changed?: ReadonlySet<string>;
}

export interface Discovered {
  /** go.mod files, relative to the root, POSIX, sorted. */
  goMods: string[];
  /** go.work files, relative to the root, POSIX, sorted. */
  goWorks: string[];
  /** Module files that exist but cannot be used (a directory, a link out of the root, ...). */
  errors: ParseError[];
  /** How the files were found. */
  via: 'git' | 'walk';
  /**
   * With git: the git submodules under the root (relative POSIX paths). git lists none of their
   * files, so their go.mod files are not found; the caller says so.
   */
  submodules?: string[];
}

const MODULE_FILES = new Set(['go.mod', 'go.work']);
const WALK_CONCURRENCY = 32;

/**
 * isSkippedDir tells directories whose go.mod files are not the repository's own modules: vendor/,
 * testdata/, node_modules/ and hidden ones (`.` and `..` in a path are no hidden directories).
 */
export function isSkippedDir(name: string): boolean {
  return SKIPPED_DIR.test(`${name}/`);
}

/**
 * A skipped directory of a path, followed by its `/`: vendor, testdata, node_modules, or a hidden
 * name (a dot and one character that is not one, or two dots and more).
 */
const SKIPPED_DIR = /(?:^|\/)(?:vendor|testdata|node_modules|\.[^./][^/]*|\.\.[^/]+)\//;

/**
 * hasSkippedDir tells whether any directory of a relative POSIX path is skipped. One search of
 * the path: discovery asks it of every file git lists, code a PR run runs once.
 */
export function hasSkippedDir(rel: string): boolean {
  return SKIPPED_DIR.test(rel);
}

/** goModDirIn is the path up to a `go.mod` directory among rel's directories (`a/go.mod` of `a/go.mod/x`), or undefined. */
function goModDirIn(rel: string): string | undefined {
  if (rel.startsWith('go.mod/')) return 'go.mod';
  const i = rel.indexOf('/go.mod/');
  return i < 0 ? undefined : rel.slice(0, i + 7);
}

function fileError(file: string, message: string): ParseError {
  return { file, line: 1, column: 0, message };
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}` : String(err);
}

/** isInside tells whether absolute path p is root or below it. */
function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * checkCandidate decides whether a module file found by name can be read: it returns 'ok', 'gone'
 * (listed by git but deleted in the work tree) or an error for the report.
 */
function checkCandidate(rootReal: string, rel: string): 'ok' | 'gone' | ParseError {
  const abs = path.join(rootReal, ...rel.split('/'));
  let st;
  try {
    st = lstatSync(abs);
  } catch (err) {
    // git names files by their bytes: a name that is not UTF-8 reads with U+FFFD in it, a path
    // nothing is at. Reported, not passed over as a file deleted since.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && rel.includes('\uFFFD')) return fileError(rel, 'its path is not valid UTF-8, so it cannot be named to read it (rename the directory or file)');
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return fileError(rel, `cannot read: ${errnoText(err)}`);
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fileError(rel, code === 'ELOOP' ? 'symbolic link loop: not followed' : `broken symbolic link (${code ?? 'unresolvable'})`);
    }
    if (!isInside(rootReal, target)) {
      return fileError(rel, `symbolic link to ${target}, outside the repository root: not followed`);
    }
    try {
      st = statSync(abs);
    } catch (err) {
      return fileError(rel, `cannot read: ${errnoText(err)}`);
    }
  }
  if (st.isDirectory()) return fileError(rel, `${path.posix.basename(rel)} is a directory, not a file`);
  if (!st.isFile()) return fileError(rel, `${path.posix.basename(rel)} is not a regular file`);
  return 'ok';
}

/**
 * filterCandidates checks each file synchronously: lstat of a cached inode is cheaper than a
 * promise. Files in `known` need no check (git compared them with a commit).
 */
function filterCandidates(rootReal: string, candidates: string[], errors: ParseError[], known?: ReadonlySet<string>): string[] {
  const verdicts = candidates.map((rel) => (known?.has(rel) ? 'ok' : checkCandidate(rootReal, rel)));
  const ok: string[] = [];
  verdicts.forEach((v, i) => {
    if (v === 'ok') ok.push(candidates[i]!);
    else if (v !== 'gone') errors.push(v);
  });
  return ok;
}

/** matchesModulePathspecs tells whether a path matches one of MODULE_PATHSPECS. */
function matchesModulePathspecs(f: string): boolean {
  return f.endsWith('go.mod') || f.endsWith('go.work') || f.includes('go.mod/');
}

/**
 * listWithGit lists module files through git; undefined when root is not in a work tree (git then
 * fails) or when git lists nothing at all, as for a root that is ignored by its enclosing repository.
 * With the untracked files already listed, git reads only its index for the tracked ones, or
 * nothing when the listing has the index entries too.
 */
async function listWithGit(
  root: string, env: NodeJS.ProcessEnv, listing?: Promise<WorkListing>, changed?: ReadonlySet<string>,
): Promise<{ files: string[]; known?: Set<string> } | undefined> {
  try {
    let files: string[];
    let known: Set<string> | undefined;
    const listed = listing ? await listing.catch(() => undefined) : undefined;
    if (listed !== undefined) {
      // Only a plain entry is trusted (IndexEntry): git did not look at the work tree for the
      // others, and a link is looked at (it may lead out of the root).
      const cached = listed.cached ?? indexEntries(await runGit(root, ['ls-files', '-z', '-v', '-s', '--cached', '--', ...MODULE_PATHSPECS], env));
      if (changed !== undefined) known = new Set();
      files = [];
      for (const { file, plain } of cached) {
        // A listing of the files a check reads names go.sum and graph files too.
        if (!matchesModulePathspecs(file)) continue;
        files.push(file);
        if (known && plain && !changed!.has(file)) known.add(file);
      }
      for (const f of listed.untracked) if (matchesModulePathspecs(f)) files.push(f);
    } else {
      // One process: ls-files fails outside a work tree. The pathspecs keep the output small in a
      // repository of a million files; with git's default pathspec magic `*` also matches `/`.
      const out = await runGit(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...MODULE_PATHSPECS], env);
      files = out.split('\0').filter((f) => f !== '');
    }
    return files.length > 0 ? { files, ...(known ? { known } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function sortedUnique(list: string[]): string[] {
  return [...new Set(list)].sort();
}

async function discoverWithGit(rootReal: string, listed: string[], ignored: IgnoreMatcher, known?: ReadonlySet<string>): Promise<Discovered> {
  const errors: ParseError[] = [];
  const candidates: string[] = [];
  const dirGoMods = new Set<string>();
  for (const rel of listed) {
    if (hasSkippedDir(rel) || ignored(rel)) continue;
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (MODULE_FILES.has(name)) { candidates.push(rel); continue; }
    const dir = goModDirIn(rel);
    if (dir !== undefined) dirGoMods.add(dir);
  }
  for (const d of [...dirGoMods].sort()) errors.push(fileError(d, 'go.mod is a directory, not a file'));
  const ok = filterCandidates(rootReal, sortedUnique(candidates), errors, known);
  return split(ok, errors, 'git');
}

async function discoverByWalking(rootReal: string, ignored: IgnoreMatcher): Promise<Discovered> {
  const errors: ParseError[] = [];
  const candidates: string[] = [];
  const queue: string[] = ['.'];
  let active = 0;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (active < WALK_CONCURRENCY && queue.length > 0) {
        const dir = queue.shift()!;
        active++;
        void visit(dir).finally(() => {
          active--;
          if (queue.length === 0 && active === 0) resolve();
          else pump();
        });
      }
      if (queue.length === 0 && active === 0) resolve();
    };
    const visit = async (dir: string): Promise<void> => {
      const abs = dir === '.' ? rootReal : path.join(rootReal, ...dir.split('/'));
      let entries;
      try {
        entries = await readdir(abs, { withFileTypes: true });
      } catch (err) {
        errors.push(fileError(dir === '.' ? '.' : `${dir}/`, `cannot list directory: ${errnoText(err)}`));
        return;
      }
      for (const e of entries) {
        const rel = dir === '.' ? e.name : `${dir}/${e.name}`;
        if (MODULE_FILES.has(e.name)) {
          // Files, links and directories with these names all go through checkCandidate, which
          // turns a directory or a link out of the root into an error.
          if (!ignored(rel)) candidates.push(rel);
        } else if (e.isDirectory() && !isSkippedDir(e.name) && !ignored(rel)) {
          // Directory links are never followed: no way out of the root and no loops.
          queue.push(rel);
        }
      }
    };
    pump();
  });
  const ok = filterCandidates(rootReal, sortedUnique(candidates), errors);
  return split(ok, errors, 'walk');
}

/**
 * submodulesUnder lists the git submodules under rootReal (relative POSIX paths), from the
 * `.gitmodules` file at the top of its work tree (the nearest directory up holding `.git`). No git
 * process: the file is read only where it exists, and nothing is listed where it does not.
 */
export function submodulesUnder(rootReal: string): string[] {
  let top = rootReal;
  while (!existsSync(path.join(top, '.git'))) {
    const up = path.dirname(top);
    if (up === top) return [];
    top = up;
  }
  let text: string;
  try {
    text = readRegularFile(path.join(top, '.gitmodules')).toString('utf8');
  } catch {
    return [];
  }
  const prefix = path.relative(top, rootReal).split(path.sep).join('/');
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*path[ \t]*=[ \t]*(.*?)[ \t]*$/gm)) {
    let p = m[1]!;
    if (p.length >= 2 && p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
    p = path.posix.normalize(p).replace(/\/+$/, '');
    if (p === '.' || p.startsWith('../')) continue;
    if (prefix === '') out.push(p);
    else if (p.startsWith(`${prefix}/`)) out.push(p.slice(prefix.length + 1));
  }
  return sortedUnique(out);
}

function split(files: string[], errors: ParseError[], via: 'git' | 'walk'): Discovered {
  const goMods: string[] = [];
  const goWorks: string[] = [];
  for (const f of files) (f.endsWith('go.mod') ? goMods : goWorks).push(f);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { goMods, goWorks, errors, via };
}

/**
 * discoverFiles finds the go.mod and go.work files of the repository at root (relative POSIX
 * paths). A module file that cannot be used (a directory, a link out of the root, a link loop)
 * becomes an error entry rather than an exception.
 */
export async function discoverFiles(root: string, opts: DiscoverOptions = {}): Promise<Discovered> {
  const rootReal = realRoot(root);
  const ignored = compileIgnore(opts.ignore ?? []);
  if (opts.git !== false) {
    const listed = await listWithGit(rootReal, opts.env ?? process.env, opts.listing, opts.changed);
    if (listed) {
      const found = await discoverWithGit(rootReal, listed.files, ignored, listed.known);
      const submodules = submodulesUnder(rootReal).filter((d) => !hasSkippedDir(`${d}/go.mod`) && !ignored(`${d}/go.mod`));
      return submodules.length > 0 ? { ...found, submodules } : found;
    }
  }
  return discoverByWalking(rootReal, ignored);
}
