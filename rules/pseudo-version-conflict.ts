// pseudo-version-conflict: one dependency required at pseudo-versions naming different commits in
// different modules. A pseudo-version is an untagged commit; two modules on two commits of the same
// dependency have no release to meet at, and a build that joins them silently takes the newer one.
import { z } from 'zod';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { isPseudoVersion, isValidVersion, pseudoVersionParts } from '../src/version/index.ts';
import { at, isReplacedRequirement, isReported, plural, replacedVersions, requireVersionToken } from './support/syntax.ts';

const optionsSchema = z.object({
  /** Also report a dependency required at a pseudo-version in one module and at a release in another. */
  flagReleaseMix: z.boolean().default(false),
  /** Also look at `// indirect` requirements. */
  includeIndirect: z.boolean().default(true),
}).strict();
type Options = z.infer<typeof optionsSchema>;

interface Use {
  module: ModuleInfo;
  req: RequireStmt;
  /** Lower-case commit of a pseudo-version; undefined for a release. */
  revision: string | undefined;
}

/** countBy returns `key in N modules` phrases, most used first, for the message. */
function summarize(uses: Use[], keyOf: (use: Use) => string): { text: string; distinct: number } {
  const counts = new Map<string, number>();
  for (const use of uses) {
    const key = keyOf(use);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { text: sorted.map(([key, n]) => `${key} in ${plural(n, 'module')}`).join(', '), distinct: counts.size };
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
    optionsSchema,
  },
  create(context) {
    const { repo, options } = context;
    const byDependency = new Map<string, Use[]>();
    for (const module of repo.modules) {
      if (!module.mod) continue;
      const replaced = replacedVersions(module);
      for (const req of module.mod.require) {
        const { path, version } = req.mod;
        if (req.indirect && !options.includeIndirect) continue;
        if (path === module.modulePath || !isValidVersion(version)) continue;
        // A replaced requirement builds the replacement; its version is a placeholder.
        if (isReplacedRequirement(replaced, path, version)) continue;
        const revision = isPseudoVersion(version) ? pseudoVersionParts(version)?.revision.toLowerCase() : undefined;
        let uses = byDependency.get(path);
        if (!uses) byDependency.set(path, (uses = []));
        uses.push({ module, req, revision });
      }
    }

    for (const [dependency, uses] of byDependency) {
      const pseudo = uses.filter((u) => u.revision !== undefined);
      if (pseudo.length === 0) continue;
      const revisions = summarize(pseudo, (u) => u.revision!);
      const hasRelease = pseudo.length < uses.length;
      let messageId: 'conflict' | 'releaseMix';
      let involved: Use[];
      if (revisions.distinct >= 2) {
        messageId = 'conflict';
        involved = options.flagReleaseMix ? uses : pseudo;
      } else if (options.flagReleaseMix && hasRelease) {
        messageId = 'releaseMix';
        involved = uses;
      } else {
        continue;
      }
      const versions = summarize(involved, (u) => u.req.mod.version).text;
      const listing = involved.map((u) => ({
        module: u.module.modulePath,
        dir: u.module.dir,
        file: u.module.goModFile,
        line: requireVersionToken(u.req.syntax).start.line,
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
            count: revisions.distinct,
            revisions: revisions.text,
            versions,
          },
          extra: { involved: listing },
        });
      }
    }
  },
};

export default rule;
