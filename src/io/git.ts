// Git access for PR mode and history: argument arrays only, refs validated, and an environment that
// cannot redirect git to another repository or make it run programs named by the checkout.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { UsageError } from '../commands/context.ts';
import { SAFE_CONFIG, gitEnv, runGit, spawnFailure } from './git-exec.ts';

export { SAFE_CONFIG, gitEnv };

/**
 * validateRef rejects a ref that git could read as an option or that is not a plausible revision.
 * Accepts branch and tag names, remote refs, SHAs and `HEAD~N` / `main^` style suffixes.
 */
export function validateRef(ref: string, what = 'ref'): string {
  if (ref === '') throw new UsageError(`--base needs a git ${what}; got an empty string`);
  if (ref.startsWith('-')) throw new UsageError(`invalid git ${what} "${ref}": it starts with "-" and would be read as an option`);
  if (!/^[A-Za-z0-9._/+@-]+(?:[~^][0-9]*)*$/.test(ref) || ref.includes('..') || ref.includes('@{') || ref.includes('//')
    || ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) {
    throw new UsageError(`invalid git ${what} "${ref}": use a branch, tag, remote branch or commit SHA (e.g. origin/main)`);
  }
  return ref;
}

/**
 * endsWithName tells whether the path text[from, end) is `name` or ends with `/name`, in place.
 */
function endsWithName(text: string, end: number, from: number, name: string): boolean {
  const start = end - name.length;
  if (start < from || !text.startsWith(name, start)) return false;
  return start === from || text.charCodeAt(start - 1) === 0x2f;
}

/**
 * underRoot is a path git printed relative to the top of the work tree, made relative to the root
 * (whose path inside the work tree is `prefix`); undefined for a path outside the root.
 */
function underRoot(file: string, prefix: string): string | undefined {
  if (!prefix) return file;
  return file.startsWith(prefix) ? file.slice(prefix.length) : undefined;
}

/** The prefix of each root asked so far (Git.showPrefix). */
const PREFIXES = new Map<string, Promise<string>>();

/**
 * ReadFiles names the files a check reads besides module and workspace files: the graph file (as
 * named beside each go.mod), the anchors and configuration files (relative to the root).
 */
export interface ReadFiles {
  graphFile?: string | undefined;
  anchorsFile?: string | undefined;
  configFile?: string | undefined;
}

/**
 * MODULE_PATHSPECS match the module and workspace files discovery looks for: with git's default
 * pathspec magic `*` also matches `/`; `*go.mod/*` catches a go.mod that is a directory.
 */
export const MODULE_PATHSPECS: readonly string[] = ['*go.mod', '*go.work', '*go.mod/*'];

/** READ_PATHSPECS add the go.sum and go.work.sum files a check reads beside them. */
const READ_PATHSPECS: readonly string[] = [...MODULE_PATHSPECS, '*go.sum', '*go.work.sum'];

/**
 * IndexEntry is an entry of git's index as `ls-files -z -v -s` prints it
 * (`<tag> <mode> <object> <stage>` TAB `<file>`).
 */
export interface IndexEntry {
  /** Relative to the directory git ran in, POSIX. */
  file: string;
  /**
   * A regular file (mode 100644 or 100755) at stage 0 that git compares with the work tree (tag
   * `H`): not marked skip-worktree (`S`) or assume-unchanged (a lower-case tag), not a link.
   */
  plain: boolean;
}

/** indexEntries reads the index entries of `ls-files -z -v -s` output (untracked `? ` lines are none). */
export function indexEntries(out: string): IndexEntry[] {
  return listingEntries(out).cached;
}

/**
 * listingEntries reads `ls-files -z -v -s --cached --others` output in one pass: the untracked
 * files (`? ` lines) and the index entries (the others, `<tag> <mode> <object> <stage>` TAB
 * `<file>`). Each entry is looked at in place, only its file name made a string: a listing of a
 * monorepo's module files has thousands of them, read once per run by code run once.
 */
export function listingEntries(out: string): { cached: IndexEntry[]; untracked: string[] } {
  const cached: IndexEntry[] = [];
  const untracked: string[] = [];
  let at = 0;
  while (at < out.length) {
    let end = out.indexOf('\0', at);
    if (end < 0) end = out.length;
    if (out.startsWith('? ', at)) {
      untracked.push(out.slice(at + 2, end));
    } else {
      const tab = out.indexOf('\t', at);
      if (tab >= 0 && tab < end) {
        const plain = (out.startsWith('H 100644 ', at) || out.startsWith('H 100755 ', at)) && tab - 2 >= at && out.startsWith(' 0', tab - 2);
        cached.push({ file: out.slice(tab + 1, end), plain });
      }
    }
    at = end + 1;
  }
  return { cached, untracked };
}

