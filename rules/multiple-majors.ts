// multiple-majors: one module family (a path without its major-version suffix) required at several
// major versions across the repository. Each major is a different API with its own state (globals,
// registries, metrics), so two majors in one repository double the upgrade work and can disagree
// at run time when both end up in one binary.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { ModuleVersion, RequireStmt } from '../src/gomod/types.ts';
import { moduleFamily, parseSemver, splitPathVersion } from '../src/version/index.ts';
import { TALLY_INDIRECT, TALLY_SELF } from '../src/engine/tally.ts';
import { at, firstArgToken, reportedModules, plural } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also count `// indirect` requirements (majors pulled in by dependencies). */
  includeIndirect: z.boolean().default(false),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** A member of a family: one module path (an unsuffixed one with its +incompatible majors). */
interface Member {
  key: string;
  path: string;
  major: number;
  /** True when the major is in the path (`/v2`, `.v2`): the module-aware form. */
  suffixed: boolean;
  /** How many modules use the member (modules are visited one at a time, so `last` tells a repeat). */
  modules: number;
  last: ModuleInfo | undefined;
}

function majorNumber(major: string): number {
  const m = /(\d+)$/.exec(major);
  return m ? Number(m[1]) : 0;
}

/** The family of a module path, and the major its path names (undefined without a suffix). */
interface PathFamily { family: string; pathMajor: number | undefined }

function pathFamily(path: string): PathFamily {
  const split = splitPathVersion(path);
  return { family: moduleFamily(path, split), pathMajor: split.ok && split.pathMajor ? majorNumber(split.pathMajor) : undefined };
}

/**
 * familyMember works out the family and major of a requirement (`of`, the family of its path, and
 * `parsed`, its version parsed, when the caller has them).
 */
export function familyMember(
  path: string, version: string, of: PathFamily = pathFamily(path), parsed = parseSemver(version),
): { family: string; key: string; major: number; suffixed: boolean } {
  const family = of.family;
  if (of.pathMajor !== undefined) return { family, key: path, major: of.pathMajor, suffixed: true };
  // Without a suffix every version is of one module path (v0, v1 and the +incompatible majors): a
  // build holds one of them, as Go reads +incompatible versions as later versions of the same module.
  // Its versions differing is version-divergence's.
  const major = parsed ? Number(parsed.major) : 0;
  return { family, key: path, major: parsed?.build === '+incompatible' ? major : Math.min(1, major), suffixed: false };
}

type MemberInfo = ReturnType<typeof familyMember>;

/**
 * memberCache memoizes familyMember by path, then version: the same few thousand requirements
 * repeat across a thousand modules. undefined marks a version Go does not accept. A path's family
 * is worked out once, a version parsed once.
 */
function memberCache(): (path: string, version: string) => MemberInfo | undefined {
  const byPath = new Map<string, { of: PathFamily; versions: Map<string, MemberInfo | undefined> }>();
  return (path, version) => {
    let entry = byPath.get(path);
    if (!entry) byPath.set(path, (entry = { of: pathFamily(path), versions: new Map() }));
    const versions = entry.versions;
    let info = versions.get(version);
    if (info === undefined && !versions.has(version)) {
      // isValidVersion: a version Go accepts has no build metadata but `+incompatible`.
      const parsed = parseSemver(version);
      info = parsed && (parsed.build === '' || parsed.build === '+incompatible') ? familyMember(path, version, entry.of, parsed) : undefined;
      versions.set(version, info);
    }
    return info;
  };
}

/** isIncompatible tells the member of an unsuffixed path used at a +incompatible major (v2 or above). */
function isIncompatible(member: Member): boolean {
  return !member.suffixed && member.major >= 2;
}

