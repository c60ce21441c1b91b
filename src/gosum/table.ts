// Compact go.sum storage for whole repositories. The go.sum files of a monorepo's modules repeat the
// same few thousand `module version` lines hundreds of times over: kept as one object per line they
// were most of the heap of a large check. A SumTable interns each distinct `path version[/go.mod]`
// key and each distinct hash once; a parsed go.sum is then SUM_STRIDE numbers per line (key, hash,
// line, and the column of the hash, where a finding on the line points, so the text is not needed
// again), and comparing hashes across the repository is integer work.
import type { GoSumEntry } from '../engine/types.ts';
import { FNV_PRIME, fnvWords, grown, randomSeed, sameBytes, slotOf } from '../util/bytes.ts';

/** The hash number of a go.sum key whose lines do not all give it one hash (SumAgreement). */
export const DISAGREE = 0xffffffff;
/** Numbers per kept line of a key the lines disagree on (SumAgreement.disagreeing): go.sum number, hash, line, column. */
export const DISAGREE_STRIDE = 4;

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
  private keyBytesIndex: ByteIds | undefined;
  private hashBytesIndex: ByteIds | undefined;

  /**
   * keyBytes is the index of the keys by their bytes (for parseGoSumBytes), brought up to date
   * with `keys`: every key of at most BYTE_IDS_MAX_LEN ASCII characters is in it.
   */
  keyBytes(): ByteIds {
    const x = (this.keyBytesIndex ??= new ByteIds(true));
    if (x.count < this.keys.length) x.sync(this.keys);
    return x;
  }

  /** hashBytes is keyBytes for the hashes. */
  hashBytes(): ByteIds {
    const x = (this.hashBytesIndex ??= new ByteIds(false));
    if (x.count < this.hashes.length) x.sync(this.hashes);
    return x;
  }

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

/** BYTE_IDS_MAX_LEN is the longest string a ByteIds holds; longer ones are left out. */
export const BYTE_IDS_MAX_LEN = 4096;

/**
 * ByteIds finds the id of a string of SumTable.keys or .hashes from its bytes (an ASCII string's
 * bytes are its characters), so a go.sum read from bytes needs no string for a key or hash it has
 * met before. It holds the strings of ids below `count` that are ASCII and at most BYTE_IDS_MAX_LEN
 * long, each under a hash of its bytes starting from `seed`: for a hash, fnvWords over all its
 * bytes; for a key (`path version[/go.mod]`), fnvWords over the path, then the space, then
 * fnvWords over the rest (the order a line scan meets them in). A match is confirmed by comparing
 * the bytes, never by the hash alone. The seed is random and the slot is taken from all 32 bits of
 * the hash, so that inputs cannot be crafted in advance to pile their strings into one run of slots.
 *
 * For keys, it also keeps guesses for a reader: go.sum files of one repository list mostly the
 * same keys in the same order, each with the same hash, so the key read after a key last time and
 * the hash read with it are usually those of the next line. Guesses are confirmed by comparing
 * bytes too; they only save hashing and searching.
 */
export class ByteIds {
  /** Strings of ids below this have been looked at (held, or left out). */
  count = 0;
  /** The FNV basis of the hashes. */
  readonly seed = randomSeed();
  /** Per id: 1 when held and made of characters 33-126 but for one space, neither first nor last nor doubled. */
  plain = new Uint8Array(256);
  /** Per key id: the key id + 1 of the line read after it last time, 0 for none. */
  after = new Int32Array(256);
  /** Per key id: the hash id + 1 read with it last time, 0 for none. */
  hashWith = new Int32Array(256);
  /** The key id + 1 of the first line read last time, 0 for none. */
  first = 0;
  private filed = 0;
  private size = 1024;
  private slots = new Int32Array(this.size); // slot -> id + 1, 0 when free
  private at = new Int32Array(256);
  private len = new Int32Array(256);
  private hash = new Int32Array(256);
  private bytes = new Uint8Array(16 * 1024);
  private view = new DataView(this.bytes.buffer);
  private used = 0;

  constructor(private readonly isKey: boolean) {}

  /** find returns the id of the string whose bytes are buf[at, at + len), given their hash h, or -1. */
  find(buf: Uint8Array, dv: DataView, at: number, len: number, h: number): number {
    const mask = this.size - 1;
    const slots = this.slots;
    for (let s = slotOf(h) & mask; ; s = (s + 1) & mask) {
      const v = slots[s]! - 1;
      if (v < 0) return -1;
      if (this.hash[v] === h && this.matches(v, buf, dv, at, len)) return v;
    }
  }

  /** matches says whether the string of id v (below count) is held and its bytes are buf[at, at + len). */
  matches(v: number, buf: Uint8Array, dv: DataView, at: number, len: number): boolean {
    if (this.len[v] !== len || len === 0) return false;
    return sameBytes(this.bytes, this.view, this.at[v]!, buf, dv, at, len);
  }

  /** lengthOf is the length of the string of id v when held, else 0. */
  lengthOf(v: number): number {
    return this.len[v]!;
  }

  /** sync files the strings of ids count..strings.length - 1. */
  sync(strings: readonly string[]): void {
    if (strings.length > this.at.length) {
      const n = strings.length;
      this.at = grown(this.at, n);
      this.len = grown(this.len, n);
      this.hash = grown(this.hash, n);
      this.plain = grown(this.plain, n);
      this.after = grown(this.after, n);
      this.hashWith = grown(this.hashWith, n);
    }
    for (; this.count < strings.length; this.count++) this.add(strings[this.count]!, this.count);
  }

  private add(str: string, id: number): void {
    const len = str.length;
    if (len === 0 || len > BYTE_IDS_MAX_LEN) return;
    if (this.used + len > this.bytes.length) {
      let m = this.bytes.length * 2;
      while (this.used + len > m) m *= 2;
      const bigger = new Uint8Array(m);
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const o = this.used;
    let space = -1;
    let spaces = 0;
    let printable = true;
    for (let i = 0; i < len; i++) {
      const c = str.charCodeAt(i);
      if (c > 127) return;
      if (c === 32) {
        if (space < 0) space = i;
        spaces++;
      } else if (c < 33 || c > 126) {
        printable = false;
      }
      this.bytes[o + i] = c;
    }
    this.used += len;
    let h: number;
    if (this.isKey && space >= 0) {
      h = fnvWords(this.bytes, this.view, o, o + space, this.seed);
      h = Math.imul(h ^ 32, FNV_PRIME);
      h = fnvWords(this.bytes, this.view, o + space + 1, o + len, h);
    } else {
      h = fnvWords(this.bytes, this.view, o, o + len, this.seed);
    }
    this.at[id] = o;
    this.len[id] = len;
    this.hash[id] = h;
    this.plain[id] = printable && spaces === 1 && space > 0 && space < len - 1 ? 1 : 0;
    if (++this.filed * 2 > this.size) {
      this.size *= 2;
      this.slots = new Int32Array(this.size);
      for (let v = 0; v < id; v++) if (this.len[v]! > 0) this.slot(v);
    }
    this.slot(id);
  }

  private slot(id: number): void {
    const mask = this.size - 1;
    let s = slotOf(this.hash[id]!) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }
}

