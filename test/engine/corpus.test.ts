// The four real monorepos of ../shared/corpus, checked as roots (no git there: directory walk):
// no crash, no internal rule failure, every go.mod parses, and none of the `replace x => ../sibling`
// lines these projects use is reported by replace-directive.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRepository } from '../../src/engine/load.ts';
import { check, INTERNAL_ERROR } from '../../src/engine/run.ts';
import { rules } from '../../rules/index.ts';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

describe('check on ../shared/corpus', function () {
  this.timeout(120_000);
  const repos = existsSync(corpus) ? readdirSync(corpus).filter((d) => statSync(path.join(corpus, d)).isDirectory()).sort() : [];

  it('has the corpus', function () {
    if (repos.length === 0) this.skip(); // ../shared/corpus is absent: nothing to check against
    assert.equal(repos.length >= 4, true);
  });

  for (const name of repos) {
    it(`${name}: loads every module and checks without a crash or a false sibling replace`, async () => {
      const root = path.join(corpus, name);
      const repo = await loadRepository({ root });
      assert.ok(repo.modules.length > 10, `${name}: only ${repo.modules.length} modules found`);
      assert.deepEqual(repo.loadErrors, []);
      const result = check(repo);
      const internal = result.findings.filter((f) => f.messageId === INTERNAL_ERROR);
      assert.deepEqual(internal.map((f) => f.message), []);
      assert.deepEqual(result.findings.filter((f) => f.rule === 'parse-error').map((f) => `${f.file}:${f.line}: ${f.message}`), []);
      // Every sibling replace target that holds a go.mod is a module of the repository.
      const dirs = new Set(repo.modules.map((m) => m.dir));
      let siblingReplaces = 0;
      for (const m of repo.modules) {
        for (const r of m.mod?.replace ?? []) {
          if (!r.new.path.startsWith('../') && !r.new.path.startsWith('./')) continue;
          const target = path.posix.normalize(path.posix.join(m.dir, r.new.path)).replace(/\/+$/, '') || '.';
          if (existsSync(path.join(root, target, 'go.mod'))) { siblingReplaces++; assert.ok(dirs.has(target), `${m.goModFile}: ${r.new.path} is not loaded`); }
        }
      }
      if (rules.some((r) => r.meta.id === 'replace-directive')) {
        const replaces = result.findings.filter((f) => f.rule === 'replace-directive');
        assert.deepEqual(replaces.map((f) => `${f.file}:${f.line}: ${f.message}`), [], `${siblingReplaces} sibling replaces`);
      }
      assert.equal(result.summary.modules, repo.modules.length);
    });
  }
});
