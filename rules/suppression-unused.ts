// suppression-unused: a `// modguard:ignore` comment that silenced nothing, or that cannot silence
// anything because it is malformed (no rule id, no reason, an unknown rule, a bad date). The
// engine finds these while applying suppressions (src/engine/suppress.ts); this file carries the
// rule's public metadata.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule } from '../src/engine/types.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'suppression-unused',
    type: 'suggestion',
    description: 'A `// modguard:ignore` suppression in a go.mod that silences nothing, or that is malformed and so silences nothing.',
    defaultSeverity: 'warning',
    messages: {
      unused: 'the suppression of {{rule}} silences nothing on this line or the next; remove it (the finding it was written for is gone)',
      missingReason: 'the suppression of {{rule}} has no reason, so it does not apply; write why the finding is accepted: // modguard:ignore {{rule}} <reason> [until=YYYY-MM-DD]',
      missingRule: 'the suppression names no rule, so it does not apply; write // modguard:ignore <rule-id> <reason> [until=YYYY-MM-DD]',
      unknownRule: 'the suppression names "{{rule}}", which is not a modguard rule, so it does not apply; use a rule id from docs/rules/README.md',
      invalidUntil: 'the suppression of {{rule}} has until={{until}}, which is not a date, so it does not apply; write until=YYYY-MM-DD',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create() {
    // Reported by the suppression processor of the engine, which knows which suppressions were used.
  },
};

export default rule;
