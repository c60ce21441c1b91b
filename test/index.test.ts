// The programmatic API: what a platform team scripts against, without spawning the CLI.
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as api from '../src/index.ts';

describe('public API', () => {
  it('exports the loader, the engine, the parsers and the reporters', () => {
    for (const name of ['loadRepository', 'assembleRepository', 'check', 'parseConfig', 'formatMessage', 'discoverFiles',
      'parseModFile', 'parseWorkFile', 'parseGoSum', 'parseModGraph', 'parseAnchorLock', 'mergeResults', 'readResultFile']) {
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
    }
    assert.ok(api.rules.length > 0);
    assert.equal(typeof api.reporters.json, 'function');
  });

  it('loads and checks a repository from disk', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'modguard-api-'));
    try {
      const files: Record<string, string> = {
        'anchor.lock': 'anchor golang.org/x/net v0.24.0\n',
        'a/go.mod': 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.23.0\n',
        'a/go.sum': 'golang.org/x/net v0.23.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
        'b/go.mod': 'module example.com/b\n\ngo 1.22\n',
        'b/vendor/x/go.mod': 'module x\n',
      };
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      }
      const repo = await api.loadRepository({ root });
      assert.deepEqual(repo.modules.map((m) => m.modulePath), ['example.com/a', 'example.com/b']);
      assert.equal(repo.modules[0]!.sum?.entries.length, 1);
      assert.deepEqual(repo.sources, { anchorsFile: 'anchor.lock' });
      const result: api.CheckResult = api.check(repo, { today: '2026-01-01' });
      const mismatch = result.findings.find((f) => f.rule === 'anchor-mismatch');
      assert.equal(mismatch?.file, 'a/go.mod');
      assert.equal(mismatch?.line, 5);
      const text = api.reporters.json(result, { color: false, rules: api.rules.map((r) => r.meta), root });
      assert.equal(JSON.parse(text).version, 1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('throws UsageError for a missing root', async () => {
    await assert.rejects(api.loadRepository({ root: '/nonexistent/modguard-root' }), api.UsageError);
  });
});