function label(member: Member): string {
  return isIncompatible(member) ? `${member.path} v${member.major}+incompatible` : `${member.path} (v${member.major})`;
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
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { includeIndirect: false },
  },
  create(context) {
    const { repo, options } = context;
    const memberOf = memberCache();
    const counts = (module: ModuleInfo, req: RequireStmt) => !(req.indirect && !options.includeIndirect) && req.mod.path !== module.modulePath;

    // Pass 1: the members of each family and the modules using each (no object per requirement).
    const families = new Map<string, Map<string, Member>>();
    // The member and major of each path@version value (parses share one value per path@version):
    // one look-up per requirement instead of four.
    const uses = new Map<ModuleVersion, { member: Member; major: number } | null>();
    const useOf = (path: string, version: string): { member: Member; major: number } | null => {
      const info = memberOf(path, version);
      if (!info) return null;
      const { family, key, major, suffixed } = info;
      let members = families.get(family);
      if (!members) families.set(family, (members = new Map()));
      let member = members.get(key);
      if (!member) members.set(key, (member = { key, path, major, suffixed, modules: 0, last: undefined }));
      return { member, major };
    };
    // Modules whose requirements a tally counts (PR mode, shards) are counted from it, after.
    const tally = repo.requireTally;
    for (const module of repo.modules) {
      if (!module.mod || tally?.covers(module)) continue;
      for (const req of module.mod.require) {
        if (!counts(module, req)) continue;
        let use = uses.get(req.mod);
        if (use === undefined) uses.set(req.mod, (use = useOf(req.mod.path, req.mod.version)));
        if (use === null) continue;
        const member = use.member;
        // An unsuffixed path at v0 in one module and v1 in another is one member; show the higher.
        if (use.major > member.major) member.major = use.major;
        if (member.last !== module) {
          member.last = module;
          member.modules++;
        }
      }
    }

    // A tallied module requires each path once (isTallied), so each of its members once: a count of
    // requirements is a count of modules.
    tally?.forEach((path, version, kind, n) => {
      if (((kind & TALLY_INDIRECT) !== 0 && !options.includeIndirect) || (kind & TALLY_SELF) !== 0) return;
      const use = useOf(path, version);
      if (use === null) return;
      if (use.major > use.member.major) use.member.major = use.major;
      use.member.modules += n;
    });

    interface Older { member: Member; family: string; count: number; majors: string; latest: string; extra: Record<string, unknown> }
    const older = new Map<string, Older>();
    const olderPaths = new Set<string>();
    for (const [family, members] of families) {
      if (members.size < 2) continue;
      // Highest major first; for the same major the module-aware `/vN` path wins over +incompatible.
      const ranked = [...members.values()].sort((a, b) => b.major - a.major || Number(b.suffixed) - Number(a.suffixed) || (a.key < b.key ? -1 : 1));
      const latest = ranked[0]!;
      const majors = ranked.map((m) => `${label(m)} in ${plural(m.modules, 'module')}`).join(', ');
      const extra = { family, members: ranked.map((m) => ({ path: m.path, major: m.major, incompatible: isIncompatible(m), modules: m.modules })) };
      const latestName = isIncompatible(latest) ? `${latest.path} v${latest.major}+incompatible` : latest.path;
      for (const member of ranked.slice(1)) {
        older.set(member.key, { member, family, count: members.size, majors, latest: latestName, extra });
        olderPaths.add(member.path);
      }
    }
    if (older.size === 0) return;

    // Pass 2: report each requirement of an older member.
    for (const module of reportedModules(repo)) {
      if (!module.mod) continue;
      for (const req of module.mod.require) {
        if (!olderPaths.has(req.mod.path) || !counts(module, req)) continue;
        const info = memberOf(req.mod.path, req.mod.version);
        const found = info && older.get(info.key);
        if (!found) continue;
        context.report({
          messageId: 'olderMajor',
          file: module.goModFile,
          ...at(firstArgToken(req.syntax)),
          module: module.modulePath,
          dependency: req.mod.path,
          data: {
            dependency: req.mod.path,
            // This requirement's major: an unsuffixed path's member spans v0, v1 and its +incompatible majors.
            major: info.major,
            family: found.family,
            count: found.count,
            majors: found.majors,
            latest: found.latest,
          },
          extra: found.extra,
        });
      }
    }
  },
};

export default rule;
