// multiple-majors: one module family (a path without its major-version suffix) required at several
// major versions across the repository. Each major is a different API with its own state (globals,
// registries, metrics), so two majors in one repository double the upgrade work and can disagree
// at run time when both end up in one binary.
import { z } from 'zod';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { isIncompatible, isValidVersion, splitPathVersion, versionMajor } from '../src/version/index.ts';
import { at, firstArgToken, isReported, plural } from './support/syntax.ts';

const optionsSchema = z.object({
  /** Also count `// indirect` requirements (majors pulled in by dependencies). */
  includeIndirect: z.boolean().default(false),
}).strict();
type Options = z.infer<typeof optionsSchema>;

/** A member of a family: one module path, or one `+incompatible` major of an unsuffixed path. */
interface Member {
  key: string;
  path: string;
  major: number;
  /** True when the major is in the path (`/v2`, `.v2`): the module-aware form. */
  suffixed: boolean;
  modules: Set<ModuleInfo>;
  uses: Array<{ module: ModuleInfo; req: RequireStmt }>;
}

function majorNumber(major: string): number {
  const m = /(\d+)$/.exec(major);
  return m ? Number(m[1]) : 0;
}

/** familyMember works out the family and major of a requirement. */
export function familyMember(path: string, version: string): { family: string; key: string; major: number; suffixed: boolean } {
  const split = splitPathVersion(path);
  const family = split.ok ? split.prefix : path;
  if (split.ok && split.pathMajor) return { family, key: path, major: majorNumber(split.pathMajor), suffixed: true };
  // Without a suffix v0 and v1 share the path (one module); each +incompatible major is its own API.
  if (isIncompatible(version)) {
    const major = majorNumber(versionMajor(version));
    return { family, key: `${path}@v${major}+incompatible`, major, suffixed: false };
  }
  return { family, key: path, major: Math.min(1, majorNumber(versionMajor(version))), suffixed: false };
}

function label(member: Member): string {
  return member.key === member.path ? `${member.path} (v${member.major})` : `${member.path} v${member.major}+incompatible`;
}

export const rule: Rule<Options> = {
  meta: {
    id: 'multiple-majors',
    type: 'suggestion',
    description: 'The same module family required at several major versions across the repository.',
    defaultSeverity: 'warning',
    messages: {
      olderMajor: '{{dependency}} is major v{{major}} of {{family}}, which the repository uses at {{count}} majors ({{majors}}); ' +
        'migrate this module to {{latest}} so the repository builds against one API',
    },
    optionsSchema,
  },
  create(context) {
    const { repo, options } = context;
    const families = new Map<string, Map<string, Member>>();
    for (const module of repo.modules) {
      if (!module.mod) continue;
      for (const req of module.mod.require) {
        const { path, version } = req.mod;
        if (req.indirect && !options.includeIndirect) continue;
        if (path === module.modulePath || !isValidVersion(version)) continue;
        const { family, key, major, suffixed } = familyMember(path, version);
        let members = families.get(family);
        if (!members) families.set(family, (members = new Map()));
        let member = members.get(key);
        if (!member) members.set(key, (member = { key, path, major, suffixed, modules: new Set(), uses: [] }));
        // An unsuffixed path at v0 in one module and v1 in another is one member; show the higher.
        member.major = Math.max(member.major, major);
        member.modules.add(module);
        member.uses.push({ module, req });
      }
    }

    for (const [family, members] of families) {
      if (members.size < 2) continue;
      // Highest major first; for the same major the module-aware `/vN` path wins over +incompatible.
      const ranked = [...members.values()].sort((a, b) => b.major - a.major || Number(b.suffixed) - Number(a.suffixed) || (a.key < b.key ? -1 : 1));
      const latest = ranked[0]!;
      const majors = ranked.map((m) => `${label(m)} in ${plural(m.modules.size, 'module')}`).join(', ');
      const extra = { family, members: ranked.map((m) => ({ path: m.path, major: m.major, incompatible: m.key !== m.path, modules: m.modules.size })) };
      for (const member of ranked.slice(1)) {
        for (const { module, req } of member.uses) {
          if (!isReported(repo, module)) continue;
          context.report({
            messageId: 'olderMajor',
            file: module.goModFile,
            ...at(firstArgToken(req.syntax)),
            module: module.modulePath,
            dependency: req.mod.path,
            data: {
              dependency: req.mod.path,
              major: member.major,
              family,
              count: members.size,
              majors,
              latest: latest.key === latest.path ? latest.path : `${latest.path} v${latest.major}+incompatible`,
            },
            extra,
          });
        }
      }
    }
  },
};

export default rule;
