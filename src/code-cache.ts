// The command's compiled code, kept between runs. A modguard run is short and runs most of its code
// once, so V8 compiling each function the first time it is called is a large part of it (a fifth of
// PR mode at a thousand modules). bin/modguard.js therefore runs the command from one file, the
// bundle (dist/modguard.cjs: all of modguard but the review screen, made by scripts/bundle.js),
// compiled with the code V8 made of it in an earlier run (vm.Script's cachedData), which is kept in
// the cache directory's `code/` folder.
//
// Kept code is run, so a file is used only when it is certainly this bundle's: its name carries the
// V8 version, the architecture and a digest of the bundle's bytes and of the V8 settings (V8 itself
// refuses data of another version or other flags, but does not compare the text); it must be a
// regular file that the user owns and that no one else may write; and it must read whole, with the
// digest it was written with (V8 would run damaged data rather than refuse it).
//
// A run writes the file when it compiled code the file may lack: there was none, V8 refused it, or
// this kind of run (`check --base` runs code that `check` does not) has written it fewer than
// WRITES_PER_KIND times. Each write keeps what the file had (the code compiled from it) and adds
// what the run compiled itself, so a kind's first run, which may not take its usual paths (a PR
// that changed no module file), does not decide alone what is kept.
//
// This module and the three it imports load before anything else of modguard: they use nothing else.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { defaultCacheDir, usesDefaultCache } from './engine/cache-dir.ts';
import { commandOf, withDefaultCommand } from './default-command.ts';
import { readOpened } from './io/read.ts';

/** The first line of a kept file; a new format gets a new line, and older files are not read. */
const MAGIC = 'modguard compiled code 2\n';

/** A kept file larger than this is not read (the bundle's code is about a megabyte). */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/** How many kept files of other bundles (other versions of modguard or node) stay beside this one's. */
const KEEP_OTHERS = 3;

/** How many runs of one kind write the kept file (each adding the code it compiled). */
export const WRITES_PER_KIND = 3;

/** How many kinds of run a kept file counts (a command line with an unknown command is a kind too). */
const MAX_KINDS = 32;

/**
 * CodeCacheState says what became of the kept code: `off` no cache directory (MODGUARD_CODE_CACHE=off,
 * or no directory to keep it in), `none` no file for this bundle yet, `read` compiled from it,
 * `rejected` V8 refused it (another node or other V8 flags), `refused` not used because it is not
 * a regular file of the user's that only the user may write, or does not read whole as written.
 */
export type CodeCacheState = 'off' | 'none' | 'read' | 'rejected' | 'refused';

export interface LoadedBundle<T> {
  exports: T;
  state: CodeCacheState;
  /** The kept file of this bundle (undefined when `off`). */
  file: string | undefined;
  /**
   * save writes the kept file when this run compiled code it lacks; call it when the run's work is
   * done. It never throws: it returns what it did, for `--debug`.
   */
  save(): string;
}

/**
 * codeCacheDir is the directory compiled code is kept in, undefined when none is to be used: the
 * `code/` folder of the cache directory a command line names (`--cache-dir DIR`; none with
 * `--no-cache`), else of the default one (MODGUARD_CACHE_DIR, XDG_CACHE_HOME, HOME), unless
 * MODGUARD_CODE_CACHE is off. `cwd` resolves a relative `--cache-dir`.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, argv: readonly string[] = [], cwd = '.'): string | undefined {
  const setting = env.MODGUARD_CODE_CACHE?.toLowerCase();
  if (setting === '0' || setting === 'off' || setting === 'false' || setting === 'no') return undefined;
  const named = namedCacheDir(argv);
  if (named === null) return undefined;
  if (named !== undefined) return path.join(path.resolve(cwd, named), 'code');
  const dir = defaultCacheDir(env);
  // The rule of the facts packs: in CI, only a cache directory a cache step restored or the job named.
  return dir !== undefined && usesDefaultCache(env, dir) ? path.join(dir, 'code') : undefined;
}

/**
 * namedCacheDir is what a command line says of the cache directory (the command parses it the same
 * way): null for `--no-cache`, the directory of `--cache-dir DIR` or `--cache-dir=DIR` (the last
 * one given), undefined for neither. Nothing after `--` is an option.
 */
function namedCacheDir(argv: readonly string[]): string | null | undefined {
  let named: string | null | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--no-cache') return null;
    if (a === '--cache-dir' && i + 1 < argv.length) named = argv[++i]!;
    else if (a.startsWith('--cache-dir=')) named = a.slice('--cache-dir='.length);
  }
  // An empty name is the command's usage error: nothing is kept for it.
  return named === '' ? null : named;
}

