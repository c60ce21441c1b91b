// The git runner of every git call (git.ts builds on it): execFile with argument arrays, hardened
// settings and a sanitised environment, and no library in between (a git library cost 70-80 ms to
// load and about 4 ms a call, a third of what PR mode spends with kept facts).
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import nodePath from 'node:path';
import { UsageError } from '../commands/context.ts';

/** Variables git may see; anything else (GIT_DIR, GIT_CONFIG_*, pagers, editors) could redirect it. */
export const PASSED_VARIABLES = ['PATH', 'HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'COMSPEC'];

/**
 * Settings passed on every git call: no fsmonitor hook (a repository's config could name any program
 * as `core.fsmonitor`), no hooks, no pager, no external diff, paths unquoted, and diffs naming paths
 * from the top level unless asked otherwise (a user's `diff.relative` would make them relative).
 */
export const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.pager=cat',
  '-c', 'diff.external=', '-c', 'core.quotePath=false', '-c', 'diff.relative=false'];

/**
 * filterOverrides are settings that switch off the content filters a repository's own config
 * defines (`filter.<driver>.clean`, `.smudge`, `.process`): `.gitattributes` picks a driver for a
 * path, and git runs its command on a work-tree file it hashes again (`git diff` does, on every
 * file whose timestamps changed, as after unpacking a tarball). The names are read from the config
 * files of the repository holding cwd (and the files they include), once per directory, without
 * running git. A filtered file then compares as changed, which costs a check nothing but work.
 */
export function filterOverrides(cwd: string): readonly string[] {
  let known = FILTER_OVERRIDES.get(cwd);
  if (!known) {
    const names = new Set<string>();
    try {
      for (const file of repositoryConfigFiles(cwd)) collectFilterNames(file, names, 0);
    } catch {
      // Unreadable: no names known.
    }
    known = [...names].flatMap((n) => ['clean', 'smudge', 'process'].flatMap((k) => ['-c', `filter.${n}.${k}=`]));
    FILTER_OVERRIDES.set(cwd, known);
  }
  return known;
}

const FILTER_OVERRIDES = new Map<string, readonly string[]>();

/** repositoryConfigFiles are the config files of the repository holding dir: its git dir's, and the common dir's of a worktree. */
function repositoryConfigFiles(dir: string): string[] {
  for (let at = nodePath.resolve(dir); ; at = nodePath.dirname(at)) {
    const dotGit = nodePath.join(at, '.git');
    let gitDir: string | undefined;
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) gitDir = dotGit;
      else if (st.isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (m) gitDir = nodePath.resolve(at, m[1]!);
      }
    } catch {
      // No .git here.
    }
    if (gitDir) {
      const files = [nodePath.join(gitDir, 'config'), nodePath.join(gitDir, 'config.worktree')];
      try {
        const common = readFileSync(nodePath.join(gitDir, 'commondir'), 'utf8').trim();
        if (common) files.push(nodePath.join(nodePath.resolve(gitDir, common), 'config'));
      } catch {
        // Not a worktree.
      }
      return files;
    }
    if (nodePath.dirname(at) === at) return [];
  }
}

/** collectFilterNames adds the filter drivers a config file defines, following its includes a few levels deep. */
function collectFilterNames(file: string, names: Set<string>, depth: number): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      const sub = header[2] !== undefined ? header[2].replace(/\\(.)/g, '$1') : undefined;
      if (section === 'filter' && sub !== undefined) names.add(sub);
      // The old form, [filter.name].
      else if (section.startsWith('filter.')) names.add(header[1]!.slice('filter.'.length));
      continue;
    }
    if ((section === 'include' || section === 'includeif') && depth < 4) {
      const m = /^path\s*=\s*"?(.*?)"?\s*$/i.exec(line);
      if (m && m[1]) {
        const target = m[1].startsWith('~/') ? nodePath.join(process.env.HOME ?? '', m[1].slice(2)) : nodePath.resolve(nodePath.dirname(file), m[1]);
        collectFilterNames(target, names, depth + 1);
      }
    }
  }
}

/** gitEnv returns the environment for git: the few variables it needs, nothing that can redirect it. */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of PASSED_VARIABLES) if (env[k] !== undefined) out[k] = env[k];
  out.GIT_TERMINAL_PROMPT = '0';
  out.GIT_OPTIONAL_LOCKS = '0';
  out.LC_ALL = 'C';
  return out;
}

/** gitTopLevel returns the top level of the work tree holding dir, or undefined outside one (or without git). */
export async function gitTopLevel(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const out = (await runGit(dir, ['rev-parse', '--show-toplevel'], env)).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/**
 * spawnFailure is the error of a git that could not be started: when the directory exists, git is
 * missing from PATH, which a user must mend (a UsageError saying so), not an internal error.
 */
export function spawnFailure(err: Error, cwd: string): Error {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(cwd)) return err;
  return new UsageError('no git command on PATH: this needs git (install it, or add its directory to PATH)');
}

/** Errors of a PATH directory's `git` that send execvp on to the next directory. */
const LOOK_FURTHER = new Set(['ENOENT', 'ENOTDIR', 'EACCES']);

/**
 * gitCommand is the git that a spawn of `git` with this environment would most likely run, by its
 * absolute path: the first executable regular file named git in the environment's PATH, looked for
 * as execvp looks (each directory's text joined with `/git`, so the kernel reads `..` as it does).
 * A spawn of the bare name searches every directory of PATH anew, in the child, while node's
 * thread waits for the child to start. `git` itself where PATH is not set or lists a relative (or
 * empty) directory before the one found, where looking at a file fails otherwise than execvp
 * passes over (a link loop), where none is found, and on Windows: the spawn then searches as it
 * always did. runGit spawns the bare name again when the one found cannot be run (a script whose
 * interpreter is missing, which execvp would pass over too).
 */
export function gitCommand(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32' || env.PATH === undefined) return 'git';
  for (const dir of env.PATH.split(':')) {
    if (!dir.startsWith('/')) return 'git';
    const file = dir.endsWith('/') ? `${dir}git` : `${dir}/git`;
    try {
      accessSync(file, constants.X_OK);
      if (!statSync(file).isFile()) continue;
    } catch (err) {
      if (LOOK_FURTHER.has((err as NodeJS.ErrnoException).code ?? '')) continue;
      return 'git';
    }
    return file;
  }
  return 'git';
}

/** GitError is a git command that ran and failed: its message is git's standard error. */
export class GitError extends Error {
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'GitError';
  }
}

/**
 * runGit runs `git <args>` in cwd and resolves its standard output. It rejects with a GitError
 * whose message is git's standard error (trimmed; empty for `rev-parse --verify --quiet`), or with
 * the spawn error when git could not be started.
 */
export function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const gitVars = gitEnv(env);
  const run = (command: string): Promise<string> => new Promise((resolve, reject) => {
    execFile(command, [...SAFE_CONFIG, ...filterOverrides(cwd), ...args], { cwd, env: gitVars, maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) resolve(stdout);
      else if (typeof (err as NodeJS.ErrnoException).code === 'number') reject(new GitError(String(stderr).trim(), (err as { code: number }).code));
      // The git found could not be started (not one that ran and was stopped): the bare name, searched as ever.
      else if (command !== 'git' && (err as NodeJS.ErrnoException).syscall?.startsWith('spawn')) resolve(run('git'));
      else reject(spawnFailure(err, cwd));
    });
  });
  return run(gitCommand(gitVars));
}