/** A name as a pathspec of git's default (glob) magic that matches it literally. */
const escapeGlob = (name: string) => name.replace(/[*?[\\\]]/g, (c) => `\\${c}`);

/** isInsideRoot tells a root-relative path that names a file under the root. */
const isInsideRoot = (f: string) => f !== '' && f !== '.' && f !== '..' && !f.startsWith('../') && !f.startsWith('/') && !/^[A-Za-z]:/.test(f);

/**
 * readPathspecs are git pathspecs (relative to the root) that match every file a check reads under
 * the root, and a few more (`*go.mod` matches `xgo.mod`): callers keep the names they want. With
 * git's default pathspec magic `*` also matches `/`. Undefined for a graph file named by a path
 * that leaves its module's directory (no pathspec is sure to match it).
 */
export function readPathspecs(reads: ReadFiles): string[] | undefined {
  const specs = [...READ_PATHSPECS];
  const graph = reads.graphFile;
  if (graph !== undefined && graph !== '') {
    if (!isInsideRoot(graph) || graph.split(/[\\/]/).includes('..')) return undefined;
    specs.push(`*${escapeGlob(graph)}`);
  }
  for (const f of [reads.anchorsFile, reads.configFile]) if (f !== undefined && isInsideRoot(f)) specs.push(`:(literal)${f}`);
  return specs;
}

/**
 * aboveRoot lists the anchors and configuration files of `reads` that lie above the root (`../`
 * paths, as for `--root go --anchors anchor.lock` run at the top): inside the work tree they are
 * listed and compared too, once the root's prefix tells that they are (git refuses a pathspec
 * outside the work tree).
 */
function aboveRoot(reads: ReadFiles): string[] {
  return [reads.anchorsFile, reads.configFile].filter((f): f is string => f !== undefined && (f === '..' || f.startsWith('../')));
}

/** inTree is a root-relative path as a path from the top of the work tree, or undefined when it leaves the work tree. */
function inTree(prefix: string, file: string): string | undefined {
  const full = path.posix.normalize(`${prefix}${file}`);
  return full === '..' || full.startsWith('../') || full.startsWith('/') ? undefined : full;
}

/**
 * WorkListing is what one `git ls-files` tells of the work tree under the root: the untracked
 * files (not ignored) and, when the Git knows the files a check reads, the index entries of those.
 */
export interface WorkListing {
  /** Untracked files, relative to the root, POSIX: all of them, or those matching readPathspecs. */
  untracked: string[];
  /** The index entries of the files matching readPathspecs (relative to the root). Undefined without ReadFiles. */
  cached?: IndexEntry[];
}

/** Git runs git commands in one work tree. */
export class Git {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private prefix: Promise<string> | undefined;
  /** The pathspecs of the files a check reads, when the caller named them (ReadFiles). */
  private readonly pathspecs: readonly string[] | undefined;
  /** The files a check reads above the root (aboveRoot). */
  private readonly above: readonly string[];

  /**
   * With `reads`, the Git lists (listing) and compares (changedFiles) only the files a check reads,
   * not the whole work tree: a monorepo's source files are never listed.
   */
  constructor(root: string, env: NodeJS.ProcessEnv = process.env, reads?: ReadFiles) {
    this.root = root;
    this.env = gitEnv(env);
    this.pathspecs = reads ? readPathspecs(reads) : undefined;
    this.above = this.pathspecs ? aboveRoot(reads!) : [];
  }

  /**
   * withSpecs runs git with the pathspecs of the files a check reads (or `.`): at once, or, when some
   * lie above the root, once the root's prefix tells which of those are in the work tree.
   */
  private withSpecs<T>(run: (specs: readonly string[]) => Promise<T>): Promise<T> {
    const specs = this.pathspecs ?? ['.'];
    if (this.above.length === 0) return run(specs);
    return this.showPrefix().then((prefix) => run([...specs, ...this.above.filter((f) => inTree(prefix, f) !== undefined).map((f) => `:(literal)${f}`)]));
  }

  /**
   * raw runs `git <args>` (with SAFE_CONFIG and the sanitised environment of git-exec.ts) and
   * returns its standard output; a failure rejects with git's standard error as the message.
   */
  raw(args: string[]): Promise<string> {
    return runGit(this.root, args, this.env);
  }

