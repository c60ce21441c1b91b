// replace-directive: a replace that anchor.lock does not allow. A replace silently swaps the code a
// module builds with, so every one outside the normal monorepo pattern (a sibling module replaced
// by its directory) must be a written decision: an `allow-replace` line in anchor.lock.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, AllowReplace } from '../src/engine/types.ts';
import type { ReplaceStmt } from '../src/gomod/types.ts';
import { isDirectoryPath } from '../src/gomod/index.ts';
import { canonicalVersion, isValidVersion } from '../src/version/index.ts';
import { at, firstArgToken, reportedModules, isWorkFileReported, joinDir, replaceTargetToken } from './support/syntax.ts';
import { DirResolver } from '../src/graph/repo-graph.ts';
import { modulesByDir } from '../src/engine/assemble.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Allow replacing a module of this repository by its directory (`replace example.com/lib => ../lib`). */
  allowSiblings: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  return isValidVersion(a) && isValidVersion(b) && canonicalVersion(a) === canonicalVersion(b);
}

/**
 * isAllowed tells whether an allow-replace entry permits this replacement. Directory targets are
 * compared as normalized paths from the root (anchor.lock sits there); `dir` is the directory
 * the replace is written in.
 */
function isAllowed(allow: AllowReplace, replace: ReplaceStmt, dir: string): boolean {
  const target = allow.target;
  if (!target) return true;
  if (isDirectoryPath(target.path)) {
    if (replace.new.version !== '') return false;
    const allowed = joinDir('.', target.path) ?? target.path;
    const actual = joinDir(dir, replace.new.path) ?? replace.new.path;
    return allowed === actual;
  }
  if (replace.new.version === '' || target.path !== replace.new.path) return false;
  // `allow-replace a => b` without a version permits any version of b.
  return target.version === '' || sameVersion(target.version, replace.new.version);
}

function describe(mv: { path: string; version: string }, sep: string): string {
  return mv.version ? `${mv.path}${sep}${mv.version}` : mv.path;
}

/** messageData is the data of a report about a replace (made only for a report: nearly every replace of a monorepo is an allowed sibling one). */
function messageData(replace: ReplaceStmt, resolved: string | undefined) {
  return {
    old: describe(replace.old, '@'),
    oldPath: replace.old.path,
    target: describe(replace.new, ' '),
    resolved: resolved ?? replace.new.path,
    allowTarget: resolved === undefined ? replace.new.path : resolved === '.' ? './' : `./${resolved}`,
  };
}

export const rule: Rule<Options> = {
  meta: {
    id: 'replace-directive',
    type: 'problem',
    description: 'A replace directive that anchor.lock does not allow (sibling modules replaced by their directory are allowed by default).',
    defaultSeverity: 'error',
    fixable: true,
    fixOnlyWhenSelected: true,
    messages: {
      notAllowed: 'replace {{old}} => {{target}} is not allowed by anchor.lock; remove it and require a released version, ' +
        'or record the decision in anchor.lock with `allow-replace {{oldPath}} => {{target}}` and a comment saying why',
      outsideRoot: 'replace {{old}} => {{target}} points outside the repository ({{resolved}}); CI and other checkouts do not have that directory: ' +
        'move the code into the repository or require a published version',
      unknownDirectory: 'replace {{old}} => {{target}}: no module of this repository is at {{resolved}}; point it at the directory of {{oldPath}}, ' +
        'or record the decision in anchor.lock with `allow-replace {{oldPath}} => {{allowTarget}}`',
      siblingPathMismatch: 'replace {{old}} => {{target}}: {{resolved}}/go.mod declares module {{declared}}, not {{oldPath}}, so Go rejects this replacement; ' +
        'point it at the directory of {{oldPath}}',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { allowSiblings: true },
  },
  create(context) {
    const { repo, options } = context;
    const allowByPath = new Map<string, AllowReplace[]>();
    for (const allow of repo.anchors?.allowReplace ?? []) {
      let list = allowByPath.get(allow.path);
      if (!list) allowByPath.set(allow.path, (list = []));
      list.push(allow);
    }
    const moduleByDir = modulesByDir(repo.modules);

    const resolver = new DirResolver();
    const check = (replace: ReplaceStmt, dir: string, file: string, module: string | undefined) => {
      const isDir = replace.new.version === '';
      // Nearly every replace of a monorepo points at the sibling that declares the replaced path:
      // confirmed first, when anchor.lock says nothing about that path.
      if (isDir && options.allowSiblings && !allowByPath.has(replace.old.path)) {
        const sibling = repo.modulesByPath.get(replace.old.path);
        if (sibling?.modulePath === replace.old.path && resolver.resolve(dir, replace.new.path) === sibling.dir) return;
      }
      const resolved = isDir ? joinDir(dir, replace.new.path) : undefined;
      const dependency = replace.old.path;
      if (isDir && resolved === undefined) {
        // Outside the root whatever anchor.lock says: the build would depend on the machine.
        context.report({ file, module, dependency, messageId: 'outsideRoot', ...at(replaceTargetToken(replace.syntax)), data: messageData(replace, resolved) });
        return;
      }
      const allows = allowByPath.get(replace.old.path);
      if (allows?.some((allow) => isAllowed(allow, replace, dir))) return;
      // anchor.lock lines about this module are the whole policy for it; the sibling default only
      // speaks for modules anchor.lock does not mention.
      if (isDir && options.allowSiblings && !allows) {
        const sibling = moduleByDir.get(resolved!);
        if (sibling?.modulePath === replace.old.path) return;
        if (sibling?.modulePath) {
          context.report({ file, module, dependency, messageId: 'siblingPathMismatch', ...at(replaceTargetToken(replace.syntax)), data: { ...messageData(replace, resolved), declared: sibling.modulePath } });
        } else {
          context.report({ file, module, dependency, messageId: 'unknownDirectory', ...at(replaceTargetToken(replace.syntax)), data: messageData(replace, resolved) });
        }
        return;
      }
      context.report({ file, module, dependency, messageId: 'notAllowed', ...at(firstArgToken(replace.syntax)), data: messageData(replace, resolved) });
    };

    for (const module of reportedModules(repo)) {
      if (!module.mod) continue;
      for (const replace of module.mod.replace) check(replace, module.dir, module.goModFile, module.modulePath || undefined);
    }
    for (const work of repo.workFiles) {
      if (!work.work || !isWorkFileReported(repo, work)) continue;
      for (const replace of work.work.replace) check(replace, work.dir, work.file, undefined);
    }
  },
};

export default rule;
