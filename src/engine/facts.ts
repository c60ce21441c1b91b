// Facts kept between runs. PR mode reports on the few modules a change affects, but the
// whole-repository rules read every go.mod and go.sum of the repository to judge those few. What
// they read of a module no rule reports on is small: its module path, go and toolchain versions,
// its requirements and replacements with their places, and its go.sum lines as interned numbers.
// Those facts are kept in one pack file per repository, each under the git blob id of the file it
// was read from: a go.mod or go.sum the change did not touch has the blob id it has at the merge
// base, so its facts are found by `git ls-tree` alone, without reading or parsing the file.
//
// A module built from facts (a "lite" module) has a ModFile with the statements those rules read
// (module, go, toolchain, require, replace); its lines carry the start positions of the tokens
// rules point at, and its text is read from disk only if something asks for it. Modules the check
// reports on are always parsed from their text (see upgradeModule).
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import path from 'node:path';
import type { Comments, Line, ModFile, ModuleVersion, Position, ReplaceStmt, RequireStmt, Token } from '../gomod/types.ts';
import { moduleVersion } from '../gomod/modfile.ts';
import { tokenStarts } from '../gomod/syntax.ts';
import { compactGoSum, isH1Hash, parseGoSum, SumTable } from '../gosum/parse.ts';
import { DISAGREE, DISAGREE_STRIDE, SUM_STRIDE } from '../gosum/table.ts';
import { grown } from '../util/bytes.ts';
import { hasSuppressionMark } from './suppress.ts';
import type { ModuleInfo, Repository, SumAgreement } from './types.ts';
import { isTallied, RequireTally, TALLY_KINDS } from './tally.ts';
import { isPseudoVersion } from '../version/index.ts';
import { hasDeferredSum, hasGoSum, modulesByDir, setDeferredSum, setLazyText } from './assemble.ts';
import { READ_NONBLOCKING, readOne, realRoot } from '../io/read.ts';
import { makeDirectory } from '../io/atomic.ts';
import { buildRepoGraph, graphShape, linksOf, type KnownLinks } from '../graph/repo-graph.ts';
import type { Git } from '../io/git.ts';
import { mayNameSkipped } from './load.ts';

/** FACTS_FORMAT changes whenever what a pack holds, or how a file's facts are read, changes. */
export const FACTS_FORMAT = 10;
const MAGIC = 'MGFACTS\n';
/**
 * A pack file: MAGIC, the header's length in bytes and the count of numbers (two little-endian
 * 32-bit numbers), then the numbers (32-bit, little-endian), then the header (JSON), a newline and
 * the pack's digest: the SHA-256 (hex) of the numbers outside the go.sum records and of the JSON.
 * Each go.sum record has a check number of its own in the header (recordCheck), tested when it is
 * decoded: those records, most of a pack, are read from the file only as they are needed
 * (LazyRegion). A pack damaged since it was written is so never read for facts, even where every
 * number of it stays in range. The header comes last so that the numbers can be written as they
 * are made (PackWriter's sink).
 */
const PACK_PREFIX = MAGIC.length + 8;
/** How many numbers a PackWriter with a sink gathers before handing them on (4 MB). */
const FLUSH_NUMBERS = 1 << 20;
/** Packs larger than this are not read (the bench's pack of 10,000 modules is 122 MB). */
const MAX_PACK_BYTES = 1 << 30;

const EMPTY_COMMENTS: Comments = Object.freeze({ before: [], suffix: [], after: [] }) as unknown as Comments;

/** The per-module header: module path + 1, go + 1, toolchain + 1, flags, requires, replaces, then three positions. */
const MOD_HEADER = 6 + 3 * 3;
/** Per requirement: path, version, flags, path token (line, column, offset), version token (line, column, offset). */
const REQ_STRIDE = 9;
/** Per replacement: old path, old version, new path, new version, first token and target token positions. */
const REP_STRIDE = 10;
const FLAG_INDIRECT = 1;
const FLAG_MARK = 1;

/** Why a pack could not be used (a bad file is ignored, never trusted). */
class PackError extends Error {}

/**
 * sealPackHeader is the header part of a pack (its JSON, a newline and the digest) for a header and
 * the pack's numbers, as PackWriter.finish makes it: for laying out a pack by other means.
 */
export function sealPackHeader(header: object, numbers: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // The records as the header names them (what a reader leaves out of the digest); a header that
  // names none well is sealed as one without go.sum records.
  const { sumAt, sumLength } = header as { sumAt?: unknown; sumLength?: unknown };
  const starts = Array.isArray(sumAt) && Array.isArray(sumLength) && sumAt.length === sumLength.length ? sumAt : [];
  const records = starts.map((at: unknown, i) => [Number(at), Number(at) + Number((sumLength as unknown[])[i])] as const)
    .filter(([a, b]) => Number.isInteger(a) && Number.isInteger(b))
    .sort((a, b) => a[0] - b[0]).flat();
  return Buffer.concat([json, Buffer.from(`\n${packDigest(numbers, records, json)}`, 'latin1')]);
}

/** recordCheck is the check number of numbers d[from, to) (FNV-1a over 32-bit words). */
function recordCheck(d: Uint32Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ d[i]!, 16777619);
  return h >>> 0;
}

/**
 * packDigest is a pack's digest (see PACK_PREFIX): of `numbers` (the pack's numbers from number 0)
 * outside the go.sum records, given as [start, end) pairs in ascending order, and of the header's
 * JSON. Numbers the caller has not read (a LazyRegion) must lie in the records.
 */
function packDigest(numbers: Uint8Array, records: readonly number[], json: Uint8Array): string {
  const hash = createHash('sha256');
  hashOutside(hash, numbers, 0, records, 0);
  return hash.update(json).digest('hex');
}

/**
 * hashOutside adds to `hash` the numbers (`bytes`, from number `base` of the pack) that lie outside
 * the go.sum records ([start, end) pairs in ascending order, from pair `next`); it returns the
 * first pair not yet passed (PackWriter hashes its numbers a part at a time).
 */
function hashOutside(hash: Hash, bytes: Uint8Array, base: number, records: readonly number[], next: number): number {
  const end = base + bytes.length / 4;
  let from = base;
  for (; next < records.length && records[next]! < end; next += 2) {
    if (records[next]! > from) hash.update(bytes.subarray((from - base) * 4, (records[next]! - base) * 4));
    from = Math.max(from, records[next + 1]!);
  }
  if (from < end) hash.update(bytes.subarray((from - base) * 4));
  return next;
}

function position(line: number, column: number, offset: number): Position {
  return { line, column, offset };
}

function token(text: string, line: number, column: number, offset: number): Token {
  return { text, start: position(line, column, offset), end: position(line, column + text.length, offset + text.length) };
}

function stubLine(start: Position, tokens: Token[]): Line {
  const end = tokens.length > 0 ? tokens[tokens.length - 1]!.end : start;
  return { kind: 'line', comments: EMPTY_COMMENTS, start, tokens, inBlock: true, end };
}

/** A requirement read from facts: its line (two tokens, in-block shape) is made when first read. */
class LiteRequire implements RequireStmt {
  #syntax: Line | undefined;
  constructor(readonly mod: ModuleVersion, readonly indirect: boolean, private readonly data: Uint32Array, private readonly at: number) {}
  /** The version token's line, as the syntax below places it. */
  get versionLine(): number {
    return this.data[this.at + 6]!;
  }
  get syntax(): Line {
    if (this.#syntax === undefined) {
      const d = this.data;
      const i = this.at;
      const p = token(this.mod.path, d[i + 3]!, d[i + 4]!, d[i + 5]!);
      const v = token(this.mod.version, d[i + 6]!, d[i + 7]!, d[i + 8]!);
      this.#syntax = stubLine(p.start, [p, v]);
    }
    return this.#syntax;
  }
}

/** A replacement read from facts: its line holds `old [version] => new [version]` with the first and target tokens placed. */
class LiteReplace implements ReplaceStmt {
  #syntax: Line | undefined;
  readonly #target: ModuleVersion;
  constructor(readonly old: ModuleVersion, target: ModuleVersion, private readonly data: Uint32Array, private readonly at: number) {
    this.#target = target;
  }
  /** The replacement (`new` cannot name a parameter property). */
  get new(): ModuleVersion {
    return this.#target;
  }
  get syntax(): Line {
    if (this.#syntax === undefined) {
      const d = this.data;
      const i = this.at;
      const first = token(this.old.path, d[i + 4]!, d[i + 5]!, d[i + 6]!);
      const target = token(this.#target.path, d[i + 7]!, d[i + 8]!, d[i + 9]!);
      const arrow = token('=>', target.start.line, Math.max(1, target.start.column - 3), Math.max(0, target.start.offset - 3));
      this.#syntax = stubLine(first.start, [first, arrow, target]);
    }
    return this.#syntax;
  }
}

/** liteModFile is the ModFile of a module built from facts: the statements the rules read, the others empty. */
function liteModFile(
  module: ModFile['module'], go: ModFile['go'], toolchain: ModFile['toolchain'],
  require: RequireStmt[], replace: ReplaceStmt[], syntax: ModFile['syntax'],
): ModFile {
  return { module, go, toolchain, godebug: NO_STATEMENTS, require, exclude: NO_STATEMENTS, replace, retract: NO_STATEMENTS, tool: NO_STATEMENTS, ignore: NO_STATEMENTS, syntax };
}

/** The empty list of the statements a module built from facts does not have (never added to). */
const NO_STATEMENTS: never[] = Object.freeze([]) as unknown as never[];

/** ModFacts are the decoded facts of one go.mod. */
interface ModFacts {
  modulePath: string;
  mark: boolean;
  mod: ModFile;
}

/** PackParts are what a Pack is made of (packFrom reads them from a pack's header and numbers). */
export interface PackParts {
  strings: readonly string[];
  /** Where each go.mod and go.sum blob's record lies among the numbers. */
  mods: ReadonlyMap<string, number>;
  sums: ReadonlyMap<string, number>;
  data: Uint32Array;
  /** Blobs known to have no facts (PackHeader.skipMods, skipSums). */
  skipMods?: ReadonlySet<string>;
  skipSums?: ReadonlySet<string>;
  graph?: PackGraph | undefined;
  /** The string of each go.sum key and hash the sums' lines name (PackHeader.sumKeys, sumHashes). */
  sumKeys?: readonly number[];
  sumHashes?: readonly number[];
  /**
   * For each go.sum key number, the hash number every line of the pack's sums gives it, or
   * DISAGREE (PackHeader.sumAgree); undefined when the pack has none that reads.
   */
  sumAgree?: Uint32Array | undefined;
  /** PackHeader.sumDisagree's numbers, read by `disagreeing` when first asked. */
  disagreeData?: Uint32Array | undefined;
  /** The go.sum records, when they are read from the file only as they are decoded (readPack's LazyRegion). */
  lazy?: { ensure(at: number): void } | undefined;
  /** The tally of the requirements of some go.mod records (PackHeader.tally), checked when first asked for. */
  tallyHeader?: PackTallyHeader | undefined;
  /** PackHeader.pseudo's numbers, read by `pseudoOf` when first asked. */
  pseudoData?: Uint32Array | undefined;
  /** Each go.sum record's count of numbers and check number, by its start (PackHeader.sumLength, sumCheck). */
  sumChecks?: ReadonlyMap<number, readonly [number, number]>;
}

/**
 * Pack is one read pack file: string table, the offset of each blob's facts, and the numbers.
 * Decoding checks every count and id against the pack's bounds, so a damaged pack fails as a
 * whole (PackError) instead of giving wrong facts.
 */
export class Pack {
  readonly strings: readonly string[];
  readonly mods: ReadonlyMap<string, number>;
  readonly sums: ReadonlyMap<string, number>;
  readonly data: Uint32Array;
  readonly skipMods: ReadonlySet<string>;
  readonly skipSums: ReadonlySet<string>;
  readonly graph: PackGraph | undefined;
  readonly sumKeys: readonly number[];
  readonly sumHashes: readonly number[];
  readonly sumAgree: Uint32Array | undefined;
  private readonly disagreeData: Uint32Array | undefined;
  private readonly lazy: PackParts['lazy'];
  private readonly tallyHeader: PackTallyHeader | undefined;
  private readonly sumChecks: ReadonlyMap<number, readonly [number, number]> | undefined;
  private readonly pseudoData: Uint32Array | undefined;

