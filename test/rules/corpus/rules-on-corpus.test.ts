// The rules on the real monorepos of ../shared/corpus: none may throw, and the in-repository
// sibling replaces these projects use (`replace go.opentelemetry.io/collector/pdata => ../../pdata`)
// must not be reported by replace-directive.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleRepository } from '../../../src/engine/assemble.ts';
import type { Repository } from '../../../src/engine/types.ts';
import { rules } from '../../../rules/index.ts';
import { rule as replaceDirective } from '../../../rules/replace-directive.ts';
import { runRule } from '../../support/rule-tester.ts';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');
const WANTED = new Set(['go.mod', 'go.sum', 'go.work']);

/** readRepo collects the module files of one corpus repository into memory. */
function readRepo(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (WANTED.has(entry.name)) files.set(path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

describe('rules on ../shared/corpus', function () {
  const names = existsSync(corpus) ? readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];

  if (names.length === 0) {
    it('needs ../shared/corpus', function () {
      this.skip(); // ../shared/corpus is not present in this checkout: nothing to run on
    });
    return;
  }

  for (const name of names) {
    describe(name, () => {
      let repo: Repository;
      before(() => {
        repo = assembleRepository({ root: path.join(corpus, name), files: readRepo(path.join(corpus, name)) });
      });

      it('loads every module', () => {
        assert.ok(repo.modules.length > 0);
      });

      it('reports no sibling replace as a replace-directive problem', () => {
        const reports = runRule(replaceDirective, repo);
        const listing = reports.map((r) => `${r.file}:${r.line}:${r.column} ${r.messageId} ${r.dependency}`).join('\n');
        assert.deepEqual(reports.filter((r) => r.messageId !== 'unknownDirectory'), [], listing);
        // A corpus holds only go.mod files: a replace can name a directory whose go.mod was not collected.
        for (const r of reports) assert.ok(!existsSync(path.join(corpus, name, path.posix.dirname(r.file), String(r.data?.target), 'go.mod')), listing);
      });

      it('runs every rule without throwing, each finding at a real position', () => {
        for (const rule of rules) {
          for (const report of runRule(rule, repo)) {
            assert.ok(report.line >= 1 && report.column >= 1, `${rule.meta.id}: ${report.file}:${report.line}:${report.column}`);
            assert.ok(rule.meta.messages[report.messageId], `${rule.meta.id}: unknown messageId ${report.messageId}`);
          }
        }
      });
    });
  }
});
