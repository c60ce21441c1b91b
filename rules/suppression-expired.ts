// suppression-expired: a `// modguard:ignore <rule> <reason> until=YYYY-MM-DD` whose date has passed.
// The engine finds these while applying suppressions (src/engine/suppress.ts); this file carries
// the rule's public metadata, so it can be configured, documented and shown like any other rule.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule } from '../src/engine/types.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'suppression-expired',
    type: 'problem',
    description: 'A `// modguard:ignore` suppression in a go.mod whose `until=` date has passed; it no longer silences its finding.',
    defaultSeverity: 'warning',
    messages: {
      expired: 'the suppression of {{rule}} expired on {{until}} (reason given: "{{reason}}"); the finding it silenced is reported again: fix it, or renew the date if the reason still holds',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create() {
    // Reported by the suppression processor of the engine, which sees every suppression and date.
  },
};

export default rule;
