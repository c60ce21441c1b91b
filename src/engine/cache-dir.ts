// Where modguard keeps what it reuses between runs (the facts packs and findings of PR mode and
// shards, and the compiled code of the command): the directory, and whether to use it. A module of
// its own, with no dependency of modguard's, so that the command's start can ask it before loading
// anything else.
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * defaultCacheDir is where packs are kept: MODGUARD_CACHE_DIR, else modguard/ under XDG_CACHE_HOME
 * or ~/.cache; undefined when the environment names none of them.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MODGUARD_CACHE_DIR) return path.resolve(env.MODGUARD_CACHE_DIR);
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'modguard');
  if (env.HOME && path.isAbsolute(env.HOME)) return path.join(env.HOME, '.cache', 'modguard');
  return undefined;
}

/**
 * usesDefaultCache tells whether PR mode keeps facts in the default directory: always on a
 * developer's machine; in CI (the CI variable set, as every hosted CI sets it) only when the
 * directory exists, i.e. a cache step restored it or MODGUARD_CACHE_DIR names it. A CI job without
 * a cache step starts empty every time: writing a pack there would cost its first run, which is
 * every run, for nothing.
 */
export function usesDefaultCache(env: NodeJS.ProcessEnv, dir: string): boolean {
  if (env.MODGUARD_CACHE_DIR) return true;
  const ci = env.CI;
  if (ci === undefined || ci === '' || ci === 'false' || ci === '0') return true;
  return existsSync(dir);
}
