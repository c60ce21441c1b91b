// Byte-level helpers shared by the go.sum and graph readers, which find keys they have met before
// from a file's bytes without making a string per word: FNV-1a hashing four bytes at a time, a
// byte comparison four bytes at a time, and the mixing that turns a hash into a table slot.

/** FNV_OFFSET is FNV-1a's 32-bit offset basis. */
export const FNV_OFFSET = -2128831035;
/** FNV_PRIME is FNV-1a's 32-bit prime. */
export const FNV_PRIME = 16777619;

/**
 * randomSeed is an FNV basis of this process: tables that place strings by a hash from it cannot
 * be flooded by inputs crafted in advance to pile into one run of slots.
 */
export function randomSeed(): number {
  return (FNV_OFFSET ^ Math.floor(Math.random() * 0x100000000)) | 0;
}

/**
 * fnvWords hashes bytes [at, end) from h with FNV-1a: four bytes at a time (little-endian words),
 * then the last (end - at) % 4 bytes one by one.
 */
export function fnvWords(bytes: Uint8Array, dv: DataView, at: number, end: number, h: number): number {
  let i = at;
  for (const e4 = end - 4; i <= e4; i += 4) h = Math.imul(h ^ dv.getInt32(i, true), FNV_PRIME);
  for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h;
}

/** The hash hashWord computed last (a second result, kept here so that no object is made per word). */
export let wordHash = 0;

/**
 * hashWord hashes the word of bytes 33-126 starting at `at` (before `n`) with FNV-1a from h, as
 * fnvWords hashes those bytes: four bytes at a time while none of the four is below 33 or above
 * 126 (the word test flags exactly those), then byte by byte. It returns the index of the byte that
 * ends the word and leaves the hash in wordHash.
 */
export function hashWord(buf: Uint8Array, dv: DataView, at: number, n: number, h: number): number {
  let i = at;
  for (const e4 = n - 4; i <= e4; i += 4) {
    const x = dv.getInt32(i, true);
    if ((((x - 0x21212121) & ~x) | (x + 0x01010101) | x) & 0x80808080) break;
    h = Math.imul(h ^ x, FNV_PRIME);
  }
  for (; i < n; i++) {
    const c = buf[i]!;
    if (c < 33 || c > 126) break;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  wordHash = h;
  return i;
}

/** sameBytes tells whether a[ai, ai + len) and b[bi, bi + len) hold the same bytes (av, bv: their views). */
export function sameBytes(a: Uint8Array, av: DataView, ai: number, b: Uint8Array, bv: DataView, bi: number, len: number): boolean {
  let i = 0;
  const w = len - 4;
  while (i <= w && av.getInt32(ai + i, true) === bv.getInt32(bi + i, true)) i += 4;
  while (i < len && a[ai + i] === b[bi + i]) i++;
  return i === len;
}

/** slotOf spreads all 32 bits of a hash over the low bits a table slot is taken from. */
export function slotOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * grown is `a`, or a copy of it at least `need` long (its length doubled as often as that takes),
 * for the growable typed arrays of the readers' tables.
 */
export function grown<T extends Int32Array | Uint32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let m = Math.max(a.length, 1) * 2;
  while (m < need) m *= 2;
  const b = new (a.constructor as new (length: number) => T)(m);
  b.set(a);
  return b;
}
