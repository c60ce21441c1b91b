// gosum-hash-conflict: the same `module version[/go.mod]` recorded with different hashes in go.sum
// files of the repository, go.work.sum files included (or twice in one file). A module version has
// exactly one content, so two hashes mean one go.sum was edited by hand, merged badly, or filled
// from a tampered proxy.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, GoSum, GoSumEntry, WorkInfo } from '../src/engine/types.ts';
import { SUM_STRIDE } from '../src/gosum/table.ts';
import { isReported, isWorkFileReported } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** A file of checksums: a module's go.sum, or a workspace's go.work.sum. */
interface SumFile {
  sum: GoSum;
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
  for (const module of modules) if (module.sum) out.push({ sum: module.sum, module, work: undefined });
  for (const work of works) if (work.sum) out.push({ sum: work.sum, module: undefined, work });
  return out;
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
    const files = sumFiles(repo.modules, repo.workFiles);
    // entry key -> hash -> occurrences, in file order so the first occurrence is deterministic.
    const byKey = new Map<string, Map<string, Occurrence[]>>();
    // The hash column of entries read from interned data, which keeps it; others look at the text.
    const columns = new Map<GoSumEntry, number>();
    const table = repo.sumTable;
    if (table && files.every((f) => f.sum.compact?.table === table)) {
      // Every go.sum is interned in one table: hashes compare as integers, and entry objects are
      // made only for the keys that conflict. Two passes keep the common case cheap: the first
      // remembers one hash per key and notes the keys that ever see a second one; only those are
      // collected, with every occurrence, in the second.
      const first = new Int32Array(table.keys.length).fill(-1);
      const conflicting = new Uint8Array(table.keys.length);
      let any = false;
      for (let f = 0; f < files.length; f++) {
        const d = files[f]!.sum.compact!.data;
        for (let i = 0; i < d.length; i += SUM_STRIDE) {
          const k = d[i]!;
          const h = d[i + 1]!;
          const seen = first[k]!;
          if (seen < 0) first[k] = h;
          else if (seen !== h) { conflicting[k] = 1; any = true; }
        }
      }
      if (!any) return;
      for (const holder of files) {
        const d = holder.sum.compact!.data;
        for (let i = 0; i < d.length; i += SUM_STRIDE) {
          const k = d[i]!;
          if (!conflicting[k]) continue;
          const entry = table.entry(k, d[i + 1]!, d[i + 2]!);
          columns.set(entry, d[i + 3]!);
          const key = table.keys[k]!;
          let hashes = byKey.get(key);
          if (!hashes) byKey.set(key, (hashes = new Map()));
          let list = hashes.get(entry.hash);
          if (!list) hashes.set(entry.hash, (list = []));
          list.push({ holder, file: holder.sum.file, entry });
        }
      }
    } else {
      // The same two passes over entry objects. Nested maps (path, then version) avoid building a
      // key string for each of ~100,000 lines.
      const firstHash = [new Map<string, Map<string, string>>(), new Map<string, Map<string, string>>()] as const;
      const conflicting = new Set<string>();
      for (const { sum } of files) {
        for (const entry of sum.entries) {
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
        for (const entry of holder.sum.entries) {
          const key = keyOf(entry);
          if (!conflicting.has(key)) continue;
          let hashes = byKey.get(key);
          if (!hashes) byKey.set(key, (hashes = new Map()));
          let list = hashes.get(entry.hash);
          if (!list) hashes.set(entry.hash, (list = []));
          list.push({ holder, file: holder.sum.file, entry });
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
      const all = groups.flat().map((o) => ({ file: o.file, line: o.entry.line, hash: o.entry.hash, module: o.holder.module?.modulePath ?? '' }));
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
