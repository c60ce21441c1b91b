// go-version-drift: a `go` or `toolchain` directive that differs from the one anchor.lock sets or,
// when anchor.lock sets none, from the one most modules use. The go line selects language
// semantics and the minimum toolchain; modules on different lines build and vet differently.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { Line } from '../src/gomod/types.ts';
import { compareGoVersions, goVersionOf, isValidGoVersion } from '../src/version/index.ts';
import { argTokens, at, isReported, isWorkFileReported } from './support/syntax.ts';
import { readTokens } from '../src/gomod/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also compare `toolchain` lines. */
  checkToolchain: z.boolean().default(true),
  /** Also check the go line of go.work files (they must not lag behind the modules they use). */
  checkWorkFiles: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** compareGo orders go lines; versions Go does not accept sort by text after the valid ones. */
function compareGo(a: string, b: string): number {
  const va = isValidGoVersion(a), vb = isValidGoVersion(b);
  if (va && vb) return compareGoVersions(a, b);
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** compareToolchain orders toolchain names such as `go1.22.3` by their Go version. */
function compareToolchain(a: string, b: string): number {
  if (a === b) return 0;
  return compareGo(goVersionOf(a), goVersionOf(b)) || (a < b ? -1 : 1);
}

/**
 * majority returns the value most modules use; on a tie the highest. Counting is by exact text:
 * `1.21` and `1.21.0` are different go lines (Go orders 1.21 < 1.21rc1 < 1.21.0).
 */
export function majority(values: string[], compare: (a: string, b: string) => number): { value: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: { value: string; count: number } | undefined;
  for (const [value, count] of counts) {
    if (!best || count > best.count || (count === best.count && compare(value, best.value) > 0)) best = { value, count };
  }
  return best;
}

function valueToken(syntax: Line) {
  return argTokens(syntax)[0] ?? readTokens(syntax)[0]!;
}

export const rule: Rule<Options> = {
  meta: {
    id: 'go-version-drift',
    type: 'suggestion',
    description: 'A go or toolchain directive that differs from anchor.lock or, without one there, from the repository majority.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      goDiffersFromAnchor: 'go directive is {{actual}}, not {{expected}} as set in {{anchorFile}}:{{anchorLine}}; ' +
        'change it to `go {{expected}}` (`modguard fix` does this) and run `go mod tidy`',
      goDiffersFromMajority: 'go directive is {{actual}}, not {{expected}} like most modules of the repository ({{count}} of {{total}}); ' +
        'change it to `go {{expected}}` (`modguard fix` does this), or set the version for all modules with a `go` line in anchor.lock',
      toolchainDiffersFromAnchor: 'toolchain directive is {{actual}}, not {{expected}} as set in {{anchorFile}}:{{anchorLine}}; ' +
        'change it to `toolchain {{expected}}` (`modguard fix` does this)',
      toolchainDiffersFromMajority: 'toolchain directive is {{actual}}, not {{expected}} like most modules that name one ({{count}} of {{total}}); ' +
        'change it to `toolchain {{expected}}` (`modguard fix` does this), or set it for all modules with a `toolchain` line in anchor.lock',
      missingGo: 'go.mod has no go directive, so Go assumes the semantics of go 1.16; add `go {{expected}}`, the version this repository uses',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { checkToolchain: true, checkWorkFiles: true },
  },
  create(context) {
    const { repo, options } = context;
    const anchors = repo.anchors;
    const parsed = repo.modules.filter((m): m is ModuleInfo & { mod: NonNullable<ModuleInfo['mod']> } => m.mod !== undefined);

    type Target = { expected: string; fromAnchor: boolean; data: Record<string, string | number> };
    let goTarget: Target | undefined;
    if (anchors?.go) {
      goTarget = { expected: anchors.go.version, fromAnchor: true, data: { anchorFile: anchors.file, anchorLine: anchors.go.line } };
    } else {
      const lines = parsed.flatMap((m) => (m.mod.go ? [m.mod.go.version] : []));
      const top = majority(lines, compareGo);
      if (top) goTarget = { expected: top.value, fromAnchor: false, data: { count: top.count, total: lines.length } };
    }
    let toolchainTarget: Target | undefined;
    if (options.checkToolchain) {
      if (anchors?.toolchain) {
        // `toolchain default` leaves the choice to the go line: there is nothing to compare.
        if (anchors.toolchain.name !== 'default') toolchainTarget = { expected: anchors.toolchain.name, fromAnchor: true, data: { anchorFile: anchors.file, anchorLine: anchors.toolchain.line } };
      } else {
        const names = parsed.flatMap((m) => (m.mod.toolchain ? [m.mod.toolchain.name] : []));
        const top = majority(names, compareToolchain);
        if (top) toolchainTarget = { expected: top.value, fromAnchor: false, data: { count: top.count, total: names.length } };
      }
    }

    const check = (file: string, module: string | undefined, go: { version: string; syntax: Line } | undefined,
      toolchain: { name: string; syntax: Line } | undefined, isWork: boolean) => {
      if (goTarget) {
        if (!go) {
          if (!isWork) {
            context.report({ messageId: 'missingGo', file, line: 1, column: 1, module, data: { expected: goTarget.expected }, extra: { fromAnchor: goTarget.fromAnchor } });
          }
        } else if (compareGo(go.version, goTarget.expected) !== 0) {
          context.report({
            messageId: goTarget.fromAnchor ? 'goDiffersFromAnchor' : 'goDiffersFromMajority',
            file, ...at(valueToken(go.syntax)), module,
            data: { ...goTarget.data, actual: go.version, expected: goTarget.expected },
            extra: { direction: compareGo(go.version, goTarget.expected) < 0 ? 'older' : 'newer' },
          });
        }
      }
      // A missing toolchain line means "the go line's version": Go itself drops it, so only a written one can drift.
      if (toolchainTarget && toolchain && compareToolchain(toolchain.name, toolchainTarget.expected) !== 0) {
        context.report({
          messageId: toolchainTarget.fromAnchor ? 'toolchainDiffersFromAnchor' : 'toolchainDiffersFromMajority',
          file, ...at(valueToken(toolchain.syntax)), module,
          data: { ...toolchainTarget.data, actual: toolchain.name, expected: toolchainTarget.expected },
          extra: { direction: compareToolchain(toolchain.name, toolchainTarget.expected) < 0 ? 'older' : 'newer' },
        });
      }
    };

    for (const module of parsed) {
      if (!isReported(repo, module)) continue;
      check(module.goModFile, module.modulePath || undefined, module.mod.go, module.mod.toolchain, false);
    }
    if (options.checkWorkFiles) {
      for (const work of repo.workFiles) {
        if (!work.work || !isWorkFileReported(repo, work)) continue;
        check(work.file, undefined, work.work.go, work.work.toolchain, true);
      }
    }
  },
};

export default rule;
