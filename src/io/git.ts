// Git access for PR mode and history: argument arrays only, refs validated, and an environment that
// cannot redirect git to another repository or make it run programs named by the checkout.
import { spawn } from 'node:child_process';
import type { SimpleGit } from 'simple-git';
import { UsageError } from '../commands/context.ts';
import { SAFE_CONFIG, gitEnv } from './git-exec.ts';

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

/** Git runs git commands in one work tree. */
export class Git {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private client: Promise<SimpleGit> | undefined;

  constructor(root: string, env: NodeJS.ProcessEnv = process.env) {
    this.root = root;
    this.env = gitEnv(env);
  }

  /**
   * The simple-git client, made at the first git command: loading simple-git costs about 80 ms,
   * which a check that runs no git command (no --base) should not pay.
   */
  private clientOf(): Promise<SimpleGit> {
    return (this.client ??= import('simple-git').then(({ simpleGit }) =>
      // simple-git refuses these settings whatever their value; ours only switch the features off.
      simpleGit({
        baseDir: this.root,
        config: SAFE_CONFIG.filter((_, i) => i % 2 === 1),
        unsafe: { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: true, allowUnsafePager: true, allowUnsafeDiffExternal: true },
        allowEnvironment: ['GIT_TERMINAL_PROMPT', 'GIT_OPTIONAL_LOCKS'],
      } as Parameters<typeof simpleGit>[0]).env(this.env as Record<string, string>)));
  }

  /** raw runs `git <args>` and returns its standard output. */
  async raw(args: string[]): Promise<string> {
    return (await this.clientOf()).raw(args);
  }

  /** resolve turns a validated ref into a full commit SHA. */
  async resolve(ref: string): Promise<string> {
    validateRef(ref);
    let sha = '';
    try {
      sha = (await this.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch (err) {
      if (!/fatal: (Needed a single revision|bad revision)|^$/.test((err as Error).message.trim())) throw err;
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) {
      throw new UsageError(`git cannot find the commit "${ref}" in ${this.root} (fetch it first, e.g. git fetch origin main)`);
    }
    return sha;
  }

  /** mergeBase returns the merge base of ref and HEAD (ref itself when HEAD has no common history). */
  async mergeBase(ref: string): Promise<string> {
    const base = await this.resolve(ref);
    try {
      return (await this.raw(['merge-base', base, 'HEAD'])).trim() || base;
    } catch {
      throw new UsageError(`"${ref}" and HEAD have no common history in ${this.root}; is the clone shallow? (fetch with --depth=0 or fetch-depth: 0)`);
    }
  }

  /**
   * changedFiles lists files that differ between commit and the work tree (committed or not) plus
   * untracked files, relative to the root, POSIX.
   */
  async changedFiles(commit: string): Promise<string[]> {
    // Three independent git processes, run at once: each walks or stats the work tree.
    const [diff, untracked, shownPrefix] = await Promise.all([
      this.raw(['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '-z', commit, '--', '.']),
      this.raw(['ls-files', '-z', '--others', '--exclude-standard', '--', '.']),
      this.raw(['rev-parse', '--show-prefix']),
    ]);
    const prefix = shownPrefix.trim();
    const out = new Set<string>();
    for (const list of [diff, untracked]) {
      for (const f of list.split('\0')) {
        if (!f) continue;
        // `git diff --name-only` prints paths relative to the top level; ls-files relative to cwd.
        const rel = list === diff ? (prefix && f.startsWith(prefix) ? f.slice(prefix.length) : prefix ? '' : f) : f;
        if (rel) out.add(rel);
      }
    }
    return [...out].sort();
  }

  /**
   * blobIds maps the files of commit under the root (relative to the root, POSIX) to their git
   * blob ids: the identity of their content at that commit.
   */
  async blobIds(commit: string): Promise<Map<string, string>> {
    const [out, shownPrefix] = await Promise.all([
      this.raw(['ls-tree', '-r', '-z', '--full-tree', commit]),
      this.raw(['rev-parse', '--show-prefix']),
    ]);
    const prefix = shownPrefix.trim();
    const blobs = new Map<string, string>();
    for (const entry of out.split('\0')) {
      // <mode> SP <type> SP <object> TAB <file>
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const meta = entry.slice(0, tab).split(' ');
      if (meta[1] !== 'blob' || meta[2] === undefined) continue;
      const file = entry.slice(tab + 1);
      if (prefix) { if (file.startsWith(prefix)) blobs.set(file.slice(prefix.length), meta[2]); } else blobs.set(file, meta[2]);
    }
    return blobs;
  }

  /** listFiles lists the files of commit under the root, relative to the root, POSIX. */
  async listFiles(commit: string): Promise<string[]> {
    const out = await this.raw(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit]);
    const prefix = (await this.raw(['rev-parse', '--show-prefix'])).trim();
    const files: string[] = [];
    for (const f of out.split('\0')) {
      if (!f) continue;
      if (prefix) { if (f.startsWith(prefix)) files.push(f.slice(prefix.length)); } else files.push(f);
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
    const prefix = (await this.raw(['rev-parse', '--show-prefix'])).trim();
    const wanted = paths.filter((p) => !p.includes('\n'));
    const buffer = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: this.root, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('error', reject);
      child.on('close', (code) => code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git cat-file failed: ${stderr.trim()}`)));
      child.stdin.end(wanted.map((p) => `${commit}:${prefix}${p}\n`).join(''));
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
