// gosum-hash-conflict: the same `module version[/go.mod]` recorded with different hashes in go.sum
// files of the repository (or twice in one file). A module version has exactly one content, so two
// hashes mean one go.sum was edited by hand, merged badly, or filled from a tampered proxy.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, GoSumEntry } from '../src/engine/types.ts';
import { SUM_STRIDE } from '../src/gosum/table.ts';
import { isReported } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

interface Occurrence {
  module: ModuleInfo;
  file: string;
  entry: GoSumEntry;
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
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    // Two passes keep the common case cheap: the first remembers one hash per entry and notes the
    // entries that ever see a second one; only those are collected, with every occurrence, in the second.
    // Nested maps (path, then version) avoid building a key string for each of ~100,000 lines.
    const keyOf = (entry: GoSumEntry) => `${entry.path} ${entry.version}${entry.isGoMod ? '/go.mod' : ''}`;
    // entry key -> hash -> occurrences, in module order so the first occurrence is deterministic.
    const byKey = new Map<string, Map<string, Occurrence[]>>();
    // The hash column of entries read from interned data, which keeps it; others look at the text.
    const columns = new Map<GoSumEntry, number>();
    const table = repo.sumTable;
    if (table && repo.modules.every((m) => !m.sum || m.sum.compact?.table === table)) {
      // Every go.sum is interned in one table: hashes compare as integers, and entry objects are
      // made only for the keys that conflict.
      const first = new Int32Array(table.keys.length).fill(-1);
      const conflicting = new Uint8Array(table.keys.length);
      let any = false;
      for (const module of repo.modules) {
        const d = module.sum?.compact?.data;
        if (!d) continue;
        for (let i = 0; i < d.length; i += SUM_STRIDE) {
          const k = d[i]!;
          const h = d[i + 1]!;
          const f = first[k]!;
          if (f < 0) first[k] = h;
          else if (f !== h) { conflicting[k] = 1; any = true; }
        }
      }
      if (!any) return;
      for (const module of repo.modules) {
        const sum = module.sum;
        const d = sum?.compact?.data;
        if (!d) continue;
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
          list.push({ module, file: sum!.file, entry });
        }
      }
    } else {
      // Two passes keep the common case cheap: the first remembers one hash per entry and notes the
      // entries that ever see a second one; only those are collected, with every occurrence, in the second.
      // Nested maps (path, then version) avoid building a key string for each of ~100,000 lines.
      const firstHash = [new Map<string, Map<string, string>>(), new Map<string, Map<string, string>>()] as const;
      const conflicting = new Set<string>();
      for (const module of repo.modules) {
        for (const entry of module.sum?.entries ?? []) {
          const byPath = firstHash[entry.isGoMod ? 1 : 0];
          let versions = byPath.get(entry.path);
          if (!versions) byPath.set(entry.path, (versions = new Map()));
          const seen = versions.get(entry.version);
          if (seen === undefined) versions.set(entry.version, entry.hash);
          else if (seen !== entry.hash) conflicting.add(keyOf(entry));
        }
      }
      if (conflicting.size === 0) return;
      for (const module of repo.modules) {
        const sum = module.sum;
        if (!sum) continue;
        for (const entry of sum.entries) {
          const key = keyOf(entry);
          if (!conflicting.has(key)) continue;
          let hashes = byKey.get(key);
          if (!hashes) byKey.set(key, (hashes = new Map()));
          let list = hashes.get(entry.hash);
          if (!list) hashes.set(entry.hash, (list = []));
          list.push({ module, file: sum.file, entry });
        }
      }
    }

    const linesOf = new Map<ModuleInfo, string[] | undefined>();
    const lines = (module: ModuleInfo) => {
      if (!linesOf.has(module)) linesOf.set(module, module.sumText?.split('\n'));
      return linesOf.get(module);
    };
    for (const [key, hashes] of byKey) {
      const groups = [...hashes.values()];
      const all = groups.flat().map((o) => ({ file: o.file, line: o.entry.line, hash: o.entry.hash, module: o.module.modulePath }));
      for (const [index, group] of groups.entries()) {
        // Name the first occurrence of another hash: the first group's members point at the second.
        const other = groups[index === 0 ? 1 : 0]![0]!;
        for (const occ of group) {
          if (!isReported(repo, occ.module)) continue;
          context.report({
            messageId: 'conflict',
            file: occ.file,
            line: occ.entry.line,
            column: columns.get(occ.entry) ?? hashColumn(lines(occ.module), occ.entry),
            module: occ.module.modulePath || undefined,
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
