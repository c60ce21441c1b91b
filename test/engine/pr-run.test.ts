import { strict as assert } from 'node:assert';
import { loadRepository } from '../../src/engine/load.ts';
import { baseRules, checkPullRequest, findPrChanges, type PrOptions } from '../../src/engine/pr-run.ts';
import type { Finding, Rule } from '../../src/engine/types.ts';
import { rules as registeredRules } from '../../rules/index.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';

const goMod = (name: string, body = '') => `module example.com/shop/${name}\n\ngo 1.22\n${body ? `\n${body}\n` : ''}`;

/** spy is a rule that finds nothing and records which repository it ran on. */
function spy(calls: string[]): Rule {
  return {
    meta: { id: 'spy', type: 'suggestion', description: 'records its runs', defaultSeverity: 'info', messages: {} },
    create(context) { calls.push(context.repo.base ? 'head' : 'base'); },
  };
}

describe('engine/pr-run: the base is checked with the rules that found something at the head', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  const options = (): PrOptions => ({ baseRef: 'main', anchorsFile: 'anchor.lock', newOnly: false, env: process.env });

  beforeEach(() => {
    repo = tempGitRepo('modguard-pr-run-');
    repo.write({
      'anchor.lock': 'go 1.22\nanchor golang.org/x/net v0.24.0\nban github.com/pkg/errors // use the standard library\n',
      // Already below the pin at the base: a finding that is not new.
      'lib/go.mod': goMod('lib', 'require golang.org/x/net v0.23.0'),
      'tool/go.mod': goMod('tool'),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
  });
  afterEach(() => repo.cleanup());

  async function run(rules: readonly Rule[]) {
    const changes = await findPrChanges(repo.dir, options());
    const loaded = await loadRepository({ root: repo.dir });
    const outcome = await checkPullRequest(loaded, changes, options(), { rules });
    assert.equal(outcome.kind, 'checked');
    return outcome.kind === 'checked' ? outcome.result.findings : [];
  }

  it('marks new findings as a check of the base with every rule does, without running the rules that found nothing', async () => {
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.23.0\n)') });
    repo.commit('lib uses pkg/errors', '2026-01-02T12:00:00Z');
    const calls: string[] = [];
    const findings = await run([...registeredRules, spy(calls)]);
    const marks = (fs: Finding[]) => fs.map((f) => [f.rule, f.file, f.dependency, f.isNew]).sort();
    assert.deepEqual(marks(findings), [
      ['anchor-mismatch', 'lib/go.mod', 'golang.org/x/net', false],
      ['banned-module', 'lib/go.mod', 'github.com/pkg/errors', true],
    ]);
    assert.deepEqual(calls, ['head']);
    assert.deepEqual(baseRules(findings).map((r) => r.meta.id).sort(), ['anchor-mismatch', 'banned-module']);
  });

  it('checks no rule at the base when the head has no finding', async () => {
    repo.write({ 'tool/go.mod': goMod('tool', 'require golang.org/x/net v0.24.0') });
    repo.commit('tool at the pin', '2026-01-02T12:00:00Z');
    const calls: string[] = [];
    assert.deepEqual(await run([...registeredRules, spy(calls)]), []);
    assert.deepEqual(calls, ['head']);
  });

  it('runs every rule at the base when the head has an unused suppression (it depends on the rules that ran)', async () => {
    repo.write({ 'tool/go.mod': goMod('tool', 'require golang.org/x/net v0.24.0 // modguard:ignore banned-module the tool needs it') });
    repo.commit('tool with a suppression', '2026-01-02T12:00:00Z');
    const calls: string[] = [];
    const findings = await run([...registeredRules, spy(calls)]);
    assert.deepEqual(findings.map((f) => [f.rule, f.isNew]), [['suppression-unused', true]]);
    assert.deepEqual(calls, ['head', 'base']);
  });
});
