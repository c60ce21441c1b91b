// workspace-use: a go.work `use` directive that names no module of the repository, or two used
// directories whose go.mod files declare one module path. Either way every go command run in the
// workspace fails before it builds anything: `go: cannot load module ./x listed in go.work file`,
// `go: module example.com/x appears multiple times in workspace`.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import { compileIgnore } from '../src/engine/ignore.ts';
import { hasSkippedDir } from '../src/io/discover.ts';
import { at, firstArgToken, isWorkFileReported, joinDir } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'workspace-use',
    type: 'problem',
    description: 'A go.work use directive naming a directory without a module of the repository, or two used modules with one module path.',
    defaultSeverity: 'error',
    messages: {
      noModule: 'go.work uses {{path}}, but the repository has no module in {{dir}}; every go command in this workspace fails ' +
        '(cannot load module {{path}} listed in go.work file): add the module, or drop the line with `go work edit -dropuse={{path}}`',
      samePath: 'go.work uses {{path}}, whose go.mod declares {{modulePath}}, as does {{otherPath}} (line {{otherLine}}); every go command ' +
        'in this workspace fails (module {{modulePath}} appears multiple times in workspace): use one of them, or give one another module path',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    if (repo.workFiles.length === 0) return;
    const byDir = new Map<string, ModuleInfo>();
    for (const m of repo.modules) byDir.set(m.dir, m);
    // A directory modguard does not look into (vendor/, testdata/, hidden ones, `ignore` patterns)
    // may well hold the module: only the go command could tell. So may a go.mod that could not be
    // read, which parse-error reports already.
    const isIgnored = compileIgnore(repo.config.ignore);
    const unreadable = new Set(repo.loadErrors.map((e) => e.file));
    const unknowable = (goMod: string) => hasSkippedDir(goMod) || isIgnored(goMod) || unreadable.has(goMod);

    for (const work of repo.workFiles) {
      if (!work.work || !isWorkFileReported(repo, work)) continue;
      // The first use of each module path, for the message of a later one.
      const first = new Map<string, { path: string; line: number }>();
      const seenDirs = new Set<string>();
      for (const use of work.work.use) {
        // An absolute path, or one above the root, is outside what modguard reads.
        const dir = joinDir(work.dir, use.path);
        if (dir === undefined) continue;
        const token = firstArgToken(use.syntax);
        const module = byDir.get(dir);
        if (!module) {
          const goMod = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
          if (unknowable(goMod)) continue;
          context.report({ messageId: 'noModule', file: work.file, ...at(token), data: { path: use.path, dir: dir === '.' ? 'the root' : dir } });
          continue;
        }
        // The same directory twice is one module of the workspace.
        if (seenDirs.has(dir) || !module.modulePath) continue;
        seenDirs.add(dir);
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
    }
  },
};

export default rule;