/**
 * nodeFlags are the options node itself was started with that can change V8's settings: all but
 * those that name code to run or load (their values included) and the inspector's and profilers'.
 */
export function nodeFlags(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const name = a.split('=')[0]!;
    if (/^(?:-e|--eval|-p|--print|-r|--require|--import|--loader|--experimental-loader|--input-type|--env-file|--title)$/.test(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    if (/^--(?:inspect|debug-port|cpu-prof|heap-prof|diagnostic-dir|report)/.test(name) || !a.startsWith('--')) continue;
    out.push(a);
  }
  return out;
}

/**
 * runKind names the kind of run a command line makes, by the code it runs: the command, with
 * `--base` and `--shard` (PR mode and shards run code a full check does not). Undefined for the
 * review screen (an explicit `review`, or a bare `modguard` in a terminal), which is not in the
 * bundle.
 */
export function runKind(argv: readonly string[], interactive: boolean): string | undefined {
  const full = withDefaultCommand([...argv], interactive);
  const command = commandOf(full) ?? 'help';
  if (command === 'review') return undefined;
  // Help and the version run little of any command.
  if (full.some((a) => a === '-h' || a === '--help' || a === '-V' || a === '--version')) return 'help';
  const given = (option: string) => full.some((a) => a === option || a.startsWith(`${option}=`));
  return [command, ...['--base', '--shard'].filter(given)].join(' ');
}

interface Kept { data: Buffer; writes: Record<string, number> }

/** readKept reads a kept file: undefined when there is none, `refused` when it is not to be trusted. */
function readKept(file: string): Kept | 'refused' | undefined {
  let fd: number;
  try {
    // Not through a link, and without waiting on something that is not a file (a named pipe).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'refused';
  }
  // Where the system has owners and modes: the user's own file, which no one else may write.
  let owned = false;
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    owned = uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
  } catch {
    // Not known to be the user's: refused.
  }
  if (!owned) {
    closeSync(fd);
    return 'refused';
  }
  try {
    // A regular file within the limit, read whole (the descriptor is closed).
    const bytes = readOpened(fd, MAX_KEPT_BYTES, false);
    if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'refused';
    const nl = bytes.indexOf(0x0a, MAGIC.length);
    if (nl < 0) return 'refused';
    const header = JSON.parse(bytes.toString('utf8', MAGIC.length, nl)) as { writes?: unknown; sha256?: unknown };
    const writes = header.writes;
    if (typeof writes !== 'object' || writes === null || Array.isArray(writes)) return 'refused';
    if (!Object.values(writes).every((n) => Number.isSafeInteger(n) && (n as number) > 0)) return 'refused';
    // V8 checks the data's version, flags and length, not its bytes (a damaged file could crash
    // it): the digest written with them is.
    const data = bytes.subarray(nl + 1);
    if (header.sha256 !== createHash('sha256').update(data).digest('hex')) return 'refused';
    return { data, writes: writes as Record<string, number> };
  } catch {
    return 'refused';
  }
}

/**
 * writeKept writes a kept file atomically (a temporary file renamed over it, readable and writable
 * by the user alone), then removes all but the KEEP_OTHERS newest files of other bundles.
 */
