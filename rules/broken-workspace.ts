// broken-workspace: a go.work that the go command refuses, so that every go command run in the
// workspace fails before it builds anything:
//   - a `use` of a directory without a module: `go: cannot load module ./x listed in go.work file`;
//   - one directory used twice: `path ./x appears multiple times in workspace`;
//   - two used modules that declare one module path: `go: module example.com/x appears multiple times in workspace`;
//   - a replace in go.work of a used module at every version: `go: workspace module example.com/x is
//     replaced at all versions in the go.work file`;
//   - a used module whose go line is above go.work's and at 1.21 or later (go.work without a go line
//     counts as go 1.18): `go: module ./x listed in go.work file requires go >= 1.23, but go.work
//     lists go 1.22`;
//   - two used modules that replace one module version differently, with no replace of that path
//     in go.work to settle it: `go: conflicting replacements for example.com/x@v1.2.0`.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, WorkInfo } from '../src/engine/types.ts';
import type { ReplaceStmt, Token } from '../src/gomod/types.ts';
import { compileIgnore } from '../src/engine/ignore.ts';
import { hasSkippedDir } from '../src/io/discover.ts';
import { compareGoVersions, isValidGoVersion } from '../src/version/index.ts';
import { at, firstArgToken, isWorkFileReported, joinDir } from './support/syntax.ts';
import { resolveDir } from '../src/graph/repo-graph.ts';
import { modulesByDir } from '../src/engine/assemble.ts';

/** The go version Go takes for a go.work without a go line (gover.DefaultGoWorkVersion). */
const DEFAULT_GO_WORK_VERSION = '1.18';
/**
 * From this go version on, Go refuses a workspace whose go line is below a used module's
 * (gover.GoStrictVersion): a module on an older go line is built by an older go.work too.
 */
const GO_STRICT_VERSION = '1.21';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** A module the workspace uses, with the `use` line that names it. */
interface Member {
  module: ModuleInfo;
  usePath: string;
  token: Token;
}

/** written is a replace's target as go.mod writes it: a directory, or a module path and version. */
function written(r: ReplaceStmt): string {
  return r.new.version === '' ? r.new.path : `${r.new.path} ${r.new.version}`;
}

/**
 * replacementOf is what a replace stands for in a workspace: the go command makes a relative
 * directory absolute against the module's directory, so `../lib` written in two modules can be two
 * directories and `../lib` and `../../libs/lib` one. Here directories are resolved from the root.
 */
function replacementOf(module: ModuleInfo, r: ReplaceStmt): string {
  return r.new.version === '' ? resolveDir(module.dir, r.new.path) : written(r);
}

