import { strict as assert } from 'node:assert';
import { isReported, reportedModules } from '../../../rules/support/syntax.ts';
import { plainRepo } from '../../support/plain-repo.ts';

describe('rules/support reportedModules', () => {
  const goMods = { 'c/go.mod': 'module example.com/c\n', 'a/go.mod': 'module example.com/a\n', 'b/go.mod': 'module example.com/b\n' };

  it('lists the modules isReported accepts, in the repository\'s order, all of them without a focus', () => {
    const repo = plainRepo(goMods);
    assert.equal(reportedModules(repo), repo.modules);
    repo.focus = new Set(['c', 'a', 'x']);
    const reported = reportedModules(repo);
    assert.deepEqual(reported.map((m) => m.dir), repo.modules.filter((m) => isReported(repo, m)).map((m) => m.dir));
    assert.deepEqual(reported.map((m) => m.dir), ['a', 'c']);
    // Asked again: the same list; a check of another list of modules (PR mode's base) with the same focus: its own.
    assert.equal(reportedModules({ ...repo }), reported);
    const other = plainRepo({ 'a/go.mod': 'module example.com/a\n', 'd/go.mod': 'module example.com/d\n' });
    other.focus = repo.focus;
    assert.deepEqual(reportedModules(other).map((m) => m.dir), ['a']);
    assert.deepEqual(reportedModules(repo).map((m) => m.dir), ['a', 'c']);
  });
});