function writeKept(dir: string, file: string, writes: Readonly<Record<string, number>>, data: Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const header = JSON.stringify({ writes, sha256: createHash('sha256').update(data).digest('hex') });
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${header}\n`, 'utf8'), data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* never written */ }
    throw err;
  }
  const others: { name: string; t: number }[] = [];
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (p === file || !name.startsWith('modguard-')) continue;
    try {
      const t = statSync(p).mtimeMs;
      // A temporary file is another run's write in progress, unless it is old (a run that died).
      if (name.endsWith('.tmp')) { if (t < hourAgo) unlinkSync(p); } else if (name.endsWith('.code')) others.push({ name, t });
    } catch { /* removed meanwhile */ }
  }
  others.sort((a, b) => b.t - a.t);
  for (const { name } of others.slice(KEEP_OTHERS)) {
    try { unlinkSync(path.join(dir, name)); } catch { /* removed meanwhile */ }
  }
}

/**
 * loadBundle runs a CommonJS bundle in this context (as node's own loader would, with `require`
 * resolving beside it) and returns its exports, compiled with the code kept in `dir` for it (none
 * with `dir` undefined). `kind` is this run's runKind: save() writes the kept file while fewer than
 * WRITES_PER_KIND runs of that kind have. `env` holds the V8 settings the name of the kept file
 * depends on. Throws what compiling or running the bundle throws.
 */
export function loadBundle<T>(bundleFile: string, kind: string, dir: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadedBundle<T> {
  const bytes = readFileSync(bundleFile);
  // The bundle is ASCII (esbuild escapes the rest): read as Latin-1, it is a one-byte string.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  // The V8 settings are part of the name too: V8 refuses code compiled under other flags, and runs
  // with other settings (MODGUARD_V8_FLAGS, set or not; NODE_OPTIONS; node's own options) would
  // otherwise replace each other's file.
  const flags = JSON.stringify([env.NODE_OPTIONS ?? null, env.MODGUARD_V8_FLAGS ?? null, nodeFlags(process.execArgv)]);
  const digest = createHash('sha256').update(bytes).update(flags).digest('hex').slice(0, 32);
  const file = dir === undefined ? undefined : path.join(dir, `modguard-${process.versions.v8}-${process.arch}-${digest}.code`);
  let state: CodeCacheState = file === undefined ? 'off' : 'none';
  let kept: Kept | undefined;
  if (file !== undefined) {
    const read = readKept(file);
    if (read === 'refused') state = 'refused';
    else kept = read;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  // The review screen's modules are imported by the bundle only if it is asked to run it (bin/modguard.js
  // runs the screen from the modules instead): node's own loader then imports them.
  const importer = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapped, {
    filename: bundleFile,
    ...(kept ? { cachedData: kept.data } : {}),
    ...(importer ? { importModuleDynamically: importer } : {}),
  });
  if (kept) state = script.cachedDataRejected ? 'rejected' : 'read';
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return {
    exports: module.exports,
    state,
    file,
    save(): string {
      if (file === undefined) return 'not kept (no cache directory, or MODGUARD_CODE_CACHE=off)';
      const known = state === 'read' ? kept!.writes : {};
      const written = Object.hasOwn(known, kind) ? known[kind]! : 0;
      if (written >= WRITES_PER_KIND || (written === 0 && Object.keys(known).length >= MAX_KINDS)) return `compiled from ${file}`;
      try {
        writeKept(dir!, file, { ...known, [kind]: written + 1 }, script.createCachedData());
      } catch (err) {
        return `${state === 'read' ? `compiled from ${file}; ` : ''}not written: ${(err as Error).message}`;
      }
      const was = state === 'read' ? 'compiled from it, and' : state === 'none' ? 'none kept yet;' : state === 'rejected' ? 'the kept code refused by V8 (another node, or other V8 flags);' : 'the kept file not trusted (not a regular file of this user\'s alone, or damaged);';
      return `${was} saved ${file} for \`${kind}\``;
    },
  };
}

/** The exports of the bundle (src/bundle.ts). */
export interface BundleExports {
  runCli: () => Promise<void>;
  runCheck: typeof import('./commands/check-run.ts').runCheck;
}

/**
 * isCurrent tells whether the bundle is at least as new as every compiled module it was made of:
 * scripts/bundle.js lists them beside it (`<bundle>.json`), and a build that stopped before
 * bundling, or one that rewrote some modules since (`tsc --watch`), leaves one newer. A missing
 * list makes the bundle not current.
 */
export function isCurrent(bundleFile: string): boolean {
  const made = statSync(bundleFile).mtimeMs;
  const list = JSON.parse(readFileSync(`${bundleFile}.json`, 'utf8')) as { inputs?: unknown };
  if (!Array.isArray(list.inputs)) return false;
  const dir = path.dirname(bundleFile);
  for (const input of list.inputs) {
    if (typeof input !== 'string' || statSync(path.join(dir, input)).mtimeMs > made) return false;
  }
  return true;
}

/**
 * bundledCommand loads the bundle for the command line argv, with the code kept for it: undefined
 * when the command is the review screen, when the bundle is not current (isCurrent), or when it
 * cannot be loaded or does not export the command line. The caller then runs the modules, as
 * without a bundle. `cwd` resolves a relative `--cache-dir`.
 */
export function bundledCommand(
  bundleFile: string, argv: readonly string[], env: NodeJS.ProcessEnv, interactive: boolean, cwd = '.',
): LoadedBundle<BundleExports> | undefined {
  const kind = runKind(argv, interactive);
  if (kind === undefined) return undefined;
  try {
    if (!isCurrent(bundleFile)) return undefined;
    const loaded = loadBundle<BundleExports>(bundleFile, kind, codeCacheDir(env, argv, cwd), env);
    return typeof loaded.exports?.runCli === 'function' ? loaded : undefined;
  } catch {
    return undefined;
  }
}