export const rule: Rule<Options> = {
  meta: {
    id: 'broken-workspace',
    type: 'problem',
    description: 'A go.work the go command refuses: a use of a directory without a module or used twice, two used modules with one module path, a used module replaced or on a newer go line, conflicting replacements.',
    defaultSeverity: 'error',
    messages: {
      noModule: 'go.work uses {{path}}, but the repository has no module in {{dir}}; every go command in this workspace fails ' +
        '(cannot load module {{path}} listed in go.work file): add the module, or drop the line with `go work edit -dropuse={{path}}`',
      sameDir: 'go.work uses {{path}} a second time (line {{otherLine}}); every go command in this workspace fails (path {{path}} appears multiple times ' +
        'in workspace): drop one of the lines',
      samePath: 'go.work uses {{path}}, whose go.mod declares {{modulePath}}, as does {{otherPath}} (line {{otherLine}}); every go command ' +
        'in this workspace fails (module {{modulePath}} appears multiple times in workspace): use one of them, or give one another module path',
      conflictingReplace: 'go.work uses {{path}}, whose go.mod replaces {{old}} => {{target}} ({{file}}:{{line}}), but {{otherPath}} replaces it => ' +
        '{{otherTarget}} ({{otherFile}}:{{otherLine}}); every go command in this workspace fails (conflicting replacements for {{old}}): ' +
        'make the two replaces agree, or settle it for the workspace with `go work edit -replace={{old}}=TARGET`',
      goBelowModule: 'go.work lists go {{workGo}}, but the module it uses at {{path}} requires go >= {{moduleGo}} ({{file}}:{{line}}); every go command ' +
        'in this workspace fails (module {{path}} listed in go.work file requires go >= {{moduleGo}}): raise the go line of go.work (`go work use` does)',
      goBelowModuleImplicit: 'go.work has no go line, which Go reads as go {{workGo}}, but the module it uses at {{path}} requires go >= {{moduleGo}} ' +
        '({{file}}:{{line}}); every go command in this workspace fails (module {{path}} listed in go.work file requires go >= {{moduleGo}}, but go.work ' +
        'implicitly requires go {{workGo}}): add a go line to go.work (`go work use` does)',
      replacedMember: 'go.work replaces {{old}} at every version, but the workspace uses it ({{path}}); every go command in this workspace fails ' +
        '(workspace module {{old}} is replaced at all versions in the go.work file): remove the replace, or name the version it replaces',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    if (repo.workFiles.length === 0) return;
    const byDir = modulesByDir(repo.modules);
    // A directory modguard does not look into (vendor/, testdata/, hidden ones, `ignore` patterns)
    // may well hold the module: only the go command could tell. So may a go.mod that could not be
    // read, which parse-error reports already.
    const isIgnored = compileIgnore(repo.config.ignore);
    const unreadable = new Set(repo.loadErrors.map((e) => e.file));
    const unknowable = (goMod: string) => hasSkippedDir(goMod) || isIgnored(goMod) || unreadable.has(goMod);

    const members = (work: WorkInfo): Member[] => {
      const out: Member[] = [];
      // The first use of each module path, for the message of a later one.
      const first = new Map<string, { path: string; line: number }>();
      // Each directory used, as the go command compares them (joined with the go.work's directory).
      const seenDirs = new Map<string, number>();
      for (const use of work.work!.use) {
        const token = firstArgToken(use.syntax);
        const key = resolveDir(work.dir, use.path);
        const again = seenDirs.get(key);
        if (again !== undefined) {
          context.report({ messageId: 'sameDir', file: work.file, ...at(token), data: { path: use.path, otherLine: again } });
          continue;
        }
        seenDirs.set(key, token.start.line);
        // An absolute path, or one above the root, is outside what modguard reads.
        const dir = joinDir(work.dir, use.path);
        if (dir === undefined) continue;
        const module = byDir.get(dir);
        if (!module) {
          const goMod = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
          if (unknowable(goMod)) continue;
          context.report({ messageId: 'noModule', file: work.file, ...at(token), data: { path: use.path, dir: dir === '.' ? 'the root' : dir } });
          continue;
        }
        out.push({ module, usePath: use.path, token });
        if (!module.modulePath) continue;
        const other = first.get(module.modulePath);
        if (!other) {
          first.set(module.modulePath, { path: use.path, line: token.start.line });
          continue;
        }
        context.report({
          messageId: 'samePath', file: work.file, ...at(token), module: module.modulePath,
          data: { path: use.path, modulePath: module.modulePath, otherPath: other.path, otherLine: other.line },
        });
      }
      return out;
    };

    for (const work of repo.workFiles) {
      if (!work.work || !isWorkFileReported(repo, work)) continue;
      const used = members(work);
      // The go line of go.work must be at least every used module's (Go's version order: 1.22 < 1.22rc1 < 1.22.0),
      // for a module at go 1.21 or later: Go refuses the workspace only then. A go.work without a go line
      // is read as go 1.18.
      const listed = work.work.go?.version;
      const workGo = listed ?? DEFAULT_GO_WORK_VERSION;
      if (isValidGoVersion(workGo)) {
        for (const m of used) {
          const go = m.module.mod?.go;
          if (!go || !isValidGoVersion(go.version) || compareGoVersions(go.version, workGo) <= 0) continue;
          if (compareGoVersions(go.version, GO_STRICT_VERSION) < 0) continue;
          context.report({
            messageId: listed === undefined ? 'goBelowModuleImplicit' : 'goBelowModule', file: work.file, ...at(m.token), module: m.module.modulePath || undefined,
            data: { workGo, path: m.usePath, moduleGo: go.version, file: m.module.goModFile, line: go.syntax.start.line },
          });
        }
      }
      const usedPaths = new Map<string, Member>();
      for (const m of used) if (m.module.modulePath && !usedPaths.has(m.module.modulePath)) usedPaths.set(m.module.modulePath, m);
      for (const r of work.work.replace) {
        const member = r.old.version === '' ? usedPaths.get(r.old.path) : undefined;
        if (!member) continue;
        context.report({
          messageId: 'replacedMember', file: work.file, ...at(firstArgToken(r.syntax)), module: r.old.path, dependency: r.old.path,
          data: { old: r.old.path, path: member.usePath },
        });
      }
      // As the go command does: the replaces of the modules in `use` order, keyed by what they
      // replace (a path at one version, or at every version), skipping the paths go.work replaces.
      const settled = new Set(work.work.replace.map((r) => r.old.path));
      const replacements = new Map<string, { member: Member; r: ReplaceStmt; target: string }>();
      for (const member of used) {
        const own = new Set<string>();
        for (const r of member.module.mod?.replace ?? []) {
          if (settled.has(r.old.path)) continue;
          const key = `${r.old.path}@${r.old.version}`;
          const target = replacementOf(member.module, r);
          const prev = replacements.get(key);
          // A module may replace one version twice (parse-error's business); it never conflicts with itself.
          if (prev && !own.has(key) && prev.target !== target) {
            const old = r.old.version ? `${r.old.path}@${r.old.version}` : r.old.path;
            context.report({
              messageId: 'conflictingReplace', file: work.file, ...at(member.token), module: member.module.modulePath || undefined,
              dependency: r.old.path,
              data: {
                path: member.usePath, old, target: written(r), file: member.module.goModFile, line: r.syntax.start.line,
                otherPath: prev.member.usePath, otherTarget: written(prev.r), otherFile: prev.member.module.goModFile,
                otherLine: prev.r.syntax.start.line,
              },
              extra: { resolved: target, otherResolved: prev.target },
            });
          }
          own.add(key);
          if (!prev) replacements.set(key, { member, r, target });
        }
      }
    }
  },
};

export default rule;
