// Running `go mod graph` in every module of the repository. A thousand modules make this the slow
// part of `--go`, so results are cached by the content that determines them (go.mod and go.sum),
// and the runs go in parallel, one per core. The go command is run with an argument array and never
// through a shell.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as nodePath from 'node:path';
import { makeDirectory, writeFileAtomic } from './atomic.ts';
import { runGit } from './git-exec.ts';
import { sealed, unsealed } from '../util/sealed.ts';
import { readRegularFile } from './read.ts';

/** CACHE_DIR is the cache folder under the repository root. */
export const CACHE_DIR = '.modguard-cache';
/** CACHE_VERSION changes when the cached form changes, so old entries are not misread. */
const CACHE_VERSION = 'graph-v2';
const DEFAULT_TIMEOUT_MS = 120_000;
/** MAX_OUTPUT bounds what one `go mod graph` may print (a million edges is ~100 MB). */
const MAX_OUTPUT = 512 * 1024 * 1024;

export interface GoGraphResult {
  /** The `go mod graph` output, when the run (or the cache) had one. */
  text?: string;
  /** Why there is no output: the go command failed, timed out or is missing. */
  error?: string;
  /** True when the output came from the cache. */
  cached: boolean;
}

export interface RunGoModGraphOptions {
  /** Parallel runs; default: the number of cores. */
  concurrency?: number;
  /** Per-module time limit in milliseconds (default 120 s). */
  timeoutMs?: number;
  /** Cache folder; default `<root>/.modguard-cache`. */
  cacheDir?: string;
  /** Environment of the go command (its PATH finds `go`); default: inherited unchanged (then GOWORK is not turned off). */
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number) => void;
}

/**
 * graphCacheKey is the cache key of a module's graph: a sha256 over go.mod and go.sum (a missing
 * go.sum counts as empty, which differs from any real one by the length prefix).
 */
export function graphCacheKey(goMod: string, goSum: string | undefined): string {
  const h = createHash('sha256');
  h.update(`${CACHE_VERSION}\0go.mod\0${Buffer.byteLength(goMod)}\0`);
  h.update(goMod);
  h.update(`\0go.sum\0${goSum === undefined ? -1 : Buffer.byteLength(goSum)}\0`);
  if (goSum !== undefined) h.update(goSum);
  return h.digest('hex');
}

/**
 * cachedOutput is the output of a cache entry (util/sealed.ts: an entry damaged since it was
 * written is a miss, and the graph is computed again), or undefined.
 */
export function cachedOutput(entry: Uint8Array): string | undefined {
  return unsealed(entry)?.toString('utf8');
}

async function readOptional(file: string): Promise<string | undefined> {
  return (await readOptionalBytes(file))?.toString('utf8');
}

async function readOptionalBytes(file: string): Promise<Buffer | undefined> {
  try {
    return readRegularFile(file, MAX_OUTPUT);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

interface ExecOutcome { stdout: string; error?: string }

function execGoModGraph(cwd: string, env: NodeJS.ProcessEnv | undefined, timeoutMs: number): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    execFile('go', ['mod', 'graph'], { cwd, env, timeout: timeoutMs, maxBuffer: MAX_OUTPUT, encoding: 'utf8', windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        if (e.code === 'ENOENT') return resolve({ stdout: '', error: 'the go command was not found on PATH (install Go, or capture `go mod graph > graph.txt` in each module and use --graph-file graph.txt)' });
        if (e.killed && e.signal) return resolve({ stdout: '', error: `go mod graph timed out after ${timeoutMs} ms` });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ stdout: '', error: `go mod graph printed more than ${MAX_OUTPUT} bytes` });
        const detail = String(stderr ?? '').trim().split('\n').slice(0, 5).join('\n') || e.message;
        resolve({ stdout: '', error: `go mod graph failed (exit ${typeof e.code === 'number' ? e.code : e.signal ?? e.code}): ${detail}` });
      });
  });
}

/**
 * runGoModGraph runs `go mod graph` in each module directory (relative to `repoRoot`, POSIX or
 * native), at most `concurrency` at once, and returns each module's output or error by the directory
 * as given. Outputs are cached under `.modguard-cache/` by a hash of go.mod and go.sum, so an
 * unchanged module is never run again; cache files are written atomically. Workspace mode is turned
 * off (GOWORK=off, unless the given environment sets GOWORK) so that each graph is the module's own,
 * as its go.mod and go.sum determine it. It never rejects for a module's failure.
 */
