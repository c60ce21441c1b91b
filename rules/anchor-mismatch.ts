// anchor-mismatch: a module requires an anchored dependency at a version other than the pin in
// anchor.lock. Anchors are the repository's decision about shared dependencies; a module that
// drifts from one builds and ships with code no one else in the repository tested against.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule } from '../src/engine/types.ts';
import { canonicalVersion, compareVersions, isValidVersion } from '../src/version/index.ts';
import { at, reportedModules, memoize, requireVersionToken } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /** Also check `// indirect` requirements: they are part of the build list just the same. */
  includeIndirect: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'anchor-mismatch',
    type: 'problem',
    description: 'A module requires an anchored dependency at a version other than the pin in anchor.lock.',
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      mismatch: '{{dependency}} is required at {{actual}}, {{direction}} the anchored {{pin}} ({{anchorFile}}:{{anchorLine}}); ' +
        'require {{pin}} instead (`modguard fix` rewrites the line), or change the anchor if the whole repository should move',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { includeIndirect: true },
  },
  create(context) {
    const { repo, options } = context;
    const anchors = repo.anchors;
    if (!anchors || anchors.anchors.size === 0) return;
    // Canonical form of each pin, computed once: `v1.2` and `v1.2.0` are the same version to Go.
    const pins = new Map<string, string>();
    for (const [path, anchor] of anchors.anchors) {
      if (isValidVersion(anchor.version)) pins.set(path, canonicalVersion(anchor.version));
    }

    const canonical = memoize(canonicalVersion);
    for (const module of reportedModules(repo)) {
      if (!module.mod) continue;
      for (const req of module.mod.require) {
        const pin = pins.get(req.mod.path);
        if (pin === undefined) continue;
        // The anchored module itself may be part of the repository; its own go.mod is not a consumer.
        if (req.mod.path === module.modulePath) continue;
        if (req.indirect && !options.includeIndirect) continue;
        const actual = canonical(req.mod.version);
        if (actual === '' || actual === pin) continue; // '' is an invalid version: parse-error reports it
        const anchor = anchors.anchors.get(req.mod.path)!;
        context.report({
          messageId: 'mismatch',
          file: module.goModFile,
          ...at(requireVersionToken(req.syntax)),
          module: module.modulePath,
          dependency: req.mod.path,
          data: {
            dependency: req.mod.path,
            actual: req.mod.version,
            pin: anchor.version,
            direction: compareVersions(actual, pin) > 0 ? 'above' : 'below',
            anchorFile: anchors.file,
            anchorLine: anchor.line,
          },
          extra: { indirect: req.indirect, canonicalActual: actual, canonicalPin: pin },
        });
      }
    }
  },
};

export default rule;
