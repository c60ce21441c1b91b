// gosum-hash-conflict: the same `module version[/go.mod]` recorded with different hashes in go.sum
// files of the repository, go.work.sum files included (or twice in one file). A module version has
// exactly one content, so two hashes mean one go.sum was edited by hand, merged badly, or filled
// from a tampered proxy.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, GoSum, GoSumEntry, Repository, SumAgreement, WorkInfo } from '../src/engine/types.ts';
import { DISAGREE, DISAGREE_STRIDE, SUM_STRIDE, type SumTable } from '../src/gosum/table.ts';
import { siblingFile } from '../src/engine/assemble.ts';
import { Listing } from '../src/engine/listing.ts';
import { isReported, isWorkFileReported } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** A file of checksums: a module's go.sum, or a workspace's go.work.sum. */
interface SumFile {
  file: string;
  /** Its lines; undefined for a go.sum a SumAgreement covers, not read (see focusedDoubts). */
  sum: GoSum | undefined;
  /** The module the go.sum is beside; undefined for a go.work.sum. */
  module: ModuleInfo | undefined;
  work: WorkInfo | undefined;
}

interface Occurrence {
  holder: SumFile;
  file: string;
  entry: GoSumEntry;
}

/** sumFiles lists the repository's checksum files: the modules' go.sum in module order, then go.work.sum. */
function sumFiles(modules: readonly ModuleInfo[], works: readonly WorkInfo[]): SumFile[] {
  const out: SumFile[] = [];
  for (const module of modules) if (module.sum) out.push({ file: module.sum.file, sum: module.sum, module, work: undefined });
  for (const work of works) if (work.sum) out.push({ file: work.sum.file, sum: work.sum, module: undefined, work });
  return out;
}

/**
 * markConflicts goes through one go.sum's interned lines: `first` remembers the first hash of each
 * key (-1: none yet), `conflicting` marks the keys that see another. True when it marked one. (A
 * function of its own, small, so that the optimizing compiler has it ready after a few files.)
 */
function markConflicts(d: Uint32Array, first: Int32Array, conflicting: Uint8Array): boolean {
  let any = false;
  for (let i = 0; i < d.length; i += SUM_STRIDE) {
    const k = d[i]!;
    const h = d[i + 1]!;
    const seen = first[k]!;
    if (seen < 0) first[k] = h;
    else if (seen !== h) {
      conflicting[k] = 1;
      any = true;
    }
  }
  return any;
}

/** nextMarked is the index of the first line at or after `i` whose key is marked (d.length if none). */
function nextMarked(d: Uint32Array, marked: Uint8Array, i: number): number {
  for (; i < d.length; i += SUM_STRIDE) if (marked[d[i]!]) return i;
  return d.length;
}

/** Where a focused check stands with a SumAgreement (focusedDoubts). */
interface FocusedDoubts {
  /** The checksum files in the order sumFiles gives, those the agreement covers unread. */
  holders: SumFile[];
  /** The keys of reported lines that may be in conflict (1), by key number. */
  doubts: Uint8Array;
  /** Whether there is any. */
  any: boolean;
}

/**
 * focusedDoubts compares, without reading the go.sum files `agreement` covers, the lines of the
 * reported files with the hash the covered files agree on for their key and with every file not
 * covered (read as always). A line that agrees with both cannot be in conflict; the others' keys
 * are doubts, settled with the covered files' lines the agreement keeps of keys they disagree on.
 * Undefined when that cannot settle them (a doubt on a key the covered files agree on): then
 * every file is read and compared.
 */
function focusedDoubts(repo: Repository, agreement: SumAgreement): FocusedDoubts | undefined {
  const { table, hash } = agreement;
  const holders: SumFile[] = [];
  const reported: boolean[] = [];
  for (const module of repo.modules) {
    const yes = isReported(repo, module);
    if (!yes && agreement.covers(module)) {
      if (agreement.sumNumber(module) === undefined) return undefined;
      holders.push({ file: siblingFile(module.dir, 'go.sum'), sum: undefined, module, work: undefined });
      reported.push(false);
    } else if (module.sum) {
      holders.push({ file: module.sum.file, sum: module.sum, module, work: undefined });
      reported.push(yes);
    }
  }
  for (const work of repo.workFiles) {
    if (!work.sum) continue;
    holders.push({ file: work.sum.file, sum: work.sum, module: undefined, work });
    reported.push(isWorkFileReported(repo, work));
  }
  // The files read, compared with each other as the full comparison does.
  const first = new Int32Array(table.keys.length).fill(-1);
  const conflicting = new Uint8Array(table.keys.length);
  for (const { sum } of holders) {
    if (!sum) continue;
    if (sum.compact?.table !== table) return undefined;
    markConflicts(sum.compact.data, first, conflicting);
  }
  const doubts = new Uint8Array(table.keys.length);
  let any = false;
  for (let f = 0; f < holders.length; f++) {
    const sum = holders[f]!.sum;
    if (!sum || !reported[f]) continue;
    const d = sum.compact!.data;
    for (let i = 0; i < d.length; i += SUM_STRIDE) {
      const k = d[i]!;
      const agreed = k < hash.length ? hash[k]! : undefined;
      if (!conflicting[k] && (agreed === undefined || agreed === d[i + 1])) continue;
      // The covered files' lines of the key are known only where they disagree.
      if (agreed !== undefined && (agreed !== DISAGREE || !agreement.disagreeing(k))) return undefined;
      doubts[k] = 1;
      any = true;
    }
  }
  return { holders, doubts, any };
}

