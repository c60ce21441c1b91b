// parse-error: a go.mod, go.sum, go.work, anchor.lock or module graph file that cannot be read or
// parsed. The loader never stops on a bad file; it records the problem and this rule turns each one
// into a finding at its line, so one broken module is a finding rather than a failed run.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ParseError, ModuleInfo } from '../src/engine/types.ts';
import { reportedModules, isWorkFileReported } from './support/syntax.ts';
import { modulesByDir } from '../src/engine/assemble.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

/** fileKind names the kind of a file from its name, for the message. */
/** What an error in each kind of file means for the user, said after the error. */
const CONSEQUENCE: Record<string, string> = {
  'go.mod': 'Go rejects this file too, so builds of this module fail',
  'go.sum': 'Go rejects this file too, so builds of this module fail',
  'go.work': 'Go rejects this file too, so builds in this workspace fail',
  'go.work.sum': 'Go rejects this file too, so builds in this workspace fail',
  'anchor.lock': 'the other entries of anchor.lock still apply; this one is ignored until it is fixed',
  'anchor.lock syntax': 'until anchor.lock parses, none of it applies: no anchor, ban or allowed replacement is checked',
  'module graph': 'rules that read the module graph skip this line; capture the file again with `go mod graph`',
  configuration: 'fix the configuration file',
};

function fileKind(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base === 'go.mod' || base === 'go.sum' || base === 'go.work' || base === 'anchor.lock' || base === 'go.work.sum') return base;
  return base.endsWith('.json') ? 'configuration' : 'module graph';
}

export const rule: Rule<Options> = {
  meta: {
    id: 'parse-error',
    type: 'problem',
    description: 'A go.mod, go.sum, go.work, anchor.lock or module graph file that cannot be read or parsed.',
    defaultSeverity: 'error',
    messages: {
      invalid: '{{kind}} does not parse: {{detail}}; correct this line ({{consequence}})',
      tooLarge: '{{kind}} is not parsed: {{detail}}, more than a hand-kept or go-written file has; find what wrote it and restore the file ({{consequence}})',
      unreadable: 'cannot read {{file}}: {{detail}}; check that the file exists and is readable, or add its directory to `ignore` in modguard.json',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    const seen = new Set<string>();
    const emit = (error: ParseError, module: ModuleInfo | undefined, messageId: 'invalid' | 'unreadable', kind = fileKind(error.file)) => {
      const key = `${error.file}\0${error.line}\0${error.column}\0${error.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      context.report({
        messageId: error.tooLarge ? 'tooLarge' : messageId,
        file: error.file,
        line: Math.max(1, error.line),
        column: Math.max(1, error.column),
        module: module?.modulePath || undefined,
        data: {
          kind, file: error.file, detail: error.message,
          consequence: (kind === 'anchor.lock' && repo.anchors?.unparsed ? CONSEQUENCE['anchor.lock syntax'] : CONSEQUENCE[kind]) ?? CONSEQUENCE['go.mod']!,
        },
      });
    };

    const moduleByDir = modulesByDir(repo.modules);

    for (const error of repo.loadErrors) {
      // A file of a module outside the focus is that module's business, everything else is global.
      const slash = error.file.lastIndexOf('/');
      const dir = slash < 0 ? '.' : error.file.slice(0, slash);
      const module = moduleByDir.get(dir);
      if (repo.focus && /(^|\/)go\.(mod|sum)$/.test(error.file) && !repo.focus.has(dir)) continue;
      emit(error, module, 'unreadable');
    }
    for (const module of reportedModules(repo)) {
      for (const error of module.errors) emit(error, module, 'invalid');
      for (const error of module.sum?.errors ?? []) emit(error, module, 'invalid');
      for (const error of module.graph?.errors ?? []) emit(error, module, 'invalid', 'module graph');
    }
    for (const work of repo.workFiles) {
      if (!isWorkFileReported(repo, work)) continue;
      for (const error of work.errors) emit(error, undefined, 'invalid');
      for (const error of work.sum?.errors ?? []) emit(error, undefined, 'invalid');
    }
    // anchor.lock governs every module, so its errors are reported whatever the focus.
    for (const error of repo.anchors?.errors ?? []) emit(error, undefined, 'invalid', 'anchor.lock');
  },
};

export default rule;