  constructor(parts: PackParts) {
    this.strings = parts.strings;
    this.mods = parts.mods;
    this.sums = parts.sums;
    this.data = parts.data;
    this.skipMods = parts.skipMods ?? new Set();
    this.skipSums = parts.skipSums ?? new Set();
    this.graph = parts.graph;
    this.sumKeys = parts.sumKeys ?? [];
    this.sumHashes = parts.sumHashes ?? [];
    this.sumAgree = parts.sumAgree;
    this.disagreeData = parts.disagreeData;
    this.lazy = parts.lazy;
    this.tallyHeader = parts.tallyHeader;
    this.sumChecks = parts.sumChecks;
    this.pseudoData = parts.pseudoData;
  }

  #pseudo: Map<number, number> | null | undefined;

  /**
   * pseudoOf gives where the list of a go.mod record's requirements at pseudo-versions lies in the
   * pseudo section (its count first), by the record's offset; undefined when the pack has no such
   * section, or one that does not read (a count or number out of the record's bounds, a list not
   * ascending, or not one list per record: checked whole when first asked).
   */
  pseudoOf(at: number): number | undefined {
    if (this.#pseudo === undefined) this.#pseudo = this.readPseudo() ?? null;
    return this.#pseudo?.get(at);
  }

  private readPseudo(): Map<number, number> | undefined {
    const p = this.pseudoData;
    if (!p) return undefined;
    const d = this.data;
    const out = new Map<number, number>();
    let i = 0;
    for (const at of this.mods.values()) {
      if (i >= p.length || at + MOD_HEADER > d.length) return undefined;
      const count = p[i]!;
      const reqs = d[at + 4]!;
      if (count > reqs || i + 1 + count > p.length) return undefined;
      for (let k = 1; k <= count; k++) {
        if (p[i + k]! >= reqs || (k > 1 && p[i + k]! <= p[i + k - 1]!)) return undefined;
      }
      out.set(at, i);
      i += 1 + count;
    }
    return i === p.length ? out : undefined;
  }

  /**
   * modPseudo is `mod` with `keep` asked only of the record's requirements at pseudo-versions
   * (pseudoOf's list at `list`): those `keep` accepts are made, every replace `keepReplace` accepts
   * too, and `like` lends the other statements. The ids of the requirements listed and of the
   * replaces are checked; a listed requirement whose version is not a pseudo-version (`pseudo`) is
   * damage.
   */
  modPseudo(
    blob: string, file: string, list: number, keep: (pathId: number) => boolean, pseudo: (versionId: number) => boolean, like: ModFile,
    keepReplace: (pathId: number) => boolean,
  ): ModFacts | undefined {
    const at = this.mods.get(blob);
    const p = this.pseudoData;
    if (at === undefined || !p) return undefined;
    const d = this.data;
    this.need(at, MOD_HEADER);
    const nReq = d[at + 4]!;
    const nRep = d[at + 5]!;
    this.need(at + MOD_HEADER, nReq * REQ_STRIDE + nRep * REP_STRIDE);
    const strings = this.strings.length;
    const require: RequireStmt[] = [];
    const count = p[list]!;
    for (let k = 1; k <= count; k++) {
      const i = at + MOD_HEADER + p[list + k]! * REQ_STRIDE;
      const path = d[i]!;
      const version = d[i + 1]!;
      if (path >= strings || version >= strings) throw new PackError(`requirement string out of range at ${i}`);
      if (!pseudo(version)) throw new PackError(`requirement at ${i} is listed as at a pseudo-version`);
      if (!keep(path)) continue;
      require.push(new LiteRequire(this.pair(path, version), (d[i + 2]! & FLAG_INDIRECT) !== 0, d, i));
    }
    const replace: ReplaceStmt[] = [];
    for (let r = 0, i = at + MOD_HEADER + nReq * REQ_STRIDE; r < nRep; r++, i += REP_STRIDE) {
      const path = d[i]!;
      if (path >= strings || d[i + 1]! >= strings || d[i + 2]! >= strings || d[i + 3]! >= strings) throw new PackError(`replace string out of range at ${i}`);
      if (!keepReplace(path)) continue;
      replace.push(new LiteReplace(this.pair(path, d[i + 1]!), this.pair(d[i + 2]!, d[i + 3]!), d, i));
    }
    return { modulePath: this.optional(d[at]!) ?? '', mark: (d[at + 3]! & FLAG_MARK) !== 0, mod: liteModFile(like.module, like.go, like.toolchain, require, replace, like.syntax) };
  }

  /**
   * tally decodes the pack's requirement tally (a new one at each call): which module dir's go.mod
   * blob it counts, and the counts. Undefined when the pack has none, or one that does not read
   * (every string id, kind and count is checked, and each blob must have its record here).
   */
  tally(): PackTally | undefined {
    const h = this.tallyHeader;
    if (!h) return undefined;
    if (!isStringList(h.dirs) || !isStringList(h.blobs) || h.dirs.length !== h.blobs.length || new Set(h.dirs).size !== h.dirs.length) return undefined;
    if (!h.blobs.every((b) => this.mods.has(b))) return undefined;
    const section = sectionOf(h, this.data.length);
    if (!section || section.length % TALLY_STRIDE !== 0) return undefined;
    const d = this.data.subarray(section.at, section.at + section.length);
    const n = this.strings.length;
    const tally = new RequireTally();
    for (let i = 0; i < d.length; i += TALLY_STRIDE) {
      if (d[i]! >= n || d[i + 1]! >= n || d[i + 2]! >= TALLY_KINDS || d[i + 3] === 0) return undefined;
      tally.add(this.strings[d[i]!]!, this.strings[d[i + 1]!]!, d[i + 2]!, d[i + 3]!);
    }
    return { dirs: h.dirs, blobs: h.blobs, tally };
  }

  #disagreeing: Map<number, Uint32Array> | null | undefined;

  /**
   * disagreeing gives, for each go.sum key whose lines give it more than one hash (sumAgree's
   * DISAGREE), its lines: DISAGREE_STRIDE numbers each (record offset, hash, line, column), in the
   * order of the records and of the lines in each. Undefined when the pack keeps none, or keeps
   * them damaged (checked whole when first asked).
   */
  disagreeing(): ReadonlyMap<number, Uint32Array> | undefined {
    if (this.#disagreeing === undefined) this.#disagreeing = this.readDisagreeing() ?? null;
    return this.#disagreeing ?? undefined;
  }

  private readDisagreeing(): Map<number, Uint32Array> | undefined {
    const d = this.disagreeData;
    const agree = this.sumAgree;
    if (!d || !agree) return undefined;
    const records = new Set(this.sums.values());
    const out = new Map<number, Uint32Array>();
    let last = -1;
    for (let i = 0; i < d.length;) {
      if (i + 2 > d.length) return undefined;
      const k = d[i]!;
      const count = d[i + 1]!;
      const end = i + 2 + count * DISAGREE_STRIDE;
      if (k <= last || k >= agree.length || agree[k] !== DISAGREE || count === 0 || end > d.length) return undefined;
      const lines = d.subarray(i + 2, end);
      for (let j = 0; j < lines.length; j += DISAGREE_STRIDE) {
        if (!records.has(lines[j]!) || lines[j + 1]! >= this.sumHashes.length) return undefined;
      }
      out.set(k, lines);
      last = k;
      i = end;
    }
    return out;
  }

  /** sumKey is the key string of a go.sum key number of the pack's lines. */
  sumKey(k: number): string {
    const id = this.sumKeys[k];
    if (id === undefined) throw new PackError(`go.sum key ${k} out of range`);
    return this.str(id);
  }

  /** sumHash is sumKey for a hash number. */
  sumHash(h: number): string {
    const id = this.sumHashes[h];
    if (id === undefined) throw new PackError(`go.sum hash ${h} out of range`);
    return this.str(id);
  }

  private seeded: SumTable | undefined;

  /**
   * seededTable is the table of the pack's go.sum keys and hashes, numbered as its lines number them
   * (decodePack checked that no key or hash is named twice), so that the go.sum facts decoded into
   * it are the pack's own numbers, not copies. One per pack: the run interns its other go.sum files
   * into it too.
   */
  seededTable(): SumTable {
    if (this.seeded) return this.seeded;
    const table = new SumTable();
    for (let k = 0; k < this.sumKeys.length; k++) internKey(table, this.sumKey(k));
    for (let h = 0; h < this.sumHashes.length; h++) {
      const hash = this.sumHash(h);
      table.addHash(hash, isH1Hash(hash));
    }
    return (this.seeded = table);
  }

  hasMod(blob: string): boolean {
    return this.mods.has(blob);
  }

  hasSum(blob: string): boolean {
    return this.sums.has(blob);
  }

  /** The shared path@version value of two string ids (the pack's strings are few; its pairs repeat). */
  private readonly pairs = new Map<number, ModuleVersion>();

  private pair(path: number, version: number): ModuleVersion {
    const key = path * this.strings.length + version;
    let v = this.pairs.get(key);
    if (v === undefined) this.pairs.set(key, (v = moduleVersion(this.str(path), this.str(version))));
    return v;
  }

  private str(id: number): string {
    const s = this.strings[id];
    if (s === undefined) throw new PackError(`string ${id} out of range`);
    return s;
  }

  private optional(id: number): string | undefined {
    return id === 0 ? undefined : this.str(id - 1);
  }

  private need(at: number, n: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + n > this.data.length) throw new PackError(`record at ${at} runs past the end`);
  }

  /**
   * mod decodes the go.mod facts of a blob, or undefined when the pack has none. With `keep`, only
   * the requirements whose path's and version's string ids it accepts are made, and with
   * `keepReplace` only the replaces whose old path's it accepts (all when not given). `like`, a
   * ModFile decoded from the same record before, lends its other statements.
   */
  mod(blob: string, file: string, keep?: (pathId: number, versionId: number) => boolean, like?: ModFile, keepReplace?: (pathId: number) => boolean): ModFacts | undefined {
    const at = this.mods.get(blob);
    if (at === undefined) return undefined;
    const d = this.data;
    this.need(at, MOD_HEADER);
    const modulePath = this.optional(d[at]!);
    const go = this.optional(d[at + 1]!);
    const toolchain = this.optional(d[at + 2]!);
    const mark = (d[at + 3]! & FLAG_MARK) !== 0;
    const nReq = d[at + 4]!;
    const nRep = d[at + 5]!;
    const lineAt = (k: number) => position(d[at + 6 + 3 * k]!, d[at + 7 + 3 * k]!, d[at + 8 + 3 * k]!);
    let i = at + MOD_HEADER;
    this.need(i, nReq * REQ_STRIDE + nRep * REP_STRIDE);
    const require: RequireStmt[] = [];
    const replace: ReplaceStmt[] = [];
    const strings = this.strings.length;
    // Keeping nothing (a module built from facts starts so) reads the header alone: the statements'
    // ids are checked when the module is narrowed, which decodes them (FactsSession.narrow).
    const statements = keep !== NONE || keepReplace !== NONE;
    for (let r = 0; statements && r < nReq; r++, i += REQ_STRIDE) {
      const p = d[i]!;
      // Every id is checked, kept or not: a record that decodes once decodes under any `keep`.
      if (p >= strings || d[i + 1]! >= strings) throw new PackError(`requirement string out of range at ${i}`);
      if (keep && !keep(p, d[i + 1]!)) continue;
      require.push(new LiteRequire(this.pair(p, d[i + 1]!), (d[i + 2]! & FLAG_INDIRECT) !== 0, d, i));
    }
    for (let r = 0; statements && r < nRep; r++, i += REP_STRIDE) {
      const p = d[i]!;
      if (p >= strings || d[i + 1]! >= strings || d[i + 2]! >= strings || d[i + 3]! >= strings) throw new PackError(`replace string out of range at ${i}`);
      if (keepReplace && !keepReplace(p)) continue;
      replace.push(new LiteReplace(this.pair(p, d[i + 1]!), this.pair(d[i + 2]!, d[i + 3]!), d, i));
    }
    // Narrowing a module decoded before changes its requirements and replaces only. Every field is
    // written in one order (absent statements undefined), not spread: ten thousand modules made
    // by spreads of objects of several shapes cost a tenth of PR mode's decoding.
    if (like) return { modulePath: modulePath ?? '', mark, mod: liteModFile(like.module, like.go, like.toolchain, require, replace, like.syntax) };
    const mod = liteModFile(
      modulePath !== undefined ? { mod: moduleVersion(modulePath, ''), deprecated: '', syntax: stubLine(lineAt(0), []) } : undefined,
      go !== undefined ? { version: go, syntax: stubLine(lineAt(1), []) } : undefined,
      toolchain !== undefined ? { name: toolchain, syntax: stubLine(lineAt(2), []) } : undefined,
      require, replace, { name: file, comments: EMPTY_COMMENTS, stmts: [] },
    );
    return { modulePath: modulePath ?? '', mark, mod };
  }

  /**
   * sum gives the go.sum facts of a blob, or undefined when the pack has none: the pack's own
   * numbers, where they lie, into its seededTable, after a check that each is in range.
   */
  sum(blob: string, file: string): ReturnType<typeof compactGoSum> | undefined {
    const at = this.sums.get(blob);
    if (at === undefined) return undefined;
    const d = this.data;
    this.need(at, 1);
    this.lazy?.ensure(at);
    const count = d[at]!;
    this.need(at + 1, count * SUM_STRIDE);
    const nKeys = this.sumKeys.length;
    const nHashes = this.sumHashes.length;
    const lines = d.subarray(at + 1, at + 1 + count * SUM_STRIDE);
    for (let i = 0; i < lines.length; i += SUM_STRIDE) {
      if (lines[i]! >= nKeys || lines[i + 1]! >= nHashes) throw new PackError(`go.sum line out of range at ${at + 1 + i}`);
    }
    // The record as written: its extent and check number (a record damaged since, its numbers in range).
    const written = this.sumChecks?.get(at);
    if (this.sumChecks && (!written || written[0] !== 1 + count * SUM_STRIDE || written[1] !== recordCheck(d, at, at + written[0]))) {
      throw new PackError(`go.sum record at ${at} is not the one written`);
    }
    return compactGoSum(file, { table: this.seededTable(), data: lines }, [], []);
  }

  /** modRecord is the extent of a blob's go.mod record (for copying it into another pack). */
  modRecord(blob: string): { at: number; reqs: number; reps: number } | undefined {
    const at = this.mods.get(blob);
    if (at === undefined) return undefined;
    this.need(at, MOD_HEADER);
    const reqs = this.data[at + 4]!;
    const reps = this.data[at + 5]!;
    this.need(at + MOD_HEADER, reqs * REQ_STRIDE + reps * REP_STRIDE);
    return { at, reqs, reps };
  }

  /** string is the pack's string of an id (PackError when out of range). */
  string(id: number): string {
    return this.str(id);
  }
}

/** internKey adds a `path version[/go.mod]` key to a table. */
function internKey(table: SumTable, key: string): number {
  const known = table.keyId(key);
  if (known !== undefined) return known;
  const space = key.indexOf(' ');
  if (space <= 0) throw new PackError(`bad go.sum key ${JSON.stringify(key)}`);
  const isGoMod = key.endsWith('/go.mod');
  return table.addKey(key, key.slice(0, space), key.slice(space + 1, isGoMod ? key.length - '/go.mod'.length : key.length), isGoMod);
}

/** packHeader is what a pack's JSON header holds. */
interface PackHeader {
  format: number;
  tool: string;
  strings: string[];
  /** The go.mod blobs whose facts the pack has, and where each one's record lies among the numbers. */
  mods: string[];
  modAt: number[];
  /** The same for go.sum blobs, with each record's count of numbers and check number (recordCheck). */
  sums: string[];
  sumAt: number[];
  sumLength: number[];
  sumCheck: number[];
  /** Blobs of go.mod and of go.sum files whose facts are not kept (they did not read cleanly): read them, and write no pack for want of them. */
  skipMods?: string[];
  skipSums?: string[];
  /** The module graph's links of the go.mod blobs written, for a repository of one shape (PackGraph). */
  graph?: PackGraphHeader;
  /** The string of each go.sum key number, and of each hash number, the sums' lines use. */
  sumKeys: number[];
  sumHashes: number[];
  /**
   * Where, among the numbers, lies what the sums' lines agree on: for each go.sum key number (in
   * sumKeys' order) the one hash number all lines with that key give it, or DISAGREE.
   */
  sumAgree?: number;
  /**
   * Where the lines of the keys they disagree on lie among the numbers (`length` of them): for each
   * such key, in ascending order, the key number, a count, and that many lines of four numbers:
   * the offset of the go.sum record the line is in (`sums`), its hash number, line and column.
   */
  sumDisagree?: { at: number; length: number };
  /**
   * Where the go.sum records lie among the numbers, when they lie together (and nothing else
   * there): readPack reads them only when one is decoded (LazyRegion).
   */
  sumRegion?: { at: number; length: number };
  /** The tally of the requirements of the go.mod records of some module dirs (PackTallyHeader). */
  tally?: PackTallyHeader;
  /**
   * Where the requirements at pseudo-versions of each go.mod record are listed among the numbers
   * (`length` of them): for each record in `mods`' order, a count, then that many requirement
   * numbers (0-based, ascending). PR mode makes of the modules the tally counts only those.
   */
  pseudo?: { at: number; length: number };
}

/**
 * PackTallyHeader: the module dirs whose go.mod records (blobs, one per dir) a pack's requirement
 * tally counts, and where the tally lies among the numbers (`length` of them): TALLY_STRIDE numbers
 * per path, version and kind counted (path string, version string, kind, count).
 */
interface PackTallyHeader {
  dirs: string[];
  blobs: string[];
  at: number;
  length: number;
}

/** Numbers per tally entry: path string, version string, kind, count. */
const TALLY_STRIDE = 4;

/** PackTally is a pack's requirement tally as read. */
interface PackTally {
  dirs: readonly string[];
  blobs: readonly string[];
  tally: RequireTally;
}

/** The most numbers a pack spends on the lines of disagreeing go.sum keys (beyond it none are kept). */
const MAX_DISAGREE_NUMBERS = 1 << 22;

/** agreeLines goes through go.sum lines o[from, to) of pack numbers: agree[k] is 0 (no line yet), the hash number + 1, or DISAGREE. */
function agreeLines(o: Uint32Array, from: number, to: number, agree: Uint32Array): void {
  for (let i = from; i < to; i += SUM_STRIDE) {
    const k = o[i]!;
    const h = o[i + 1]! + 1;
    const seen = agree[k]!;
    if (seen === 0) agree[k] = h;
    else if (seen !== h) agree[k] = DISAGREE;
  }
}

/** isStringList tells a header's list of strings. */
function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string');
}

/** sectionOf is a header's `{ at, length }` when it names a part of the pack's `words` numbers, else undefined. */
function sectionOf(value: unknown, words: number): { at: number; length: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { at, length } = value as { at: unknown; length: unknown };
  if (typeof at !== 'number' || typeof length !== 'number' || !Number.isSafeInteger(at) || !Number.isSafeInteger(length)) return undefined;
  return at >= 0 && length >= 0 && at + length <= words ? { at, length } : undefined;
}

/** disagreeSection is the numbers of a pack's sumDisagree when they lie within them (Pack.disagreeing checks the rest). */
function disagreeSection(section: unknown, data: Uint32Array): Uint32Array | undefined {
  const s = sectionOf(section, data.length);
  return s && data.subarray(s.at, s.at + s.length);
}

/** validAgreement is a pack's sumAgree when it is well formed, else undefined (rules then read every go.sum). */
function validAgreement(at: unknown, keys: number, hashes: number, data: Uint32Array): Uint32Array | undefined {
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0 || at + keys > data.length) return undefined;
  const agree = data.subarray(at, at + keys);
  for (let k = 0; k < keys; k++) if (agree[k]! >= hashes && agree[k] !== DISAGREE) return undefined;
  return agree;
}