  /**
   * showPrefix is the root's path inside the work tree (`git rev-parse --show-prefix`), asked once
   * per root and process (PR mode makes several Git objects for one root).
   */
  private showPrefix(): Promise<string> {
    if (this.prefix) return this.prefix;
    let known = PREFIXES.get(this.root);
    if (!known) {
      known = this.raw(['rev-parse', '--show-prefix']).then((s) => s.trim());
      // A failure is not kept: the next caller asks git again.
      known.catch(() => PREFIXES.delete(this.root));
      PREFIXES.set(this.root, known);
    }
    return (this.prefix = known);
  }

  private listed: Promise<WorkListing> | undefined;

  /**
   * listing lists the untracked files under the root and, with ReadFiles, the index entries of the
   * files a check reads, asked once per Git: one `git ls-files -v -s --cached --others` (the index
   * read once, and one process fewer to start than two listings side by side, which measured
   * slower on two cores). A caller may start it before it needs it, as findChanges does while the
   * merge base is found; discovery then reads no index of its own.
   */
  listing(): Promise<WorkListing> {
    if (!this.listed) {
      this.listed = this.pathspecs
        ? this.withSpecs((specs) => this.raw(['ls-files', '-z', '-v', '-s', '--cached', '--others', '--exclude-standard', '--', ...specs]))
          .then(listingEntries)
        : this.raw(['ls-files', '-z', '--others', '--exclude-standard', '--', '.']).then((out) => ({ untracked: out.split('\0').filter((f) => f !== '') }));
      // Awaited by changedFiles; a failure started early must not count as unhandled meanwhile.
      this.listed.catch(() => undefined);
    }
    return this.listed;
  }

