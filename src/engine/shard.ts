// Sharding splits the modules of one repository over N CI jobs. A module's shard comes from a hash
// of its directory, not from its index in a sorted list, so adding or removing a module moves only
// that module and every other one stays in the shard (and cache) it had.
import { UsageError } from '../commands/context.ts';
import type { Repository } from './types.ts';
import { buildRepoGraph } from '../graph/repo-graph.ts';

export interface ShardSpec {
  /** 1-based shard number. */
  k: number;
  /** Number of shards. */
  n: number;
}

/** MAX_SHARDS bounds N: more jobs than this is a typo, not a plan. */
export const MAX_SHARDS = 10_000;

/** parseShardSpec reads `K/N` (1 ≤ K ≤ N). */
export function parseShardSpec(s: string): ShardSpec {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(s);
  if (!m) throw new UsageError(`--shard expects K/N, e.g. 2/4, got ${JSON.stringify(s)}`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > MAX_SHARDS) throw new UsageError(`--shard ${s}: N must be between 1 and ${MAX_SHARDS}`);
  if (k < 1 || k > n) throw new UsageError(`--shard ${s}: K must be between 1 and N (${n})`);
  return { k, n };
}

/** shardOf is the 1-based shard of a module directory among n. */
export function shardOf(moduleDir: string, n: number): number {
  return (hashString(moduleDir) % n) + 1;
}

/** selectShard returns the module directories that belong to shard k of n. */
export function selectShard(moduleDirs: string[], k: number, n: number): Set<string> {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 1 || k > n) {
    throw new UsageError(`shard ${k}/${n}: K must be between 1 and N`);
  }
  const out = new Set<string>();
  for (const dir of moduleDirs) if (shardOf(dir, n) === k) out.add(dir);
  return out;
}

/**
 * shardFocus is what shard k of n reports on: its modules (selectShard), and the directory of each
 * go.work that uses none of the repository's modules when the directory falls to this shard. A
 * go.work's findings are reported with the modules it uses; one that uses none (every `use` line
 * stale) would otherwise be reported by no shard, though an unsharded run reports it.
 */
export function shardFocus(repo: Repository, k: number, n: number): Set<string> {
  const dirs = repo.modules.map((m) => m.dir);
  const focus = selectShard(dirs, k, n);
  const modules = new Set(dirs);
  // The module graph knows each go.work's members (the rules build it anyway).
  const { workspaces } = buildRepoGraph(repo);
  for (const w of repo.workFiles) {
    if (modules.has(w.dir) || shardOf(w.dir, n) !== k) continue;
    if ((workspaces.get(w.dir)?.length ?? 0) === 0) focus.add(w.dir);
  }
  return focus;
}

/**
 * hashString is FNV-1a over the UTF-8 bytes followed by murmur3's finalizer (FNV alone leaves
 * similar paths like `svc/a1`, `svc/a2` in neighbouring buckets). Stable across platforms and
 * releases: changing it reshuffles every sharded CI setup.
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