/**
 * PackGraph keeps the sibling links of modules: `shape` is a hash of the repository's graphShape,
 * and for each module dir its go.mod blob and the dirs it depends on, as numbers into `dirs`: those
 * of dir i are targets[start[i]] to targets[start[i + 1] - 1]. In the file the header holds shape,
 * dirs and blobs, and where start and targets lie among the pack's numbers (hundreds of thousands
 * of links at ten thousand modules: numbers, not JSON).
 */
interface PackGraph {
  shape: string;
  dirs: string[];
  blobs: string[];
  start: Uint32Array;
  targets: Uint32Array;
}

/** PackGraph as the header keeps it. */
interface PackGraphHeader {
  shape: string;
  dirs: string[];
  blobs: string[];
  /** Where start lies among the numbers; targets follow it. */
  at: number;
  links: number;
}

/** validGraph is a pack's graph when it is well formed, else undefined (the graph is then made anew). */
function validGraph(g: unknown, data: Uint32Array): PackGraph | undefined {
  if (typeof g !== 'object' || g === null) return undefined;
  const { shape, dirs, blobs, at, links } = g as PackGraphHeader;
  if (typeof shape !== 'string' || !isStringList(dirs) || !isStringList(blobs) || blobs.length !== dirs.length) return undefined;
  const n = dirs.length;
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(links) || at < 0 || links < 0 || at + n + 1 + links > data.length) return undefined;
  const start = data.subarray(at, at + n + 1);
  const targets = data.subarray(at + n + 1, at + n + 1 + links);
  if (start[0] !== 0 || start[n] !== links) return undefined;
  for (let i = 0; i < n; i++) if (start[i]! > start[i + 1]!) return undefined;
  for (let k = 0; k < links; k++) if (targets[k]! >= n) return undefined;
  return { shape, dirs, blobs, start, targets };
}