  /** resolve turns a validated ref into a full commit SHA. */
  async resolve(ref: string): Promise<string> {
    validateRef(ref);
    let sha = '';
    try {
      sha = (await this.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch (err) {
      const message = (err as Error).message.trim();
      if (/not a git repository/i.test(message)) {
        throw new UsageError(`${this.root} is not inside a git work tree: comparing with the commit "${ref}" needs one`);
      }
      if (!/fatal: (Needed a single revision|bad revision)|expected commit type|^$/.test(message)) throw err;
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) {
      throw new UsageError(`git cannot find the commit "${ref}" in ${this.root} (fetch it first, e.g. git fetch origin main)`);
    }
    return sha;
  }

  /**
   * mergeBase returns the merge base of ref and HEAD. One git call in the usual case: the ref is
   * resolved on its own only when that call fails, to tell an unknown ref from one without common
   * history.
   */
  async mergeBase(ref: string): Promise<string> {
    validateRef(ref);
    try {
      // A validated ref cannot be read as an option; `^{commit}` peels a tag as resolve does.
      const sha = (await this.raw(['merge-base', `${ref}^{commit}`, 'HEAD'])).trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    } catch {
      // Told apart below.
    }
    const base = await this.resolve(ref);
    try {
      return (await this.raw(['merge-base', base, 'HEAD'])).trim() || base;
    } catch {
      throw new UsageError(`"${ref}" and HEAD have no common history in ${this.root}; is the clone shallow? (run git fetch --unshallow; with actions/checkout, set fetch-depth: 0)`);
    }
  }

  /**
   * changedFiles lists files that differ between commit and the work tree (committed or not) plus
   * untracked files, relative to the root, POSIX: of the files a check reads (and a few more, see
   * readPathspecs) when the Git knows them (ReadFiles), else all. `diffed` is the output of a diff
   * started before (`diff(ref, true)`, against the same commit): used when it succeeded.
   */
  async changedFiles(commit: string, diffed?: Promise<string>): Promise<string[]> {
    // Independent git processes, run at once: each walks or stats the work tree.
    const [diff, listing, prefix] = await Promise.all([
      diffed?.catch(() => this.diff(commit)) ?? this.diff(commit),
      this.listing(),
      // Without files above the root, the diff names files relative to the root (diffRelative).
      this.diffRelative() ? '' : this.showPrefix(),
    ]);
    const out = new Set<string>(listing.untracked);
    for (const f of diff.split('\0')) {
      if (f === '') continue;
      // `git diff --name-only` prints paths relative to the top level; ls-files relative to cwd. A
      // file above the root (an anchors file named so) is given as ls-files gives it, `../...`.
      out.add(underRoot(f, prefix) ?? path.posix.relative(prefix.replace(/\/$/, '') || '.', f));
    }
    return [...out].sort();
  }

  /**
   * diffRelative tells whether the diff is asked for the files under the root only, named relative
   * to it (`--relative`): when no file a check reads lies above the root, which saves asking git
   * for the root's prefix.
   */
  private diffRelative(): boolean {
    return this.above.length === 0;
  }

  /**
   * diff lists the files that differ between commit and the work tree (`git diff --name-only`,
   * NUL-separated, relative to the root when diffRelative says so, else to the top level).
   * `mergeBase` compares with the merge base of commit (a validated ref) and HEAD instead (git 2.30
   * and later): started with `git merge-base`, not after it; it fails where the two have several
   * merge bases, as with an older git.
   */
  diff(commit: string, mergeBase = false): Promise<string> {
    const against = mergeBase ? ['--merge-base', `${validateRef(commit)}^{commit}`] : [commit];
    const relative = this.diffRelative() ? ['--relative'] : [];
    return this.withSpecs((specs) => this.raw(['diff', '--name-only', ...relative, '--no-renames', '--no-ext-diff', '--no-textconv', '-z', ...against, '--', ...specs]));
  }

  /**
   * blobIds maps the regular files of commit under the root (relative to the root, POSIX) to their
   * git blob ids: the identity of their content at that commit. With `names`, only the files of
   * those names (see below).
   */
  async blobIds(commit: string, names?: readonly string[]): Promise<Map<string, string>> {
    const [out, prefix] = await Promise.all([
      this.raw(['ls-tree', '-r', '-z', '--full-tree', commit]),
      this.showPrefix(),
    ]);
    // With names, only the files of those names are wanted (`go.mod`, or a path such as
    // `deps/graph.txt` that a file's path ends with): a monorepo's tree lists hundreds of thousands
    // of source files, so each entry is looked at in place and made into strings only when wanted
    // (`ls-tree` takes no wildcards, and a pathspec filter in git costs more than this scan).
    const wanted = names ? [...new Set(names)].filter((n) => n !== '') : undefined;
    const blobs = new Map<string, string>();
    let at = 0;
    while (at < out.length) {
      let end = out.indexOf('\0', at);
      if (end < 0) end = out.length;
      // <mode> SP <type> SP <object> TAB <file>
      const tab = out.indexOf('\t', at);
      const entry = at;
      at = end + 1;
      if (tab < 0 || tab > end) continue;
      if (wanted && !wanted.some((n) => endsWithName(out, end, tab + 1, n))) continue;
      // Regular files only: a symbolic link's blob is its target's name, not the content read through it.
      if (!out.startsWith('100644 blob ', entry) && !out.startsWith('100755 blob ', entry)) continue;
      const object = out.slice(entry + 12, tab);
      const file = out.slice(tab + 1, end);
      const rel = underRoot(file, prefix);
      if (rel !== undefined) blobs.set(rel, object);
    }
    return blobs;
  }

  /** listFiles lists the files of commit under the root, relative to the root, POSIX. */
  async listFiles(commit: string): Promise<string[]> {
    const [out, prefix] = await Promise.all([this.raw(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit]), this.showPrefix()]);
    const files: string[] = [];
    for (const f of out.split('\0')) {
      if (!f) continue;
      const rel = underRoot(f, prefix);
      if (rel !== undefined) files.push(rel);
    }
    return files;
  }

  /**
   * readFiles reads many files of one commit through a single `git cat-file --batch`, so a
   * thousand go.mod files cost one process. Missing files are absent from the result.
   */
  async readFiles(commit: string, paths: string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (paths.length === 0) return result;
    const prefix = await this.showPrefix();
    // Paths from the top of the work tree (a file above the root too); none outside it, none with a newline.
    const wanted = paths.filter((p) => !p.includes('\n') && inTree(prefix, p) !== undefined);
    const buffer = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: this.root, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('error', (err) => reject(spawnFailure(err, this.root)));
      child.on('close', (code) => code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git cat-file failed: ${stderr.trim()}`)));
      child.stdin.end(wanted.map((p) => `${commit}:${inTree(prefix, p)!}\n`).join(''));
    });
    let at = 0;
    for (const p of wanted) {
      const nl = buffer.indexOf(10, at);
      if (nl < 0) break;
      const header = buffer.toString('utf8', at, nl);
      at = nl + 1;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
      const size = Number(header.slice(header.lastIndexOf(' ') + 1));
      if (header.split(' ')[1] === 'blob') result.set(p, buffer.toString('utf8', at, at + size));
      at += size + 1;
    }
    return result;
  }
}

/** isInsideWorkTree tells whether dir is inside a git work tree (false when git is missing). */
export async function isInsideWorkTree(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    return (await new Git(dir, env).raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}
