// major-version-jump: a requirement moved to a higher major version than the git base had, without
// an API-compatibility acknowledgement. A new major is a new API: callers compile against it only
// after someone has read its changelog, so the move must be deliberate and visible in review.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, Line } from '../src/engine/types.ts';
import { moduleFamily, parseSemver, splitPathVersion } from '../src/version/index.ts';
import { firstArgToken } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also flag v0 → v1 (Go treats both as the same path, but v1 is the first stable API). */
  includeV0ToV1: z.boolean().default(false),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** ACK_MARK is the comment word that acknowledges a major move on the require line. */
export const ACK_MARK = 'modguard:major';

/** familyOf returns the module path without its major suffix and the major number a requirement uses. */
export function familyOf(path: string, version: string): { family: string; major: number } {
  const split = splitPathVersion(path);
  const { pathMajor, ok } = split;
  const family = moduleFamily(path, split);
  // `/v2` or `.v2` in the path names the major; otherwise the version does (v0, v1 or +incompatible
  // vN): its major number, or the digits after its `v` when it is not a valid version.
  const fromPath = /(\d+)$/.exec(pathMajor ?? '');
  if (ok && pathMajor && fromPath) return { family, major: Number(fromPath[1]) };
  const parsed = parseSemver(version);
  if (parsed) return { family, major: Number(parsed.major) };
  const m = /^v(\d+)/.exec(version);
  return { family, major: m ? Number(m[1]) : 0 };
}

/** acknowledgement returns the reason of a `// modguard:major <reason>` on or just above the line. */
export function acknowledgement(line: Line): string | undefined {
  const comments = [...line.comments.suffix, ...line.comments.before.slice(-1)];
  for (const c of comments) {
    const text = c.token.replace(/^\/\/\s*/, '');
    const at = text.indexOf(ACK_MARK);
    if (at < 0) continue;
    const reason = text.slice(at + ACK_MARK.length).replace(/^[:\s]+/, '').trim();
    if (reason) return reason;
  }
  return undefined;
}

export const rule: Rule<Options> = {
  meta: {
    id: 'major-version-jump',
    type: 'problem',
    description: 'A requirement moved to a higher major version than on the git base without an API-compatibility acknowledgement.',
    defaultSeverity: 'error',
    needsBase: true,
    messages: {
      jump: '{{dependency}} moved from {{fromVersion}} (major v{{fromMajor}}) to {{toVersion}} (major v{{toMajor}}) since the base; ' +
        'a new major is a new API: acknowledge it with `// modguard:major <reason>` on the require line, or anchor {{path}} in anchor.lock',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { includeV0ToV1: false },
  },
  create(context) {
    const { repo, options } = context;
    const base = repo.base;
    if (!base) return;
    const baseByDir = new Map<string, ModuleInfo>();
    for (const m of base.modules) baseByDir.set(m.dir, m);
    const floor = options.includeV0ToV1 ? 0 : 1;

    for (const mod of repo.modules) {
      if (!mod.mod || (repo.focus && !repo.focus.has(mod.dir))) continue;
      const before = baseByDir.get(mod.dir)?.mod;
      if (!before) continue;
      // The highest major each family had at the base.
      const baseMajors = new Map<string, { major: number; version: string; path: string }>();
      for (const r of before.require) {
        const { family, major } = familyOf(r.mod.path, r.mod.version);
        const seen = baseMajors.get(family);
        if (!seen || major > seen.major) baseMajors.set(family, { major, version: r.mod.version, path: r.mod.path });
      }
      for (const r of mod.mod.require) {
        const { family, major } = familyOf(r.mod.path, r.mod.version);
        const was = baseMajors.get(family);
        if (!was || Math.max(major, floor) <= Math.max(was.major, floor)) continue;
        if (acknowledgement(r.syntax)) continue;
        const anchor = repo.anchors?.anchors.get(r.mod.path);
        if (anchor && familyOf(anchor.path, anchor.version).major === major) continue;
        const token = firstArgToken(r.syntax);
        context.report({
          messageId: 'jump',
          file: mod.goModFile,
          line: token.start.line,
          column: token.start.column,
          module: mod.modulePath,
          dependency: r.mod.path,
          data: {
            dependency: r.mod.path,
            path: r.mod.path,
            fromVersion: `${was.path}@${was.version}`,
            toVersion: `${r.mod.path}@${r.mod.version}`,
            fromMajor: was.major,
            toMajor: major,
          },
        });
      }
    }
  },
};

export default rule;