/** shapeHash is the hash PackGraph.shape keeps of a repository's graphShape. */
export function shapeHash(repo: Repository): string {
  return createHash('sha256').update(graphShape(repo)).digest('hex');
}

/** decodePack reads a pack file's bytes; undefined when it is not a pack of this format and tool version. */
export function decodePack(bytes: Uint8Array, tool: string): Pack | undefined {
  try {
    const layout = packLayout(bytes, bytes.length);
    if (!layout) return undefined;
    const { words, headerLength } = layout;
    const headerAt = PACK_PREFIX + words * 4;
    const header = parseHeader(Buffer.from(bytes.buffer, bytes.byteOffset + headerAt, headerLength), tool, words);
    if (!header) return undefined;
    // The numbers in place when they are aligned (a file read whole usually is), else a copy.
    let data: Uint32Array;
    if ((bytes.byteOffset + PACK_PREFIX) % 4 === 0) {
      data = new Uint32Array(bytes.buffer, bytes.byteOffset + PACK_PREFIX, words);
    } else {
      data = new Uint32Array(words);
      new Uint8Array(data.buffer).set(bytes.subarray(PACK_PREFIX, PACK_PREFIX + words * 4));
    }
    if (packDigest(new Uint8Array(data.buffer, data.byteOffset, words * 4), header.records, header.json) !== header.digest) return undefined;
    return packFrom(header, data);
  } catch {
    return undefined;
  }
}

/**
 * packLayout reads a pack's prefix (MAGIC, header length, count of numbers): undefined when it is
 * not one, or when those do not add up to the file's size (a pack cut short, or with bytes after it).
 */
function packLayout(prefix: Uint8Array, size: number): { words: number; headerLength: number } | undefined {
  if (endianness() !== 'LE' || prefix.length < PACK_PREFIX || size < PACK_PREFIX) return undefined;
  if (Buffer.from(prefix.buffer, prefix.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) return undefined;
  const view = new DataView(prefix.buffer, prefix.byteOffset, PACK_PREFIX);
  const headerLength = view.getUint32(MAGIC.length, true);
  const words = view.getUint32(MAGIC.length + 4, true);
  if (PACK_PREFIX + words * 4 + headerLength !== size) return undefined;
  return { words, headerLength };
}

/** A pack's header, checked as far as it can be without the numbers, with its blob offsets as maps. */
interface ReadHeader {
  raw: PackHeader;
  words: number;
  mods: Map<string, number>;
  sums: Map<string, number>;
  skipMods: Set<string>;
  skipSums: Set<string>;
  sumKeys: number[];
  sumHashes: number[];
  /** The header's JSON and the digest after it (packDigest). */
  json: Uint8Array;
  digest: string;
  /** The go.sum records as [start, end) pairs in ascending order, and each one's [count of numbers, check number] by its start. */
  records: number[];
  sumChecks: Map<number, readonly [number, number]>;
}

/**
 * parseHeader reads a pack's header (its JSON, a newline and its digest): undefined when it is not
 * one of this format and tool. The digest is checked with the numbers (packDigest).
 */
function parseHeader(section: Buffer, tool: string, words: number): ReadHeader | undefined {
  const newline = section.lastIndexOf(0x0a);
  if (newline < 0) return undefined;
  const digest = section.toString('latin1', newline + 1);
  if (!/^[0-9a-f]{64}$/.test(digest)) return undefined;
  const json = section.subarray(0, newline);
  const header = JSON.parse(json.toString('utf8')) as PackHeader;
  if (header?.format !== FACTS_FORMAT || header.tool !== tool) return undefined;
  if (!isStringList(header.strings)) return undefined;
  // Blobs and offsets as two lists (not an object keyed by blob: JSON.parse makes those slowly).
  const offsets = (blobs: unknown, at: unknown): Map<string, number> | undefined => {
    if (!Array.isArray(blobs) || !Array.isArray(at) || blobs.length !== at.length) return undefined;
    const m = new Map<string, number>();
    for (let i = 0; i < blobs.length; i++) {
      const k: unknown = blobs[i];
      const v: unknown = at[i];
      if (typeof k !== 'string' || typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= words) return undefined;
      m.set(k, v);
    }
    return m;
  };
  const mods = offsets(header.mods, header.modAt);
  const sums = offsets(header.sums, header.sumAt);
  if (!mods || !sums) return undefined;
  const blobs = (list: unknown) => (isStringList(list) ? new Set<string>(list) : undefined);
  const skipMods = blobs(header.skipMods ?? []);
  const skipSums = blobs(header.skipSums ?? []);
  if (!skipMods || !skipSums) return undefined;
  const ids = (list: unknown) => (Array.isArray(list) && list.every((i) => Number.isInteger(i) && i >= 0 && i < header.strings.length) ? list as number[] : undefined);
  const sumKeys = ids(header.sumKeys);
  const sumHashes = ids(header.sumHashes);
  // Each key and hash once: the pack's table (Pack.seededTable) numbers them as the lines do.
  const distinct = (list: number[]) => new Set(list.map((i) => header.strings[i])).size === list.length;
  if (!sumKeys || !sumHashes || !distinct(sumKeys) || !distinct(sumHashes)) return undefined;
  // Each go.sum record's extent and check number.
  const { sumAt, sumLength, sumCheck } = header;
  const n = sums.size;
  if (!Array.isArray(sumLength) || !Array.isArray(sumCheck) || sumLength.length !== n || sumCheck.length !== n || sumAt.length !== n) return undefined;
  const sumChecks = new Map<number, readonly [number, number]>();
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = sumAt[i]!;
    const length: unknown = sumLength[i];
    const check: unknown = sumCheck[i];
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || at + length > words) return undefined;
    if (typeof check !== 'number' || !Number.isInteger(check) || check < 0 || check > 0xffffffff) return undefined;
    sumChecks.set(at, [length, check]);
    starts.push(at);
  }
  starts.sort((a, b) => a - b);
  const records: number[] = [];
  for (const at of starts) {
    // Records apart from each other, as written.
    if (records.length > 0 && at < records[records.length - 1]!) return undefined;
    records.push(at, at + sumChecks.get(at)![0]);
  }
  return { raw: header, words, mods, sums, skipMods, skipSums, sumKeys, sumHashes, json, digest, records, sumChecks };
}

/** packFrom makes the Pack of a read header and its numbers (those of `lazy`'s region read later). */
function packFrom(h: ReadHeader, data: Uint32Array, lazy?: LazyRegion): Pack {
  return new Pack({
    strings: h.raw.strings, mods: h.mods, sums: h.sums, data, skipMods: h.skipMods, skipSums: h.skipSums,
    graph: validGraph(h.raw.graph, data), sumKeys: h.sumKeys, sumHashes: h.sumHashes,
    sumAgree: validAgreement(h.raw.sumAgree, h.sumKeys.length, h.sumHashes.length, data), disagreeData: disagreeSection(h.raw.sumDisagree, data),
    lazy, tallyHeader: typeof h.raw.tally === 'object' && h.raw.tally !== null ? h.raw.tally : undefined, sumChecks: h.sumChecks,
    pseudoData: pseudoSection(h.raw.pseudo, data),
  });
}

/** pseudoSection is the numbers of a pack's pseudo section when they lie within them (Pack.pseudoOf checks the rest). */
function pseudoSection(section: unknown, data: Uint32Array): Uint32Array | undefined {
  const s = sectionOf(section, data.length);
  return s && data.subarray(s.at, s.at + s.length);
}

/**
 * sumRegionOf is a header's sumRegion when the pack may be read without it: it lies within the
 * numbers, holds every go.sum record and no go.mod record, and no other part of the pack lies in
 * it. Undefined otherwise (the numbers are then read whole).
 */
function sumRegionOf(h: ReadHeader): { at: number; length: number } | undefined {
  const region = sectionOf(h.raw.sumRegion, h.words);
  if (!region || region.length === 0) return undefined;
  const { at, length } = region;
  const inside = (x: number) => x >= at && x < at + length;
  const apart = (from: unknown, n: unknown) => typeof from !== 'number' || typeof n !== 'number' || from + n <= at || from >= at + length;
  for (const v of h.sums.values()) if (!inside(v)) return undefined;
  for (const v of h.mods.values()) if (inside(v)) return undefined;
  // The records fill it, end to end: the numbers left unread are all of go.sum records (the
  // digest does not cover those; each record's check number does).
  const r = h.records;
  if (r[0] !== at || r[r.length - 1] !== at + length) return undefined;
  for (let i = 2; i < r.length; i += 2) if (r[i] !== r[i - 1]) return undefined;
  const { graph, sumAgree, sumDisagree, tally, pseudo } = h.raw;
  if (graph && !apart(graph.at, h.words)) return undefined;
  if (tally && !apart(tally.at, tally.length)) return undefined;
  if (pseudo && !apart(pseudo.at, pseudo.length)) return undefined;
  if (sumAgree !== undefined && !apart(sumAgree, h.sumKeys.length)) return undefined;
  if (sumDisagree && !apart(sumDisagree.at, sumDisagree.length)) return undefined;
  return { at, length };
}

/**
 * LazyRegion is the part of a pack's numbers that readPack left on disk: the go.sum records, most
 * of a pack's bytes, which PR mode decodes only for a doubt (FactsSession.attachSum). A record is
 * read when first decoded, the whole region once a few have been. Each read opens the file again
 * and checks that it is the one first read (a run writing a new pack renames it over the old).
 */
