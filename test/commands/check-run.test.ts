import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkExitCode, loadOptionsFrom, runCheck } from '../../src/commands/check-run.ts';
import type { CheckResult, Finding } from '../../src/engine/types.ts';
import { fakeContext } from '../support/context.ts';

function result(findings: Partial<Finding>[]): CheckResult {
  const full = findings.map((f) => ({ rule: 'r', severity: 'warning', file: 'go.mod', line: 1, column: 1, messageId: 'm', message: '', module: '', dependency: '', data: {}, ...f }) as Finding);
  return { version: 1, root: '/r', findings: full, notices: [], summary: { modules: 1, errors: full.filter((f) => f.severity === 'error').length, warnings: 0, infos: 0, suppressed: 0, byRule: {} } };
}

describe('commands/check-run', () => {
  it('exits 0 without errors, 1 with an error finding, 2 when a rule failed internally', () => {
    assert.equal(checkExitCode(result([{ severity: 'warning' }, { severity: 'info' }])), 0);
    assert.equal(checkExitCode(result([{ severity: 'error' }])), 1);
    assert.equal(checkExitCode(result([{ severity: 'error' }, { severity: 'error', messageId: 'internal-error', data: { internal: true } }])), 2);
  });

  it('maps command options onto the loader and draws go progress only on a terminal', () => {
    const ctx = fakeContext('/work', { PATH: '/bin' });
    const opts = loadOptionsFrom({ root: 'r', anchors: 'a.lock', config: 'c.json', graphFile: 'g.txt', go: true }, ctx);
    assert.deepEqual({ ...opts, env: undefined }, { cwd: '/work', env: undefined, root: 'r', anchorsFile: 'a.lock', configFile: 'c.json', graphFile: 'g.txt', go: true });
    assert.equal(opts.env, ctx.env);
    const tty = { ...fakeContext('/work'), stderr: { write: () => true, isTTY: true } };
    assert.equal(typeof loadOptionsFrom({ go: true }, tty).onGoProgress, 'function');
    assert.equal(loadOptionsFrom({}, tty).onGoProgress, undefined);
  });

  it('runs in process: prints the text report, timings (and each rule\'s) with --debug, and returns the exit code', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'modguard-check-run-'));
    try {
      mkdirSync(path.join(root, 'a'));
      writeFileSync(path.join(root, 'anchor.lock'), 'anchor golang.org/x/net v0.24.0\n');
      writeFileSync(path.join(root, 'a', 'go.mod'), 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.23.0\n');
      const ctx = fakeContext(root, {});
      const code = await runCheck({ root, debug: true }, ctx);
      assert.equal(code, 1);
      assert.match(ctx.out(), /a\/go\.mod/);
      assert.match(ctx.out(), /anchor-mismatch/);
      const [timings, rules, ...rest] = ctx.err().split('\n');
      assert.match(timings!, /^modguard: 1 module; load \d+ ms, check \d+ ms$/);
      // Every rule that ran, with its time, slowest first.
      assert.match(rules!, /^modguard: rules: [a-z-]+ \d+ ms(, [a-z-]+ \d+ ms)+$/);
      const listed = [...rules!.matchAll(/([a-z-]+) (\d+) ms/g)];
      assert.ok(listed.some(([, id]) => id === 'anchor-mismatch'), rules);
      assert.deepEqual(listed.map(([, , ms]) => Number(ms)), listed.map(([, , ms]) => Number(ms)).sort((a, b) => b - a));
      assert.deepEqual(rest, ['']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
