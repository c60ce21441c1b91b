// Compact go.sum storage for whole repositories. The go.sum files of a monorepo's modules repeat the
// same few thousand `module version` lines hundreds of times over: kept as one object per line they
// were most of the heap of a large check. A SumTable interns each distinct `path version[/go.mod]`
// key and each distinct hash once; a parsed go.sum is then SUM_STRIDE numbers per line (key, hash,
// line, and the column of the hash, where a finding on the line points, so the text is not needed
// again), and comparing hashes across the repository is integer work.
import type { GoSumEntry } from '../engine/types.ts';

/** SumTable interns go.sum keys and hashes. One table serves every go.sum of one repository. */
export class SumTable {
  /** `path version` or `path version/go.mod`, by key id. */
  readonly keys: string[] = [];
  readonly paths: string[] = [];
  readonly versions: string[] = [];
  readonly goMod: boolean[] = [];
  readonly hashes: string[] = [];
  /** Whether each hash is a well-formed `h1:` hash (what the fast line reader accepts without a closer look). */
  readonly wellFormed: boolean[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly hashIndex = new Map<string, number>();

  /** keyId returns the id of a key string already interned, or undefined. */
  keyId(key: string): number | undefined {
    return this.keyIndex.get(key);
  }

  /** addKey interns a key (the caller has checked its form) and returns its id. */
  addKey(key: string, path: string, version: string, isGoMod: boolean): number {
    let id = this.keyIndex.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.paths.push(path);
      this.versions.push(version);
      this.goMod.push(isGoMod);
      this.keyIndex.set(key, id);
    }
    return id;
  }

  hashId(hash: string): number | undefined {
    return this.hashIndex.get(hash);
  }

  addHash(hash: string, wellFormed: boolean): number {
    let id = this.hashIndex.get(hash);
    if (id === undefined) {
      id = this.hashes.length;
      this.hashes.push(hash);
      this.wellFormed.push(wellFormed);
      this.hashIndex.set(hash, id);
    }
    return id;
  }

  /** entry rebuilds the entry object of one line. */
  entry(key: number, hash: number, line: number): GoSumEntry {
    return { path: this.paths[key]!, version: this.versions[key]!, isGoMod: this.goMod[key]!, hash: this.hashes[hash]!, line };
  }
}

/** SUM_STRIDE is the count of numbers per go.sum line in CompactSum.data. */
export const SUM_STRIDE = 4;

/** CompactSum is a parsed go.sum as (key id, hash id, line, hash column) into its table. */
export interface CompactSum {
  table: SumTable;
  /** key, hash, line, column, key, hash, line, column, ... in line order. */
  data: Uint32Array;
}

/** sumKeyText is the key string of an entry: `path version` or `path version/go.mod`. */
export function sumKeyText(path: string, version: string, isGoMod: boolean): string {
  return `${path} ${version}${isGoMod ? '/go.mod' : ''}`;
}