class LazyRegion {
  private loaded = false;
  /** The records read one by one. */
  private readonly records = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly identity: { dev: number; ino: number; size: number; mtimeMs: number },
    private readonly data: Uint32Array,
    readonly at: number,
    readonly length: number,
  ) {}

  /** ensure reads the go.sum record at `at` into the numbers, unless it is there. */
  ensure(at: number): void {
    if (this.loaded || this.records.has(at) || at < this.at || at >= this.at + this.length) return;
    if (this.records.size >= LAZY_RECORDS) {
      this.read(this.at, this.length);
      this.loaded = true;
      return;
    }
    this.read(at, 1);
    const count = this.data[at]!;
    if (count > (this.at + this.length - at - 1) / SUM_STRIDE) throw new PackError(`go.sum record at ${at} runs past its region`);
    this.read(at + 1, count * SUM_STRIDE);
    this.records.add(at);
  }

  private read(from: number, count: number): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, READ_NONBLOCKING);
      const st = fstatSync(fd);
      const id = this.identity;
      if (st.dev !== id.dev || st.ino !== id.ino || st.size !== id.size || st.mtimeMs !== id.mtimeMs) throw new PackError('the pack changed on disk while it was in use');
      readFully(fd, new Uint8Array(this.data.buffer, this.data.byteOffset + from * 4, count * 4), PACK_PREFIX + from * 4);
    } catch (err) {
      throw err instanceof PackError ? err : new PackError(`could not read the pack: ${(err as Error).message}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** How many go.sum records a LazyRegion reads one by one before it reads them all. */
const LAZY_RECORDS = 16;

/** readFully fills `into` from the file at `position` (an error when the file ends first). */
function readFully(fd: number, into: Uint8Array, position: number): void {
  for (let o = 0; o < into.length;) {
    const k = readSync(fd, into, o, into.length - o, position + o);
    if (k === 0) throw new Error('the file ended early');
    o += k;
  }
}

/** Numbering numbers values (strings, string ids) in the order first met: `values` lists them by number. */
class Numbering<T> {
  readonly values: T[] = [];
  private readonly numbers = new Map<T, number>();

  number(value: T): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }
}

/** PackWriter gathers the facts of files and encodes them as one pack. */
export class PackWriter {
  private readonly strings = new Numbering<string>();
  private data = new Uint32Array(1 << 16);
  private n = 0;
  private readonly mods = new Map<string, number>();
  private readonly sums = new Map<string, number>();
  private readonly skipMods = new Set<string>();
  private readonly skipSums = new Set<string>();
  /** Blobs written. */
  count = 0;
  /** Token starts of one line (tokenStarts): the verb outside a block, then up to four words. */
  private readonly starts = new Int32Array(15);
  private idsOf: SumTable | undefined;
  private keyStrings = new Int32Array(0);
  private hashStrings = new Int32Array(0);
  /** The string of each go.sum key and of each hash number the lines written use. */
  private readonly sumKeys = new Numbering<number>();
  private readonly sumHashes = new Numbering<number>();
  /** For each go.mod record written, in order: a count, then its requirements at pseudo-versions (PackHeader.pseudo). */
  private readonly pseudoLists: number[] = [];
  /** Whether a version string (by id) is a pseudo-version, once asked. */
  private readonly pseudoIds: boolean[] = [];

  private isPseudoId(id: number, version: string): boolean {
    return (this.pseudoIds[id] ??= isPseudoVersion(version));
  }

  private pseudoSection: { at: number; length: number } | undefined;

  /**
   * writePseudo writes the lists of requirements at pseudo-versions (PackHeader.pseudo), once: with
   * the first section after the records (go.mod records come first; one written after this is not
   * listed, and a pack whose lists do not match its records is read without them).
   */
  private writePseudo(): { at: number; length: number } {
    if (this.pseudoSection) return this.pseudoSection;
    const lists = this.pseudoLists;
    this.reserve(lists.length, true);
    this.pseudoSection = { at: this.position, length: lists.length };
    for (const v of lists) this.data[this.n++] = v;
    return this.pseudoSection;
  }

  /** sumKeyNumber numbers a go.sum key string for the lines written (one number per key). */
  private sumKeyNumber(key: string): number {
    return this.sumKeys.number(this.str(key));
  }

  /** sumHashNumber is sumKeyNumber for hashes. */
  private sumHashNumber(hash: string): number {
    return this.sumHashes.number(this.str(hash));
  }

  private str(s: string): number {
    return this.strings.number(s);
  }

  /** Numbers already handed to the sink: data[0] is number `flushed` of the pack. */
  private flushed = 0;

  /**
   * A writer given a sink hands it the numbers made so far, as bytes, whenever a record ends and
   * they reach `flushAt` (the sink must be done with them when it returns): a pack of ten
   * thousand modules, over 100 MB of numbers, then never lies in memory whole. Without one, the
   * numbers stay here (bytes, parts).
   */
  constructor(private readonly sink?: (bytes: Uint8Array) => void, private readonly flushAt = FLUSH_NUMBERS) {}

  /** position is the number of the pack the next number written gets. */
  private get position(): number {
    return this.flushed + this.n;
  }

  /** flush hands the numbers to the sink, once there are enough of them (between records only). */
  private flush(force = false): void {
    if (!this.sink || this.n === 0 || (!force && this.n < this.flushAt)) return;
    this.hashNumbers();
    this.sink(new Uint8Array(this.data.buffer, 0, this.n * 4));
    this.flushed += this.n;
    this.n = 0;
  }

  /** The pack's digest (packDigest) of the numbers handed on so far, and how far it has gone past the go.sum records. */
  private readonly digest = createHash('sha256');
  private hashedRecords = 0;
  /** The go.sum records written, as [start, end) pairs, and each one's count of numbers and check number. */
  private readonly sumRecords: number[] = [];
  private readonly sumLengths: number[] = [];
  private readonly sumChecks: number[] = [];

  /** hashNumbers adds the numbers held here (which end between records) to the digest, but for those of go.sum records. */
  private hashNumbers(): void {
    this.hashedRecords = hashOutside(this.digest, new Uint8Array(this.data.buffer, 0, this.n * 4), this.flushed, this.sumRecords, this.hashedRecords);
  }

  private push(...values: number[]): void {
    this.reserve(values.length);
    for (const v of values) this.data[this.n++] = v;
  }

  /** reserve makes room for k more numbers (exactly, when asked for exact room). */
  private reserve(k: number, exact = false): void {
    if (this.n + k <= this.data.length) return;
    if (exact) {
      const room = new Uint32Array(this.n + k);
      room.set(this.data.subarray(0, this.n));
      this.data = room;
      return;
    }
    // Half again, not twice: a pack of ten thousand modules is tens of megabytes of numbers.
    let size = Math.ceil(this.data.length * 1.5);
    while (this.n + k > size) size = Math.ceil(size * 1.5);
    const bigger = new Uint32Array(size);
    bigger.set(this.data.subarray(0, this.n));
    this.data = bigger;
  }

  /**
   * addMod records the facts of a module's go.mod under blob; false (nothing written) for a go.mod
   * that did not parse cleanly: those are parsed every time, so their errors are reported as ever.
   */
  addMod(blob: string, module: ModuleInfo, mark: boolean): boolean {
    const mod = module.mod;
    if (!mod || module.errors.length > 0 || this.mods.has(blob)) return false;
    this.otherRecord();
    const at = this.position;
    const start = (line: Line | undefined) => (line ? [line.start.line, line.start.column, line.start.offset] : [0, 0, 0]);
    this.push(
      mod.module ? this.str(mod.module.mod.path) + 1 : 0,
      mod.go ? this.str(mod.go.version) + 1 : 0,
      mod.toolchain ? this.str(mod.toolchain.name) + 1 : 0,
      mark ? FLAG_MARK : 0,
      mod.require.length,
      mod.replace.length,
      ...start(mod.module?.syntax), ...start(mod.go?.syntax), ...start(mod.toolchain?.syntax),
    );
    const pseudo = this.pseudoLists;
    const countAt = pseudo.length;
    pseudo.push(0);
    for (let k = 0; k < mod.require.length; k++) {
      const r = mod.require[k]!;
      // The path and version tokens: the first two words in a block, the two after `require` outside.
      const skip = r.syntax.inBlock ? 0 : 1;
      const version = this.str(r.mod.version);
      this.push(this.str(r.mod.path), version, r.indirect ? FLAG_INDIRECT : 0);
      this.pushPlaces(r.syntax, skip, skip + 1);
      if (this.isPseudoId(version, r.mod.version)) { pseudo.push(k); pseudo[countAt]++; }
    }
    for (const r of mod.replace) {
      // `old [version] => new [version]`: the first word and the one after the arrow.
      const skip = r.syntax.inBlock ? 0 : 1;
      this.push(this.str(r.old.path), this.str(r.old.version), this.str(r.new.path), this.str(r.new.version));
      this.pushPlaces(r.syntax, skip, r.old.version === '' ? skip + 2 : skip + 3);
    }
    this.mods.set(blob, at);
    this.count++;
    this.flush();
    return true;
  }

  /**
   * pushPlaces pushes the start (line, column, offset) of a line's word `first`, then of its word
   * `second` (the first one's when the line has no such word; the line's start when it has neither).
   * The places come from tokenStarts: a line's `start` would make (and keep) its tokens.
   */
  private pushPlaces(line: Line, first: number, second: number): void {
    const starts = this.starts;
    const n = tokenStarts(line, starts);
    const f = n > first ? 3 * first : -1;
    const g = n > second ? 3 * second : f;
    const s = f < 0 ? line.start : undefined;
    this.push(s ? s.line : starts[f]!, s ? s.column : starts[f + 1]!, s ? s.offset : starts[f + 2]!);
    this.push(s ? s.line : starts[g]!, s ? s.column : starts[g + 1]!, s ? s.offset : starts[g + 2]!);
  }

  /** copyMod copies the go.mod record of blob from another pack; false when that pack has none. */
  copyMod(pack: Pack, blob: string): boolean {
    const rec = pack.modRecord(blob);
    if (!rec || this.mods.has(blob)) return false;
    this.otherRecord();
    const d = pack.data;
    const n = MOD_HEADER + rec.reqs * REQ_STRIDE + rec.reps * REP_STRIDE;
    this.reserve(n);
    const at = this.n;
    const record = this.position;
    const opt = (id: number) => (id === 0 ? 0 : this.str(pack.string(id - 1)) + 1);
    const o = this.data;
    for (let k = 0; k < n; k++) o[at + k] = d[rec.at + k]!;
    for (let k = 0; k < 3; k++) o[at + k] = opt(d[rec.at + k]!);
    let i = at + MOD_HEADER;
    const pseudo = this.pseudoLists;
    const countAt = pseudo.length;
    pseudo.push(0);
    for (let r = 0; r < rec.reqs; r++, i += REQ_STRIDE) {
      o[i] = this.str(pack.string(o[i]!));
      const version = pack.string(o[i + 1]!);
      o[i + 1] = this.str(version);
      if (this.isPseudoId(o[i + 1]!, version)) { pseudo.push(r); pseudo[countAt]++; }
    }
    for (let r = 0; r < rec.reps; r++, i += REP_STRIDE) {
      for (let k = 0; k < 4; k++) o[i + k] = this.str(pack.string(o[i + k]!));
    }
    this.n += n;
    this.mods.set(blob, record);
    this.count++;
    this.flush();
    return true;
  }

  /** hasMod tells whether the go.mod record of a blob has been written. */
  hasMod(blob: string): boolean {
    return this.mods.has(blob);
  }

  /** Where the go.sum records written lie: from the first's start to the last's end; and whether other records came between. */
  private sumsFrom = -1;
  private sumsTo = -1;
  private sumsApart = false;

  /** otherRecord notes a record that is not a go.sum's (whether it splits the go.sum records). */
  private otherRecord(): void {
    if (this.sumsFrom >= 0) this.sumsApart = true;
  }

  /** addSum records a module's go.sum (compact, read in full, without errors or warnings) under blob. */
  addSum(blob: string, module: ModuleInfo): boolean {
    const sum = module.sum;
    const compact = sum?.compact;
    if (!sum || !compact || sum.errors.length > 0 || (sum.warnings?.length ?? 0) > 0 || this.sums.has(blob)) return false;
    const d = compact.data;
    const t = compact.table;
    // The pack's number of each table id, found once per table (numbers + 1; 0: not yet).
    if (this.idsOf !== t) {
      this.idsOf = t;
      this.keyStrings = new Int32Array(0);
      this.hashStrings = new Int32Array(0);
    }
    if (this.keyStrings.length < t.keys.length) this.keyStrings = grown(this.keyStrings, t.keys.length);
    if (this.hashStrings.length < t.hashes.length) this.hashStrings = grown(this.hashStrings, t.hashes.length);
    const keyStrings = this.keyStrings;
    const hashStrings = this.hashStrings;
    this.reserve(1 + d.length);
    const at = this.position;
    const o = this.data;
    let n = this.n;
    o[n++] = d.length / SUM_STRIDE;
    for (let i = 0; i < d.length; i += SUM_STRIDE) {
      const k = d[i]!;
      const h = d[i + 1]!;
      o[n++] = (keyStrings[k] || (keyStrings[k] = this.sumKeyNumber(t.keys[k]!) + 1)) - 1;
      o[n++] = (hashStrings[h] || (hashStrings[h] = this.sumHashNumber(t.hashes[h]!) + 1)) - 1;
      o[n++] = d[i + 2]!;
      o[n++] = d[i + 3]!;
    }
    // What the lines agree on, so far; agreeSums reads the lines of the keys they disagree on
    // again from the module's own (the pack's may be in the sink by then).
    if (this.agree.length < this.sumKeys.values.length) this.agree = grown(this.agree, this.sumKeys.values.length);
    agreeLines(o, this.n + 1, n, this.agree);
    this.sources.push({ record: at, data: d, keys: keyStrings, hashes: hashStrings });
    this.sumRecords.push(at, at + n - this.n);
    this.sumLengths.push(n - this.n);
    this.sumChecks.push(recordCheck(o, this.n, n));
    this.n = n;
    if (this.sumsFrom < 0) this.sumsFrom = at;
    this.sumsTo = this.position;
    this.sums.set(blob, at);
    this.count++;
    this.flush();
    return true;
  }

  /** Per go.sum key number: 0 (no line yet), the hash number + 1 all its lines give, or DISAGREE. */
  private agree = new Uint32Array(0);
  /** The go.sum files written: their record, lines (table ids) and the pack numbers of those ids (+ 1). */
  private readonly sources: { record: number; data: Uint32Array; keys: Int32Array; hashes: Int32Array }[] = [];

  private sumAgree: number | undefined;
  private sumDisagree: { at: number; length: number } | undefined;

  /**
   * agreeSums notes, after the last go.sum, the hash number each key's lines agree on (DISAGREE
   * where they do not), then the lines of the keys they disagree on, when those are not too many:
   * a PR run compares the reported modules' go.sum lines with these instead of reading every
   * other go.sum (PackHeader.sumAgree, sumDisagree).
   */
  agreeSums(): void {
    this.writePseudo();
    const keys = this.sumKeys.values.length;
    const agree = this.agree.length < keys ? grown(this.agree, keys) : this.agree;
    // How many lines each disagreeing key has.
    const counts = new Uint32Array(keys);
    let lines = 0;
    let disagreeing = 0;
    for (const { data, keys: numbers } of this.sources) {
      for (let i = 0; i < data.length; i += SUM_STRIDE) {
        const k = numbers[data[i]!]! - 1;
        if (agree[k] !== DISAGREE) continue;
        if (counts[k]++ === 0) disagreeing++;
        lines++;
      }
    }
    this.reserve(keys);
    this.sumAgree = this.position;
    for (let k = 0; k < keys; k++) this.data[this.n++] = agree[k] === DISAGREE || agree[k] === 0 ? DISAGREE : agree[k]! - 1;
    this.flush();
    const length = 2 * disagreeing + DISAGREE_STRIDE * lines;
    if (disagreeing === 0 || length > MAX_DISAGREE_NUMBERS) return;
    // Each key's place: its number and count, then its lines, filled go.sum by go.sum.
    const section = new Uint32Array(length);
    const next = new Uint32Array(keys);
    let w = 0;
    for (let k = 0; k < keys; k++) {
      if (counts[k] === 0) continue;
      section[w] = k;
      section[w + 1] = counts[k]!;
      next[k] = w + 2;
      w += 2 + DISAGREE_STRIDE * counts[k]!;
    }
    for (const { record, data, keys: numbers, hashes } of this.sources) {
      for (let i = 0; i < data.length; i += SUM_STRIDE) {
        const k = numbers[data[i]!]! - 1;
        if (counts[k] === 0) continue;
        const j = next[k]!;
        section[j] = record; section[j + 1] = hashes[data[i + 1]!]! - 1; section[j + 2] = data[i + 2]!; section[j + 3] = data[i + 3]!;
        next[k] = j + DISAGREE_STRIDE;
      }
    }
    this.reserve(length);
    this.sumDisagree = { at: this.position, length };
    this.data.set(section, this.n);
    this.n += length;
    this.flush();
  }

  private graph: PackGraphHeader | undefined;

  /**
   * setGraph keeps the module graph's links of every module of a repository, each with the blob of
   * its go.mod ('' when it has none kept: its links are then made anew by a later run). The links
   * go among the numbers, after everything written before (PackGraph).
   */
  setGraph(repo: Repository, blobOf: (m: ModuleInfo) => string | undefined): void {
    this.writePseudo();
    const graph = buildRepoGraph(repo);
    const index = new Map<string, number>();
    const dirs: string[] = [];
    const blobs: string[] = [];
    for (const m of repo.modules) {
      if (index.has(m.dir)) continue;
      index.set(m.dir, dirs.length);
      dirs.push(m.dir);
      blobs.push(blobOf(m) ?? '');
    }
    // (Links kept as numbers are read without making a set of each module's.)
    const lists = dirs.map((dir) => [...linksOf(graph.dependsOn, dir)].map((d) => index.get(d)).filter((j): j is number => j !== undefined));
    let links = 0;
    for (const l of lists) links += l.length;
    this.reserve(dirs.length + 1 + links, true);
    const at = this.position;
    let k = 0;
    this.data[this.n++] = 0;
    for (const l of lists) this.data[this.n++] = (k += l.length);
    for (const l of lists) for (const j of l) this.data[this.n++] = j;
    this.graph = { shape: shapeHash(repo), dirs, blobs, at, links };
    this.flush();
  }

  private tally: PackTallyHeader | undefined;

  /**
   * setTally keeps a requirement tally of the go.mod records of module dirs (each dir's blob must
   * have been written): its entries go among the numbers, after everything written before.
   */
  setTally(tally: RequireTally, dirs: string[], blobs: string[]): void {
    this.writePseudo();
    const entries: number[] = [];
    tally.forEach((path, version, kind, count) => entries.push(this.str(path), this.str(version), kind, count));
    this.reserve(entries.length, true);
    const at = this.position;
    for (const v of entries) this.data[this.n++] = v;
    this.tally = { dirs, blobs, at, length: entries.length };
    this.flush();
  }

  /** skipMod records that a go.mod blob has no facts (it is read every time, and its absence is no reason to write a pack). */
  skipMod(blob: string): void {
    this.skipMods.add(blob);
  }

  /** skipSum is skipMod for a go.sum blob. */
  skipSum(blob: string): void {
    this.skipSums.add(blob);
  }

  /** bytes encodes the pack (a writer without a sink). */
  bytes(tool: string): Buffer {
    return Buffer.concat(this.parts(tool));
  }

  /**
   * parts is the pack of a writer without a sink as its three parts: the prefix (PACK_PREFIX), the
   * numbers (a view of the writer's array, no copy) and the header.
   */
  parts(tool: string): [Buffer, Buffer, Buffer] {
    if (this.flushed > 0) throw new Error('PackWriter.parts: the numbers went to the sink (use finish)');
    const { prefix, header } = this.finish(tool);
    return [prefix, Buffer.from(this.data.buffer, 0, this.n * 4), header];
  }

  /**
   * finish ends the pack: the numbers not yet in the sink go there (with one), and it returns the
   * prefix and the header that go around them.
   */
  finish(tool: string): { prefix: Buffer; header: Buffer } {
    if (this.finished) return this.finished;
    const pseudo = this.writePseudo();
    if (this.sink) this.flush(true);
    else this.hashNumbers();
    const header: PackHeader = { format: FACTS_FORMAT, tool, strings: this.strings.values,
      mods: [...this.mods.keys()], modAt: [...this.mods.values()], sums: [...this.sums.keys()], sumAt: [...this.sums.values()],
      sumLength: this.sumLengths, sumCheck: this.sumChecks,
      sumKeys: this.sumKeys.values, sumHashes: this.sumHashes.values,
      ...(this.sumAgree !== undefined ? { sumAgree: this.sumAgree } : {}),
      ...(this.sumDisagree !== undefined ? { sumDisagree: this.sumDisagree } : {}),
      ...(this.sumsFrom >= 0 && !this.sumsApart ? { sumRegion: { at: this.sumsFrom, length: this.sumsTo - this.sumsFrom } } : {}),
      skipMods: [...this.skipMods].filter((b) => !this.mods.has(b)), skipSums: [...this.skipSums].filter((b) => !this.sums.has(b)),
      ...(this.graph ? { graph: this.graph } : {}), ...(this.tally ? { tally: this.tally } : {}), pseudo };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const sealed = Buffer.concat([json, Buffer.from(`\n${this.digest.update(json).digest('hex')}`, 'latin1')]);
    const prefix = Buffer.alloc(PACK_PREFIX);
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(sealed.length, MAGIC.length);
    prefix.writeUInt32LE(this.position, MAGIC.length + 4);
    return (this.finished = { prefix, header: sealed });
  }

  private finished: { prefix: Buffer; header: Buffer } | undefined;
}

/**
 * liteModule makes the module of a go.mod from its facts. Its text is read when something asks for
 * it: from `textFrom`, the real path of the root (as the loader reads files), or by calling it.
 */
export function liteModule(goModFile: string, dir: string, facts: ModFacts, textFrom: string | (() => string)): ModuleInfo {
  // `text` comes last, as an accessor: making a property the object has already into one would
  // turn the object into a dictionary of properties, slower to read for every rule.
  const module = { dir, goModFile, modulePath: facts.modulePath, mod: facts.mod, errors: [], suppressionMark: facts.mark } as Omit<ModuleInfo, 'text'> as ModuleInfo;
  setLazyText(module, 'text', typeof textFrom === 'function' ? textFrom : () => readOne(textFrom, { file: goModFile }, {}).text ?? '');
  return module;
}

/** packFileFor names the pack of a repository root in a cache directory. */
export function packFileFor(cacheDir: string, rootReal: string): string {
  return path.join(cacheDir, `facts-${createHash('sha256').update(rootReal).digest('hex').slice(0, 24)}.pack`);
}

/**
 * readPack reads and decodes a pack file; undefined when there is none or it cannot be used. Its
 * reads are made on this thread: each through node's thread pool waited behind whatever was queued
 * there, and a run waits for the pack anyway.
 */
export async function readPack(file: string, tool: string): Promise<Pack | undefined> {
  let fd: number | undefined;
  try {
    fd = openSync(file, READ_NONBLOCKING);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_PACK_BYTES || st.size < PACK_PREFIX) return undefined;
    const readAt = (into: Uint8Array, position: number) => {
      for (let o = 0; o < into.length;) {
        const got = readSync(fd!, into, o, into.length - o, position + o);
        if (got === 0) throw new Error('the file ended early');
        o += got;
      }
    };
    const prefix = new Uint8Array(PACK_PREFIX);
    readAt(prefix, 0);
    const layout = packLayout(prefix, st.size);
    if (!layout) return undefined;
    const headerBytes = Buffer.alloc(layout.headerLength);
    readAt(headerBytes, PACK_PREFIX + layout.words * 4);
    const header = parseHeader(headerBytes, tool, layout.words);
    if (!header) return undefined;
    // The numbers but the go.sum records (most of a pack), which are read when decoded.
    const data = new Uint32Array(layout.words);
    const bytes = new Uint8Array(data.buffer);
    const region = sumRegionOf(header);
    const from = region ? region.at * 4 : bytes.length;
    const to = region ? (region.at + region.length) * 4 : bytes.length;
    readAt(bytes.subarray(0, from), PACK_PREFIX);
    readAt(bytes.subarray(to), PACK_PREFIX + to);
    // The digest of what was read: every number but those of the go.sum records (each of which is
    // checked when it is decoded).
    if (packDigest(bytes, header.records, header.json) !== header.digest) return undefined;
    const lazy = region ? new LazyRegion(file, { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }, data, region.at, region.length) : undefined;
    return packFrom(header, data, lazy);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* closed */ }
    }
  }
}

/**
 * replaceFile writes `file` atomically: `fill` writes through `writeAt` (bytes at a position) into
 * a file of its own beside the target, which is renamed over it when `fill` returns true, so a
 * reader never sees half a file and two writers leave one whole file. Nothing is left behind when
 * `fill` returns false or fails.
 */
async function replaceFile(file: string, fill: (writeAt: (bytes: Uint8Array, position: number) => void) => boolean): Promise<boolean> {
  await makeDirectory(path.dirname(file));
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    const out = fd;
    const filled = fill((bytes, position) => {
      for (let o = 0; o < bytes.length;) o += writeSync(out, bytes, o, bytes.length - o, position + o);
    });
    fd = undefined;
    closeSync(out);
    if (filled) await rename(temp, file);
    else await unlink(temp);
    return filled;
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** writePack writes a file of the cache directory (a pack's parts, kept findings) atomically (replaceFile). */
export async function writePack(file: string, parts: readonly Uint8Array[]): Promise<void> {
  await replaceFile(file, (writeAt) => {
    let at = 0;
    for (const part of parts) {
      writeAt(part, at);
      at += part.length;
    }
    return true;
  });
}

/**
 * writePackStreamed writes the pack `fill` makes, atomically (replaceFile), its numbers going to
 * the file as they are made (PackWriter's sink, PACK_PREFIX's layout): a pack of ten thousand
 * modules is never whole in memory. Nothing is written when `fill` returns false.
 */
export async function writePackStreamed(file: string, tool: string, fill: (w: PackWriter) => boolean, flushAt = FLUSH_NUMBERS): Promise<boolean> {
  return replaceFile(file, (writeAt) => {
    let at = PACK_PREFIX;
    const w = new PackWriter((bytes) => {
      writeAt(bytes, at);
      at += bytes.length;
    }, flushAt);
    if (!fill(w)) return false;
    const { prefix, header } = w.finish(tool);
    writeAt(header, at);
    writeAt(prefix, 0);
    return true;
  });
}

/** isPackError tells the error a damaged pack gives while decoding. */
export function isPackError(err: unknown): boolean {
  return err instanceof PackError;
}

/** verdicts memoizes `test` of a pack's strings by string id (each string is tested once). */
function verdicts(pack: Pack, test: (s: string) => boolean): (id: number) => boolean {
  const verdict = new Uint8Array(pack.strings.length); // 0 not asked, 1 yes, 2 no
  return (id) => {
    let v = verdict[id];
    if (v === 0) verdict[id] = v = test(pack.string(id)) ? 1 : 2;
    return v === 1;
  };
}

/** NONE keeps no requirement or replace: a module built from facts starts with its header only. */
const NONE = (): boolean => false;
/** ALL keeps every replace. */
const ALL = (): boolean => true;

/** FACTS_TOOL names what wrote a pack: a pack of another format is not read. */
export const FACTS_TOOL = `modguard facts ${FACTS_FORMAT}`;

/**
 * FactsSession is one run's use of a pack: it finds the facts of the files a change did not touch
 * (by their blob ids at the merge base), counts what it found and missed, and writes a new pack
 * when it missed some.
 */
export class FactsSession {
  /** Unchanged go.mod and go.sum files found in the pack, not found, and known to have no facts. */
  hits = 0;
  misses = 0;
  unkept = 0;
  /** Why the pack was dropped during the run, when it was. */
  dropped: string | undefined;
  /** The blob of each module built from facts, and of each go.sum decoded from them in part. */
  private readonly liteBlobs = new Map<ModuleInfo, string>();

  constructor(
    private readonly pack: Pack | undefined,
    /** Blob ids at the merge base by root-relative path. */
    private readonly blobs: ReadonlyMap<string, string>,
    /** Files the change touched: their content is not the merge base's. */
    private readonly changed: ReadonlySet<string>,
    readonly rootReal: string,
    readonly packFile: string,
  ) {}

  /**
   * isTracked tells whether a file (relative to the root, POSIX) is in the commit the facts are of,
   * for the files whose blob ids were listed (blobIdsOf: the files a check reads).
   */
  isTracked(file: string): boolean {
    return this.blobs.has(file);
  }

  /** packRead tells whether a pack was read (none there yet, one of another format or a damaged one: not). */
  get packRead(): boolean {
    return this.pack !== undefined;
  }

  /** listed are the blob ids at the commit the facts are of, by root-relative path (blobIdsOf). */
  get listed(): ReadonlyMap<string, string> {
    return this.blobs;
  }

  /** blobOf is the blob id of a file the change did not touch, undefined for others. */
  blobOf(file: string): string | undefined {
    return this.changed.has(file) ? undefined : this.blobs.get(file);
  }

  /**
   * drop stops looking files up in a pack found damaged: later files are read. Modules already built
   * from it keep it (their records were checked whole when first decoded).
   */
  private drop(err: unknown): void {
    if (!isPackError(err)) throw err;
    this.dropped = (err as Error).message;
    this.usable = false;
  }

  private usable = true;

  private get lookups(): Pack | undefined {
    return this.usable ? this.pack : undefined;
  }

  /**
   * liteModule is the module of an unchanged go.mod built from its facts, or undefined (read and
   * parse it). It starts with no requirements: `narrow` gives it those the run needs.
   */
  liteModule(goModFile: string, dir: string): ModuleInfo | undefined {
    const blob = this.blobOf(goModFile);
    if (blob === undefined) return undefined;
    if (this.lookups?.skipMods.has(blob)) { this.unkept++; return undefined; }
    try {
      const facts = this.lookups?.mod(blob, goModFile, NONE, undefined, NONE);
      if (facts) {
        this.hits++;
        const module = liteModule(goModFile, dir, facts, this.rootReal);
        this.liteBlobs.set(module, blob);
        return module;
      }
    } catch (err) {
      this.drop(err);
    }
    this.misses++;
    return undefined;
  }

  /**
   * baseModule is the module of a go.mod as the commit the facts are of has it, changed since or
   * not, built from its facts with all its statements (PR mode compares a changed module's
   * requirements with those it had at the merge base); undefined when the pack has none. Its text
   * is not in the work tree: asking for it is an error.
   */
  baseModule(goModFile: string, dir: string): ModuleInfo | undefined {
    const blob = this.blobs.get(goModFile);
    const pack = this.lookups;
    if (blob === undefined || !pack || pack.skipMods.has(blob)) return undefined;
    try {
      const facts = pack.mod(blob, goModFile);
      if (facts) return liteModule(goModFile, dir, facts, () => { throw new Error(`the text of ${goModFile} at the merge base was not read`); });
    } catch (err) {
      this.drop(err);
    }
    return undefined;
  }

  /**
   * sumTable is the table into which go.sum facts are decoded without a copy (Pack.seededTable),
   * for the repository's go.sum files: undefined when the pack has none.
   */
  sumTable(): SumTable | undefined {
    try {
      return this.lookups?.seededTable() ?? undefined;
    } catch (err) {
      this.drop(err);
      return undefined;
    }
  }

  /** Modules whose sibling links came from the pack. */
  linked = 0;
  /** Whether the pack's module graph was for another shape of the repository (a new pack keeps this one's). */
  private graphStale = false;
  /** Whether the pack's requirement tally leaves out go.mod files a full check read (saveChecked). */
  private tallyStale = false;

  /**
   * knownLinks are the module graph's links kept in the pack for the modules of repo whose go.mod
   * is unchanged, when the pack's graph is of this repository's shape (undefined otherwise).
   */
  knownLinks(repo: Repository): KnownLinks | undefined {
    const g = this.lookups?.graph;
    if (!g) return undefined;
    if (g.shape !== shapeHash(repo)) {
      this.graphStale = true;
      return undefined;
    }
    const byDir = modulesByDir(repo.modules);
    const valid = new Map<string, number>();
    for (let i = 0; i < g.dirs.length; i++) {
      const blob = g.blobs[i]!;
      const m = byDir.get(g.dirs[i]!);
      if (blob === '' || !m || this.blobOf(m.goModFile) !== blob) continue;
      valid.set(m.dir, i);
    }
    this.linked = valid.size;
    return { dirs: g.dirs, start: g.start, targets: g.targets, valid };
  }

  /**
   * narrow gives each module still built from facts the requirements whose path `keep` accepts (and
   * no others). The whole-repository rules compare the reported modules' dependencies with every
   * other module's: requirements of other paths change no finding of a reported module. It returns
   * the modules whose record it found damaged (the pack is then dropped): they are no longer built
   * from facts, and the caller reads and parses their go.mod (the loader's upgradeModule). Replaces
   * are those `keepReplace` accepts (all without it), every one for the modules of `allReplaces`'
   * dirs (a workspace's members: broken-workspace compares them all).
   */
  narrow(
    modules: readonly ModuleInfo[], keep: (path: string) => boolean, keepReplace?: (path: string) => boolean, tallied?: ReadonlySet<ModuleInfo>,
    allReplaces?: ReadonlySet<string>,
  ): ModuleInfo[] {
    const damaged: ModuleInfo[] = [];
    const pack = this.pack;
    if (!pack) return damaged;
    const keepId = verdicts(pack, keep);
    const keepReplaceId = keepReplace ? verdicts(pack, keepReplace) : undefined;
    const pseudo = verdicts(pack, isPseudoVersion);
    const keepPseudo = (p: number, v: number) => keepId(p) && pseudo(v);
    for (const m of modules) {
      const blob = this.liteBlobs.get(m);
      if (blob === undefined || !isLite(m)) continue;
      // The record's header was decoded before (liteModule); its statements are checked here. Of a
      // module the tally counts, only the requirements at pseudo-versions are looked at, from the
      // pack's list of them when it has one.
      try {
        const counted = tallied?.has(m) === true;
        const list = counted ? pack.pseudoOf(pack.mods.get(blob)!) : undefined;
        const replaces = allReplaces?.has(m.dir) ? undefined : keepReplaceId;
        m.mod = (list !== undefined
          ? pack.modPseudo(blob, m.goModFile, list, keepId, pseudo, m.mod!, replaces ?? ALL)
          : pack.mod(blob, m.goModFile, counted ? keepPseudo : keepId, m.mod, replaces))!.mod;
      } catch (err) {
        if (!isPackError(err)) throw err;
        // The first damage found names why the pack was dropped.
        if (this.usable) this.drop(err);
        this.liteBlobs.delete(m);
        damaged.push(m);
      }
    }
    return damaged;
  }

  /** The tally requireTally made, and the modules it counts (carried into the pack this run writes). */
  private tallied: { tally: RequireTally; covered: Set<ModuleInfo> } | undefined;

  /** How many modules' requirements were counted from the pack's tally. */
  get counted(): number {
    return this.tallied?.covered.size ?? 0;
  }

  /**
   * requireTally is the tally of the requirements of the modules built from facts that the pack's
   * tally counts (the same dir and blob, not read since), with the other modules it counts taken
   * out (their records are decoded for that); undefined when the pack has no tally that reads.
   * Call it once the modules the run reports on have been read.
   */
  requireTally(modules: readonly ModuleInfo[]): { tally: RequireTally; covered: Set<ModuleInfo> } | undefined {
    const pack = this.lookups;
    const t = pack?.tally();
    if (!pack || !t) return undefined;
    const byDir = modulesByDir(modules);
    const covered = new Set<ModuleInfo>();
    try {
      for (let i = 0; i < t.dirs.length; i++) {
        const dir = t.dirs[i]!;
        const blob = t.blobs[i]!;
        const m = byDir.get(dir);
        if (m && isLite(m) && this.liteBlobs.get(m) === blob) {
          covered.add(m);
          continue;
        }
        const facts = pack.mod(blob, dir === '.' ? 'go.mod' : `${dir}/go.mod`);
        if (!facts || !t.tally.addModule(facts.modulePath, facts.mod, -1)) return undefined;
      }
    } catch (err) {
      this.drop(err);
      return undefined;
    }
    return (this.tallied = { tally: t.tally, covered });
  }

  /**
   * attachSums gives each module without a go.sum yet the go.sum beside it from its facts, when the
   * pack has them (the others are read). `table` is the repository's: the pack's facts are used
   * only when it is the pack's seededTable (sumTable), whose numbers they are.
   */
  attachSums(modules: readonly ModuleInfo[], sumFileOf: (m: ModuleInfo) => string, table: SumTable): void {
    if (table !== this.sumTable()) return;
    for (const m of modules) if (!hasGoSum(m)) this.attachSum(m, sumFileOf(m));
  }

  /** The record of each module's go.sum attached from the pack (its number for Pack.disagreeing). */
  private readonly sumRecords = new Map<ModuleInfo, number>();

  /**
   * attachSum gives a module the go.sum facts the pack has of its go.sum, decoded when first read:
   * a PR run's rules compare the reported modules' lines with what the pack's lines agree on
   * (sumAgreement), and read the others' only when that leaves a doubt. A record found damaged then
   * drops the pack, and the file is read and parsed instead.
   */
  private attachSum(module: ModuleInfo, sumFile: string): void {
    const blob = this.blobOf(sumFile);
    if (blob === undefined) return;
    const pack = this.lookups;
    if (pack?.skipSums.has(blob)) { this.unkept++; return; }
    if (!pack?.hasSum(blob)) { this.misses++; return; }
    this.hits++;
    const table = pack.seededTable();
    this.sumRecords.set(module, pack.sums.get(blob)!);
    setDeferredSum(module, () => {
      try {
        return pack.sum(blob, sumFile);
      } catch (err) {
        this.drop(err);
        // Read from the file now: not the pack's any more (SumAgreement.covers).
        this.sumRecords.delete(module);
        const read = readOne(this.rootReal, { file: sumFile }, {});
        return read.text !== undefined ? parseGoSum(read.text, sumFile, table) : { file: sumFile, entries: [], errors: read.error ? [read.error] : [] };
      }
    });
    setLazyText(module, 'sumText', () => readOne(this.rootReal, { file: sumFile }, {}).text);
  }

  /**
   * sumAgreement is what the go.sum files attached from the pack agree on (SumAgreement), when the
   * pack says it and `table` is its seededTable; undefined otherwise.
   */
  sumAgreement(table: SumTable): SumAgreement | undefined {
    const pack = this.lookups;
    if (!pack?.sumAgree || table !== this.sumTable()) return undefined;
    const numbers = this.sumRecords;
    return {
      // This pack's go.sum facts, still as attached (not replaced, not read again from the file).
      table, hash: pack.sumAgree, covers: (module) => numbers.has(module) && hasDeferredSum(module),
      disagreeing: (key) => pack.disagreeing()?.get(key),
      sumNumber: (module) => numbers.get(module),
    };
  }

  /**
   * saveChecked writes the pack after a full check (every module read and parsed), when the pack
   * lacks the facts of some unchanged go.mod or go.sum. Returns the blobs written.
   */
  async saveChecked(repo: Repository, sumFileOf: (m: ModuleInfo) => string): Promise<number> {
    const modules = repo.modules;
    const pack = this.lookups;
    if (!pack?.graph || pack.graph.shape !== shapeHash(repo)) this.graphStale = true;
    // A tally that does not count every go.mod kept (one written by a PR run) is made whole.
    const tally = pack?.tally();
    const counted = new Map<string, string>();
    if (tally) for (let i = 0; i < tally.dirs.length; i++) counted.set(tally.dirs[i]!, tally.blobs[i]!);
    const lacks = (file: string, has: (p: Pack, blob: string) => boolean) => {
      const blob = this.blobOf(file);
      return blob !== undefined && (!pack || !has(pack, blob));
    };
    for (const m of modules) {
      const modUnkeepable = !m.mod || m.errors.length > 0 || !isCacheableText(m.text);
      const modBlob = this.blobOf(m.goModFile);
      if (!modUnkeepable && modBlob !== undefined && isTallied(m.mod!) && counted.get(m.dir) !== modBlob) this.tallyStale = true;
      const sumUnkeepable = !m.sum?.compact || m.sum.errors.length > 0 || (m.sum.warnings?.length ?? 0) > 0;
      if (lacks(m.goModFile, (p, b) => p.hasMod(b) || (modUnkeepable && p.skipMods.has(b)))
        || (m.sum && lacks(sumFileOf(m), (p, b) => p.hasSum(b) || (sumUnkeepable && p.skipSums.has(b))))) this.misses++;
    }
    return this.save(repo, sumFileOf);
  }

  /**
   * save writes a pack of the facts of every unchanged go.mod and go.sum of the repository when
   * this run missed some (nothing is written when the pack had them all). Modules built from facts
   * (narrowed) are copied whole from the pack. Returns the blobs written.
   */
  async save(repo: Repository, sumFileOf: (m: ModuleInfo) => string): Promise<number> {
    const modules = repo.modules;
    if (this.misses === 0 && this.dropped === undefined && !this.graphStale && !this.tallyStale) return 0;
    const pack = this.pack;
    let written = 0;
    await writePackStreamed(this.packFile, FACTS_TOOL, (w) => {
      // The requirement tally of the go.mod records written: this run's (of modules built from
      // facts) and the modules read in full.
      const tally = new RequireTally();
      const tallyDirs: string[] = [];
      const tallyBlobs: string[] = [];
      const carried = this.tallied;
      let tallyWhole = true;
      if (carried) tally.merge(carried.tally);
      for (const m of modules) {
        const modBlob = this.blobOf(m.goModFile);
        if (modBlob === undefined) continue;
        const lite = isLite(m);
        const added = lite
          ? pack !== undefined && w.copyMod(pack, modBlob)
          : isCacheableText(m.text) && w.addMod(modBlob, m, hasSuppressionMark(m.text));
        if (!added) w.skipMod(modBlob);
        // Written now, or for another module with the same go.mod text.
        const kept = added || w.hasMod(modBlob);
        // A module built from facts is counted as the run's tally counts it, one read in full anew.
        if (lite ? !carried?.covered.has(m) : !kept || !isTallied(m.mod!)) continue;
        if (!kept) {
          tallyWhole = false;
          continue;
        }
        if (!lite) tally.addModule(m.modulePath, m.mod!, 1);
        tallyDirs.push(m.dir);
        tallyBlobs.push(modBlob);
      }
      // The go.sum records after all go.mod ones, together: PR mode reads them only to decode one.
      for (const m of modules) {
        const sumBlob = this.blobOf(sumFileOf(m));
        if (sumBlob !== undefined && m.sum) {
          if (!w.addSum(sumBlob, m)) w.skipSum(sumBlob);
        }
      }
      if (w.count === 0) return false;
      w.agreeSums();
      w.setGraph(repo, (m) => this.blobOf(m.goModFile));
      if (tallyWhole && tallyDirs.length > 0) w.setTally(tally, tallyDirs, tallyBlobs);
      written = w.count;
      return true;
    });
    return written;
  }
}

/**
 * isCacheableText tells a go.mod whose facts may be kept: one whose replaces may name a directory
 * that discovery skips (vendor/, testdata/, hidden ones) is read every time, because the loader
 * looks for such modules in go.mod texts.
 */
function isCacheableText(text: string): boolean {
  return !(text.includes('=>') && mayNameSkipped(text));
}

/** isLite tells a module built from facts (and not read since). */
export function isLite(module: ModuleInfo): boolean {
  return module.suppressionMark !== undefined;
}

/**
 * liteCopy is another repository's module for the same unchanged go.mod (PR mode's base beside its
 * head): it shares the facts and reads the text through the original, and shares the go.sum too
 * unless `ownSum` (the go.sum differs there: the caller gives the copy its own).
 */
export function liteCopy(module: ModuleInfo, { ownSum = false }: { ownSum?: boolean } = {}): ModuleInfo {
  const sameSum = !ownSum;
  // `text` and `sumText` come last, as accessors (see liteModule).
  const copy = { dir: module.dir, goModFile: module.goModFile, modulePath: module.modulePath, errors: [], suppressionMark: module.suppressionMark! } as Omit<ModuleInfo, 'text'> as ModuleInfo;
  if (module.mod) copy.mod = module.mod;
  if (sameSum) {
    if (hasDeferredSum(module)) setDeferredSum(copy, () => module.sum);
    else if (module.sum) copy.sum = module.sum;
  }
  setLazyText(copy, 'text', () => module.text);
  if (sameSum) setLazyText(copy, 'sumText', () => module.sumText);
  return copy;
}

export { defaultCacheDir, usesDefaultCache } from './cache-dir.ts';

/**
 * FACT_NAMES are the names of the files whose blob ids a run with facts needs besides the graph,
 * anchors and configuration files: the module and workspace files.
 */
export const FACT_NAMES: readonly string[] = ['go.mod', 'go.sum', 'go.work', 'go.work.sum'];

/**
 * blobIdsOf lists the blob ids of a commit for openFacts (undefined when git cannot): of the files
 * named FACT_NAMES and of `also` (the graph file name, the anchors and configuration files, as
 * paths from the root). Only those: a monorepo's source files are never listed.
 */
export function blobIdsOf(git: Git, commit: string, also: readonly (string | undefined)[] = []): Promise<Map<string, string> | undefined> {
  return git.blobIds(commit, blobNames(also)).catch(() => undefined);
}

/** blobNames are the names blobIdsOf picks a commit's files by, given `also`. */
export function blobNames(also: readonly (string | undefined)[]): string[] {
  return [...FACT_NAMES, ...also.filter((n): n is string => n !== undefined && n !== '' && !n.startsWith('../') && !path.isAbsolute(n))];
}

/**
 * openFacts prepares a run's use of the pack of a repository: the blob ids of the merge base and
 * the pack, read at once. undefined when git cannot list the merge base's files.
 */
export async function openFacts(
  git: Git, root: string, mergeBase: string, changed: readonly string[], cacheDir: string,
  started?: Promise<Map<string, string> | undefined>, also: readonly (string | undefined)[] = [],
): Promise<FactsSession | undefined> {
  const rootReal = realRoot(root);
  const packFile = packFileFor(cacheDir, rootReal);
  const [blobs, pack] = await Promise.all([started ?? blobIdsOf(git, mergeBase, also), readPack(packFile, FACTS_TOOL)]);
  if (!blobs) return undefined;
  return new FactsSession(pack, blobs, new Set(changed), rootReal, packFile);
}
