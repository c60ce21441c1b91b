// pseudo-version-conflict: one dependency required at pseudo-versions naming different commits in
// different modules. A pseudo-version is an untagged commit; two modules on two commits of the same
// dependency have no release to meet at, and a build that joins them silently takes the newer one.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { Listing } from '../src/engine/listing.ts';
import { isPseudoVersion, isValidVersion, pseudoVersionParts } from '../src/version/index.ts';
import { at, isReplacedRequirement, isReported, memoize, plural, replacedVersions, requireVersionLine, requireVersionToken, type ReplacedVersions } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also report a dependency required at a pseudo-version in one module and at a release in another. */
  flagReleaseMix: z.boolean().default(false),
  /** Also look at `// indirect` requirements. */
  includeIndirect: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** The length of a revision in a canonical pseudo-version (a commit hash's short form). */
const SHORT_REVISION = 12;

interface Use {
  module: ModuleInfo;
  req: RequireStmt;
  /** Lower-case commit of a pseudo-version; undefined for a release. */
  revision: string | undefined;
}

/** summarize returns `key in N modules` phrases, most used first, for the message. */
function summarize(counts: Map<string, number>): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return sorted.map(([key, n]) => `${key} in ${plural(n, 'module')}`).join(', ');
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export const rule: Rule<Options> = {
  meta: {
    id: 'pseudo-version-conflict',
    type: 'problem',
    description: 'The same dependency required at pseudo-versions naming different commits in different modules.',
    defaultSeverity: 'error',
    messages: {
      conflict: '{{dependency}} is required here at {{version}} (commit {{revision}}), but the repository requires {{count}} different commits of it ' +
        '({{revisions}}); agree on one version, preferably a tagged release, and anchor it in anchor.lock',
      releaseMix: '{{dependency}} is required here at {{version}}, while the repository mixes untagged commits and releases of it ({{versions}}); ' +
        'move every module to one tagged release and anchor it in anchor.lock',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { flagReleaseMix: false, includeIndirect: true },
  },
  create(context) {
    const { repo, options } = context;
    // null: not a valid version; undefined: a release; a string: the commit of a pseudo-version.
    const revisionOf = memoize((version): string | undefined | null => {
      if (!isValidVersion(version)) return null;
      // The commit by its twelve-character short form, as the go command spells it: a longer one
      // (a full hash, which Go refuses to fetch as not canonical) names the same commit.
      return isPseudoVersion(version) ? pseudoVersionParts(version)?.revision.slice(0, SHORT_REVISION).toLowerCase() : undefined;
    });
    /**
     * Each requirement that takes part, with its revision, for every module; replaced ones do not.
     * Releases only when asked for: without flagReleaseMix only pseudo-versions matter, and they
     * are rare, so most requirements are passed over after one look-up of their version.
     */
    const eachUse = (withReleases: boolean, fn: (module: ModuleInfo, req: RequireStmt, revision: string | undefined) => void) => {
      const modules = repo.modules;
      for (let m = 0; m < modules.length; m++) {
        const module = modules[m]!;
        if (!module.mod) continue;
        const requires = module.mod.require;
        let replaced: ReplacedVersions | undefined;
        for (let i = 0; i < requires.length; i++) {
          const req = requires[i]!;
          const { path, version } = req.mod;
          if (req.indirect && !options.includeIndirect) continue;
          const revision = revisionOf(version);
          if (revision === null || (revision === undefined && !withReleases) || path === module.modulePath) continue;
          // A replaced requirement builds the replacement; its version is a placeholder.
          if (isReplacedRequirement((replaced ??= replacedVersions(module)), path, version)) continue;
          fn(module, req, revision);
        }
      }
    };

    // Pass 1: commits per dependency (pseudo-versions are rare, so this stays small), and whether a
    // release of it is required anywhere when that matters. The uses at a pseudo-version are kept:
    // without flagReleaseMix they are all the uses the findings list.
    const revisions = new Map<string, Map<string, number>>();
    const releases = new Set<string>();
    const pseudoUses = new Map<string, Use[]>();
    eachUse(options.flagReleaseMix, (module, req, revision) => {
      if (revision === undefined) {
        releases.add(req.mod.path);
        return;
      }
      let counts = revisions.get(req.mod.path);
      if (!counts) revisions.set(req.mod.path, (counts = new Map()));
      bump(counts, revision);
      let list = pseudoUses.get(req.mod.path);
      if (!list) pseudoUses.set(req.mod.path, (list = []));
      list.push({ module, req, revision });
    });
    const involvedDeps = new Map<string, 'conflict' | 'releaseMix'>();
    for (const [dependency, counts] of revisions) {
      if (counts.size >= 2) involvedDeps.set(dependency, 'conflict');
      else if (options.flagReleaseMix && releases.has(dependency)) involvedDeps.set(dependency, 'releaseMix');
    }
    if (involvedDeps.size === 0) return;

    // Pass 2 (with releases): every use of the involved dependencies, for the listing each finding carries.
    const uses = new Map<string, Use[]>();
    if (options.flagReleaseMix) {
      eachUse(true, (module, req, revision) => {
        if (!involvedDeps.has(req.mod.path)) return;
        let list = uses.get(req.mod.path);
        if (!list) uses.set(req.mod.path, (list = []));
        list.push({ module, req, revision });
      });
    } else {
      for (const [dependency, list] of pseudoUses) if (involvedDeps.has(dependency)) uses.set(dependency, list);
    }

    for (const [dependency, involved] of uses) {
      // Where no module the check reports on takes part (PR mode, shards), nothing to write.
      if (!involved.some((u) => isReported(repo, u.module))) continue;
      const messageId = involvedDeps.get(dependency)!;
      const commits = revisions.get(dependency)!;
      const versionCounts = new Map<string, number>();
      for (const use of involved) bump(versionCounts, use.req.mod.version);
      const revisionsText = summarize(commits);
      const versions = summarize(versionCounts);
      // Every use, made only as far as a finding's data keeps it.
      const listing = new Listing(involved, (u) => ({
        module: u.module.modulePath,
        dir: u.module.dir,
        file: u.module.goModFile,
        line: requireVersionLine(u.req),
        version: u.req.mod.version,
        revision: u.revision ?? null,
      }));
      for (const use of involved) {
        if (!isReported(repo, use.module)) continue;
        context.report({
          messageId,
          file: use.module.goModFile,
          ...at(requireVersionToken(use.req.syntax)),
          module: use.module.modulePath,
          dependency,
          data: {
            dependency,
            version: use.req.mod.version,
            revision: use.revision ?? '',
            count: commits.size,
            revisions: revisionsText,
            versions,
          },
          extra: { involved: listing },
        });
      }
    }
  },
};

export default rule;