/** hashColumn finds the column of the hash token on a go.sum line (1 when the text is not at hand). */
function hashColumn(lines: string[] | undefined, entry: GoSumEntry): number {
  const text = lines?.[entry.line - 1];
  if (text === undefined) return 1;
  const at = text.indexOf(entry.hash);
  return at < 0 ? 1 : [...text.slice(0, at)].length + 1;
}

export const rule: Rule<Options> = {
  meta: {
    id: 'gosum-hash-conflict',
    type: 'problem',
    description: 'The same module version recorded with different h1: hashes in go.sum files of the repository.',
    defaultSeverity: 'error',
    messages: {
      conflict: '{{entry}} has hash {{hash}} here but {{otherHash}} in {{otherFile}}:{{otherLine}}; one module version has one content, so one of them is wrong: ' +
        'check which with `go mod verify` or against sum.golang.org, delete the wrong line and run `go mod tidy` in that module',
      conflictInWorkspace: '{{entry}} has hash {{hash}} here but {{otherHash}} in {{otherFile}}:{{otherLine}}; one module version has one content, so one of them is wrong: ' +
        'check which against sum.golang.org, delete the wrong line from go.work.sum and build in the workspace: the go command writes the right one back',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    const keyOf = (entry: GoSumEntry) => `${entry.path} ${entry.version}${entry.isGoMod ? '/go.mod' : ''}`;
    // entry key -> hash -> occurrences, in file order so the first occurrence is deterministic.
    const byKey = new Map<string, Map<string, Occurrence[]>>();
    // The hash column of entries read from interned data, which keeps it; others look at the text.
    const columns = new Map<GoSumEntry, number>();
    const occurs = (key: string, holder: SumFile, entry: GoSumEntry) => {
      let hashes = byKey.get(key);
      if (!hashes) byKey.set(key, (hashes = new Map()));
      let list = hashes.get(entry.hash);
      if (!list) hashes.set(entry.hash, (list = []));
      list.push({ holder, file: holder.file, entry });
    };
    // An interned line (key k, hash h) of a go.sum, its hash column known.
    const add = (table: SumTable, holder: SumFile, k: number, h: number, line: number, column: number) => {
      const entry = table.entry(k, h, line);
      columns.set(entry, column);
      occurs(table.keys[k]!, holder, entry);
    };
    // A focused check (PR mode) with what the others' go.sum files agree on compares the reported
    // files with that, and reads the others' lines only when it cannot settle a doubt.
    const agreement = repo.focus && repo.sumAgreement && repo.sumAgreement.table === repo.sumTable ? repo.sumAgreement : undefined;
    const focused = agreement && focusedDoubts(repo, agreement);
    const table = repo.sumTable;
    const files = focused ? [] : sumFiles(repo.modules, repo.workFiles);
    if (agreement && focused) {
      if (!focused.any) return;
      // The covered files' lines of each doubted key, by the go.sum they are in.
      const { doubts } = focused;
      const kept = new Map<number, Map<number, [number, number]>>();
      for (let k = 0; k < Math.min(doubts.length, agreement.hash.length); k++) {
        if (!doubts[k]) continue;
        const lines = agreement.disagreeing(k)!;
        const bySum = new Map<number, [number, number]>();
        for (let j = 0; j < lines.length; j += DISAGREE_STRIDE) {
          const at = bySum.get(lines[j]!);
          if (at) at[1] = j + DISAGREE_STRIDE;
          else bySum.set(lines[j]!, [j, j + DISAGREE_STRIDE]);
        }
        kept.set(k, bySum);
      }
      for (const holder of focused.holders) {
        if (holder.sum) {
          const d = holder.sum.compact!.data;
          for (let i = nextMarked(d, doubts, 0); i < d.length; i = nextMarked(d, doubts, i + SUM_STRIDE)) add(agreement.table, holder, d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!);
          continue;
        }
        const number = agreement.sumNumber(holder.module!)!;
        for (const [k, bySum] of kept) {
          const range = bySum.get(number);
          if (!range) continue;
          const lines = agreement.disagreeing(k)!;
          for (let j = range[0]; j < range[1]; j += DISAGREE_STRIDE) add(agreement.table, holder, k, lines[j + 1]!, lines[j + 2]!, lines[j + 3]!);
        }
      }
    } else if (table && files.every((f) => f.sum!.compact?.table === table)) {
      // Every go.sum is interned in one table: hashes compare as integers, and entry objects are
      // made only for the keys that conflict. Two passes keep the common case cheap: the first
      // remembers one hash per key and notes the keys that ever see a second one; only those are
      // collected, with every occurrence, in the second.
      const first = new Int32Array(table.keys.length).fill(-1);
      const conflicting = new Uint8Array(table.keys.length);
      let any = false;
      for (let f = 0; f < files.length; f++) if (markConflicts(files[f]!.sum!.compact!.data, first, conflicting)) any = true;
      if (!any) return;
      for (const holder of files) {
        const d = holder.sum!.compact!.data;
        for (let i = nextMarked(d, conflicting, 0); i < d.length; i = nextMarked(d, conflicting, i + SUM_STRIDE)) add(table, holder, d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!);
      }
    } else {
      // The same two passes over entry objects. Nested maps (path, then version) avoid building a
      // key string for each of ~100,000 lines.
      const firstHash = [new Map<string, Map<string, string>>(), new Map<string, Map<string, string>>()] as const;
      const conflicting = new Set<string>();
      for (const { sum } of files) {
        for (const entry of sum!.entries) {
          const byPath = firstHash[entry.isGoMod ? 1 : 0];
          let versions = byPath.get(entry.path);
          if (!versions) byPath.set(entry.path, (versions = new Map()));
          const seen = versions.get(entry.version);
          if (seen === undefined) versions.set(entry.version, entry.hash);
          else if (seen !== entry.hash) conflicting.add(keyOf(entry));
        }
      }
      if (conflicting.size === 0) return;
      for (const holder of files) {
        for (const entry of holder.sum!.entries) {
          const key = keyOf(entry);
          if (conflicting.has(key)) occurs(key, holder, entry);
        }
      }
    }

    const linesOf = new Map<SumFile, string[] | undefined>();
    const lines = (holder: SumFile) => {
      if (!linesOf.has(holder)) linesOf.set(holder, (holder.module ? holder.module.sumText : holder.work!.sumText)?.split('\n'));
      return linesOf.get(holder);
    };
    const reportedOf = new Map<SumFile, boolean>();
    const reported = (holder: SumFile) => {
      let yes = reportedOf.get(holder);
      if (yes === undefined) reportedOf.set(holder, (yes = holder.module ? isReported(repo, holder.module) : isWorkFileReported(repo, holder.work!)));
      return yes;
    };
    for (const [key, hashes] of byKey) {
      const groups = [...hashes.values()];
      // A doubt the covered files' lines settled: one hash after all (the kept lines that gave the
      // key another were of files the change touched, read as they are now).
      if (groups.length < 2) continue;
      // Every occurrence, made only as far as a finding's data keeps it.
      const all = new Listing(groups.flat(), (o) => ({ file: o.file, line: o.entry.line, hash: o.entry.hash, module: o.holder.module?.modulePath ?? '' }));
      for (const [index, group] of groups.entries()) {
        // Name the first occurrence of another hash: the first group's members point at the second.
        const other = groups[index === 0 ? 1 : 0]![0]!;
        for (const occ of group) {
          if (!reported(occ.holder)) continue;
          context.report({
            // A go.work.sum is the workspace's: the go command writes its lines, not `go mod tidy`.
            messageId: occ.holder.module ? 'conflict' : 'conflictInWorkspace',
            file: occ.file,
            line: occ.entry.line,
            column: columns.get(occ.entry) ?? hashColumn(lines(occ.holder), occ.entry),
            module: occ.holder.module?.modulePath || undefined,
            dependency: occ.entry.path,
            data: {
              entry: key,
              hash: occ.entry.hash,
              otherHash: other.entry.hash,
              otherFile: other.file,
              otherLine: other.entry.line,
            },
            extra: { version: occ.entry.version, isGoMod: occ.entry.isGoMod, occurrences: all },
          });
        }
      }
    }
  },
};

export default rule;
