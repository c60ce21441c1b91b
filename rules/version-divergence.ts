// version-divergence: a dependency no anchor pins, required at several versions across the
// repository. It is the hint that turns into an anchor: the finding says which versions are in
// use, by how many modules, and which version to anchor.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { canonicalVersion, compareVersions, isPseudoVersion, pseudoVersionParts } from '../src/version/index.ts';
import { TALLY_INDIRECT, TALLY_REPLACED, TALLY_SELF } from '../src/engine/tally.ts';
import { at, isReplacedRequirement, reportedModules, memoize, plural, replacedVersions, requireVersionToken, type ReplacedVersions } from './support/syntax.ts';

/** Marks a path whose requirements never count (anchored, or a module of the repository). */
const NOT_COUNTED = 0;

const optionsSchema = lazySchema((z) => z.object({
  /** Also count `// indirect` requirements (they follow from the direct ones, so they are noisy). */
  includeIndirect: z.boolean().default(false),
  /**
   * Which version to suggest and measure against: `most-common` (the fewest modules have to move;
   * ties go to the highest) or `highest` (what minimal version selection picks when the modules are
   * built together).
   */
  target: z.enum(['most-common', 'highest']).default('most-common'),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'version-divergence',
    type: 'suggestion',
    description: 'A dependency that no anchor pins, required at several versions across the repository.',
    defaultSeverity: 'info',
    messages: {
      diverges: '{{dependency}} is required here at {{version}}, but the repository uses {{count}} versions of it ({{versions}}); ' +
        'move to {{suggested}} and pin it for every module with `anchor {{dependency}} {{suggested}}` in anchor.lock',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { includeIndirect: false, target: 'most-common' },
  },
  create(context) {
    const { repo, options } = context;
    const anchored = repo.anchors?.anchors;
    const canonicalOf = memoize(canonicalVersion);
    /** counted returns the canonical version a requirement counts with, or '' when it does not count. */
    const counted = (module: ModuleInfo, req: RequireStmt, replaced: ReplacedVersions): string => {
      const { path, version } = req.mod;
      if (req.indirect && !options.includeIndirect) return '';
      // Anchored paths belong to anchor-mismatch; sibling modules are versioned by the repository itself.
      if (anchored?.has(path) || repo.modulesByPath.has(path) || path === module.modulePath) return '';
      const canonical = canonicalOf(version);
      if (canonical === '' || isReplacedRequirement(replaced, path, version)) return '';
      return canonical;
    };

    // Pass 1 counts (no object per requirement: a thousand modules have tens of thousands of them).
    // Paths that never count (anchored ones, sibling modules) are remembered as such, so that most
    // requirements cost one look-up of their path.
    const counts = new Map<string, Map<string, number> | typeof NOT_COUNTED>();
    const modules = repo.modules;
    // Modules whose requirements a tally counts (PR mode, shards) are counted from it, after.
    const tally = repo.requireTally;
    for (let m = 0; m < modules.length; m++) {
      const module = modules[m]!;
      if (!module.mod || tally?.covers(module)) continue;
      const requires = module.mod.require;
      const replaced = replacedVersions(module);
      for (let i = 0; i < requires.length; i++) {
        const req = requires[i]!;
        if (req.indirect && !options.includeIndirect) continue;
        const path = req.mod.path;
        let versions = counts.get(path);
        if (versions === NOT_COUNTED) continue;
        if (versions === undefined && (anchored?.has(path) || repo.modulesByPath.has(path))) {
          counts.set(path, NOT_COUNTED);
          continue;
        }
        // The rest of `counted`, for a path that is neither anchored nor a module of the repository.
        if (path === module.modulePath) continue;
        const version = req.mod.version;
        const canonical = canonicalOf(version);
        if (canonical === '' || isReplacedRequirement(replaced, path, version)) continue;
        if (!versions) counts.set(path, (versions = new Map()));
        versions.set(canonical, (versions.get(canonical) ?? 0) + 1);
      }
    }

    // The same tests for the tally's requirements, by their kind.
    tally?.forEach((path, version, kind, n) => {
      if ((kind & TALLY_INDIRECT) !== 0 && !options.includeIndirect) return;
      let versions = counts.get(path);
      if (versions === NOT_COUNTED) return;
      if (versions === undefined && (anchored?.has(path) || repo.modulesByPath.has(path))) {
        counts.set(path, NOT_COUNTED);
        return;
      }
      if ((kind & (TALLY_SELF | TALLY_REPLACED)) !== 0) return;
      const canonical = canonicalOf(version);
      if (canonical === '') return;
      if (!versions) counts.set(path, (versions = new Map()));
      versions.set(canonical, (versions.get(canonical) ?? 0) + n);
    });

    interface Divergence { suggested: string; summary: string; count: number; extra: Record<string, unknown> }
    const diverging = new Map<string, Divergence>();
    const commitOf = memoize((version) => (isPseudoVersion(version) ? pseudoVersionParts(version)?.revision.toLowerCase() ?? '' : ''));
    for (const [dependency, versions] of counts) {
      if (versions === NOT_COUNTED || versions.size < 2) continue;
      // Several untagged commits are pseudo-version-conflict's (an error); one hint per line is enough.
      const commits = new Set<string>();
      for (const version of versions.keys()) if (commitOf(version)) commits.add(commitOf(version));
      if (commits.size >= 2) continue;
      // Most used first, then the highest: the order of the summary and the most-common choice.
      // (Versions equal in precedence, `+incompatible` or not, by their text: the order counting met them in varies.)
      const ranked = [...versions].sort((a, b) => b[1] - a[1] || compareVersions(b[0], a[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      let highest = ranked[0]![0];
      for (const [version] of ranked) if (compareVersions(version, highest) > 0) highest = version;
      const suggested = options.target === 'highest' ? highest : ranked[0]![0];
      diverging.set(dependency, {
        suggested,
        count: versions.size,
        summary: ranked.map(([version, n]) => `${version} in ${plural(n, 'module')}`).join(', '),
        extra: { versions: ranked.map(([version, modules]) => ({ version, modules })), suggested, highest, mostCommon: ranked[0]![0] },
      });
    }
    if (diverging.size === 0) return;

    // Pass 2 reports the requirements off the suggested version.
    const reported = reportedModules(repo);
    for (let m = 0; m < reported.length; m++) {
      const module = reported[m]!;
      if (!module.mod) continue;
      const replaced = replacedVersions(module);
      const requires = module.mod.require;
      for (let i = 0; i < requires.length; i++) {
        const req = requires[i]!;
        const info = diverging.get(req.mod.path);
        if (!info) continue;
        const canonical = counted(module, req, replaced);
        if (canonical === '' || canonical === info.suggested) continue;
        const dependency = req.mod.path;
        context.report({
          messageId: 'diverges',
          file: module.goModFile,
          ...at(requireVersionToken(req.syntax)),
          module: module.modulePath,
          dependency,
          data: { dependency, version: req.mod.version, count: info.count, versions: info.summary, suggested: info.suggested },
          extra: info.extra,
        });
      }
    }
  },
};

export default rule;
