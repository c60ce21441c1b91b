// The bundled example monorepo is what a newcomer runs first: it must show every rule.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { loadRepository } from '../src/engine/load.ts';
import { check } from '../src/engine/run.ts';
import { rules } from '../rules/index.ts';
import { projectRoot } from './support/run-cli.ts';

describe('examples/monorepo', () => {
  it('trips every rule that needs no git base at least once', async () => {
    const repo = await loadRepository({ root: path.join(projectRoot, 'examples/monorepo'), graphFile: 'graph.txt', cwd: projectRoot });
    const result = check(repo);
    const seen = new Set(result.findings.map((f) => f.rule));
    const missing = rules.filter((r) => !r.meta.needsBase && !seen.has(r.meta.id)).map((r) => r.meta.id);
    assert.deepEqual(missing, [], `the example shows no finding of ${missing.join(', ')}: add a case for it to examples/monorepo`);
    assert.equal(result.findings.some((f) => f.messageId === 'internal-error'), false);
  });
});
