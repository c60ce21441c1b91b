// banned-module: a requirement (or a replacement target) of a module that anchor.lock bans. A ban
// is the repository's standing decision against a dependency (abandoned, unsafe, licence, a
// replacement in the standard library); it holds for indirect requirements too, since those are
// built and shipped just the same.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, Ban } from '../src/engine/types.ts';
import { canonicalVersion, isValidVersion } from '../src/version/index.ts';
import { at, firstArgToken, reportedModules, replaceTargetToken, requireVersionToken } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also report bans reached only through `// indirect` requirements. */
  includeIndirect: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** PREFIX_SUFFIX marks a ban of a path and everything below it: `ban github.com/evil/...`. */
export const PREFIX_SUFFIX = '/...';

/**
 * BanIndex answers "which ban covers path@version": exact bans by path, prefix bans by prefix,
 * looked up by walking the path's elements upwards, so a check costs the depth of the path.
 */
export class BanIndex {
  private readonly exact = new Map<string, Ban[]>();
  private readonly prefix = new Map<string, Ban[]>();

  constructor(bans: readonly Ban[]) {
    for (const ban of bans) {
      const isPrefix = ban.path.endsWith(PREFIX_SUFFIX);
      const key = isPrefix ? ban.path.slice(0, -PREFIX_SUFFIX.length) : ban.path;
      const map = isPrefix ? this.prefix : this.exact;
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(ban);
    }
  }

  get size(): number {
    return this.exact.size + this.prefix.size;
  }

  /** match returns the ban covering `path` at `version`, the exact ones first. */
  match(path: string, version: string): Ban | undefined {
    const hit = pick(this.exact.get(path), version);
    if (hit || this.prefix.size === 0) return hit;
    for (let p = path; ; ) {
      const found = pick(this.prefix.get(p), version);
      if (found) return found;
      const slash = p.lastIndexOf('/');
      if (slash < 0) return undefined;
      p = p.slice(0, slash);
    }
  }
}

function pick(bans: Ban[] | undefined, version: string): Ban | undefined {
  if (!bans) return undefined;
  const canonical = isValidVersion(version) ? canonicalVersion(version) : version;
  // A ban without a version covers all of them; a versioned ban only that version, by Go's equality.
  return bans.find((ban) => ban.version === undefined || ban.version === version ||
    (isValidVersion(ban.version) && canonicalVersion(ban.version) === canonical));
}

export const rule: Rule<Options> = {
  meta: {
    id: 'banned-module',
    type: 'problem',
    description: 'A requirement of a module that anchor.lock bans.',
    defaultSeverity: 'error',
    messages: {
      banned: '{{dependency}} {{version}} is banned by {{banFile}}:{{banLine}} ({{reason}}); remove the requirement and use an alternative',
      bannedIndirect: '{{dependency}} {{version}} is banned by {{banFile}}:{{banLine}} ({{reason}}) and reaches this module indirectly; ' +
        'find what pulls it in with `go mod why -m {{dependency}}`, then upgrade or drop that dependency',
      bannedReplacement: 'replace {{replaced}} => {{dependency}} {{version}} brings in a module banned by {{banFile}}:{{banLine}} ({{reason}}); ' +
        'remove the replace or point it at an allowed module',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { includeIndirect: true },
  },
  create(context) {
    const { repo, options } = context;
    const anchors = repo.anchors;
    if (!anchors || anchors.bans.length === 0) return;
    const index = new BanIndex(anchors.bans);
    const describe = (ban: Ban) => ({
      ban: ban.version ? `${ban.path}@${ban.version}` : ban.path,
      reason: ban.reason || 'no reason recorded',
      banFile: anchors.file,
      banLine: ban.line,
    });

    for (const module of reportedModules(repo)) {
      if (!module.mod) continue;
      for (const req of module.mod.require) {
        const { path, version } = req.mod;
        if (path === module.modulePath || (req.indirect && !options.includeIndirect)) continue;
        const ban = index.match(path, version);
        if (!ban) continue;
        context.report({
          messageId: req.indirect ? 'bannedIndirect' : 'banned',
          file: module.goModFile,
          ...at(firstArgToken(req.syntax)),
          module: module.modulePath,
          dependency: path,
          data: { dependency: path, version, ...describe(ban) },
          extra: { indirect: req.indirect, banPath: ban.path, banVersion: ban.version ?? null },
        });
      }
      for (const replace of module.mod.replace) {
        const { path, version } = replace.new;
        if (version === '') continue; // a directory is not a module someone can ban
        const ban = index.match(path, version);
        if (!ban) continue;
        context.report({
          messageId: 'bannedReplacement',
          file: module.goModFile,
          ...at(replaceTargetToken(replace.syntax)),
          module: module.modulePath,
          dependency: path,
          data: { dependency: path, version, replaced: replace.old.path, ...describe(ban) },
          extra: { banPath: ban.path, banVersion: ban.version ?? null },
        });
      }
    }
  },
};

export default rule;