/**
 * isTrustedCache tells whether the cache folder holds only what modguard wrote on this machine. A
 * cache key is a hash of go.mod and go.sum, which the author of a change knows: an entry committed
 * to the repository (or a cache folder that is a link to elsewhere) could hand modguard any graph.
 * Such a cache is neither read nor written; every graph is computed.
 */
export async function isTrustedCache(repoRoot: string, cacheDir: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    if ((await fs.lstat(cacheDir)).isSymbolicLink()) return false;
  } catch {
    // No cache folder yet: it will be created as a plain folder.
  }
  const rel = nodePath.relative(repoRoot, cacheDir);
  if (rel.startsWith('..') || nodePath.isAbsolute(rel)) return true;
  try {
    return (await runGit(repoRoot, ['ls-files', '-z', '--', rel], env)) === '';
  } catch {
    return true; // not a git work tree: nothing can have been committed into it
  }
}

export async function runGoModGraph(
  repoRoot: string, moduleDirs: string[], opts: RunGoModGraphOptions = {},
): Promise<Map<string, GoGraphResult>> {
  const results = new Map<string, GoGraphResult>();
  const total = moduleDirs.length;
  if (total === 0) return results;
  const cacheDir = opts.cacheDir ?? nodePath.join(repoRoot, CACHE_DIR);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = opts.env ? { ...opts.env, GOWORK: opts.env.GOWORK ?? 'off' } : undefined;
  const concurrency = Math.max(1, Math.min(total, Math.floor(opts.concurrency ?? availableParallelism())));
  const trusted = await isTrustedCache(repoRoot, cacheDir, opts.env ?? process.env);
  let cacheReady: Promise<boolean> | undefined;
  const ensureCacheDir = () => (cacheReady ??= (async () => {
    if (!trusted) return false;
    try {
      await makeDirectory(cacheDir);
      // The cache is local state: keep it out of version control without touching the repository's .gitignore.
      const ignore = nodePath.join(cacheDir, '.gitignore');
      if ((await readOptional(ignore)) === undefined) await fs.writeFile(ignore, '*\n');
      return true;
    } catch {
      return false;
    }
  })());

  let done = 0;
  const one = async (dir: string): Promise<GoGraphResult> => {
    const moduleDir = nodePath.resolve(repoRoot, dir);
    let goMod: string | undefined;
    let goSum: string | undefined;
    try {
      goMod = await readOptional(nodePath.join(moduleDir, 'go.mod'));
      goSum = await readOptional(nodePath.join(moduleDir, 'go.sum'));
    } catch (err) {
      return { error: `cannot read go.mod/go.sum in ${dir}: ${(err as Error).message}`, cached: false };
    }
    if (goMod === undefined) return { error: `no go.mod in ${dir}`, cached: false };
    const cacheFile = nodePath.join(cacheDir, `${graphCacheKey(goMod, goSum)}.graph`);
    const entry = trusted ? await readOptionalBytes(cacheFile).catch(() => undefined) : undefined;
    const hit = entry === undefined ? undefined : cachedOutput(entry);
    if (hit !== undefined) return { text: hit, cached: true };
    const out = await execGoModGraph(moduleDir, env, timeoutMs);
    if (out.error) return { error: out.error, cached: false };
    // A cache that cannot be written only costs a rerun next time.
    if (await ensureCacheDir()) await writeFileAtomic(cacheFile, sealed(Buffer.from(out.stdout, 'utf8')).toString('utf8')).catch(() => undefined);
    return { text: out.stdout, cached: false };
  };

  let next = 0;
  const worker = async () => {
    while (next < total) {
      const dir = moduleDirs[next++]!;
      let result: GoGraphResult;
      try {
        result = await one(dir);
      } catch (err) {
        result = { error: `go mod graph in ${dir}: ${(err as Error)?.message ?? String(err)}`, cached: false };
      }
      results.set(dir, result);
      done++;
      opts.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // Report in the order asked, whatever order the runs finished in.
  return new Map(moduleDirs.map((d) => [d, results.get(d)!]));
}
