// Property-based fuzzing of the parsers and of the whole check: generated inputs from plausible to
// hostile must never make an exception escape, never hang, and never report a position outside its
// file. In memory through worker threads (a hang is detected, not waited on), then a smaller number
// of generated repositories written to disk and read back by the loader and the CLI.
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { runFuzz, type FuzzSummary } from './fuzz-runner.ts';
import {
  LineTable, asText, positionProblem, repoArb, repoProblems, resultProblems, parserProblems, type RepoCase,
} from './fuzz-support.ts';
import { loadRepository } from '../../src/engine/load.ts';
import { check } from '../../src/engine/run.ts';
import { parseConfig } from '../../src/engine/config.ts';
import { runCli } from '../support/run-cli.ts';

/** A fixed seed keeps the suite reproducible; FUZZ_SEED explores others. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

function explain(s: FuzzSummary): string {
  return s.failures.slice(0, 3).map((f) => `#${f.index} ${f.target}${f.hang ? ' (hang)' : ''}:\n  ${f.problems.slice(0, 5).join('\n  ')}\n  input: ${f.input.slice(0, 2000)}`).join('\n');
}

function writeCase(root: string, c: RepoCase): void {
  for (const [rel, content] of c.files) {
    const abs = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

function configRejected(c: RepoCase): boolean {
  const cfg = c.files.find(([f]) => f === 'modguard.json');
  if (!cfg) return false;
  try { parseConfig(asText(cfg[1]), 'modguard.json'); return false; } catch { return true; }
}


describe('hardening: fuzzing', function () {
  this.timeout(180_000);

  describe('the invariant checks themselves', () => {
    it('accept positions inside a file and reject those outside it', () => {
      const t = new LineTable('ab\r\ncdé😀\n');
      assert.equal(t.lineCount, 3);
      assert.equal(positionProblem(t, 1, 4, false), '', 'column after `ab\\r`');
      assert.equal(positionProblem(t, 2, 5, false), '', 'a surrogate pair counts as one column');
      assert.match(positionProblem(t, 2, 6, false), /column 6 > line length 4/);
      assert.match(positionProblem(t, 4, 1, false), /line 4 > 3 lines/);
      assert.match(positionProblem(t, 0, 1, false), /line 0 < 1/);
      assert.equal(positionProblem(t, 1, 0, true), '', 'column 0 is "unknown" for parse errors');
      assert.match(positionProblem(t, 1, 0, false), /column 0 < 1/);
      assert.match(positionProblem(t, 1.5, 1, false), /non-integer/);
    });

    it('flag a finding outside its file', () => {
      const result = { version: 1 as const, root: '/r', notices: [], summary: { modules: 0, errors: 1, warnings: 0, infos: 0, suppressed: 0, byRule: {} },
        findings: [{ rule: 'x', severity: 'error' as const, file: 'go.mod', line: 9, column: 1, messageId: 'm', message: 'm', module: '', dependency: '', data: {} }] };
      assert.equal(resultProblems(result, new Map([['go.mod', 'module a\n']])).length, 1);
      assert.equal(resultProblems({ ...result, findings: [{ ...result.findings[0]!, line: 2 }] }, new Map([['go.mod', 'module a\n']])).length, 0);
    });

    it('decode invalid UTF-8 as the loader does', () => {
      assert.equal(asText(new Uint8Array([0x61, 0xff, 0x62])), 'a\uFFFDb');
      assert.deepEqual(parserProblems('gomod', new Uint8Array([0xc3, 0x28, 0x0a, 0x00])), []);
    });
  });

  it('every parser and assemble + check + every reporter on 1,400 generated inputs (worker threads, hang watchdog)', async () => {
    const summary = await runFuzz({
      count: 1400, seed: SEED, workers: 2, hangMs: 60_000, maxFailures: 3,
      // Two megabyte-line files in a thousand: enough to meet several in this run.
      size: { hugeLineWeight: 3 },
    });
    assert.deepEqual(summary.failures, [], explain(summary));
    assert.equal(summary.inputs, 1400);
    assert.deepEqual(summary.failures, [], explain(summary));
    for (const t of ['gomod', 'gowork', 'gosum', 'graph', 'anchors', 'config', 'repo'] as const) assert.ok((summary.byTarget[t] ?? 0) >= 200, t);
  });

  it('megabyte lines, NUL bytes, deep nesting, CRLF and a BOM in every file of one repository', () => {
    const mb = 'x'.repeat(1 << 20);
    const c: RepoCase = {
      graphFile: 'graph.txt',
      files: [
        ['go.mod', `\uFEFFmodule example.com/a\r\n\r\ngo 1.22\r\nrequire (\r\n${'require (\r\n'.repeat(5000)}\texample.com/b v1.0.0 // ${mb}\r\n)\r\n`],
        ['go.sum', `example.com/b v1.0.0 h1:${mb}\n\u0000\u0000\nexample.com/b v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\r\n`],
        ['graph.txt', `example.com/a example.com/b@v1.0.0\n${mb}\nexample.com/a ${mb}@v1\n`],
        ['anchor.lock', `\uFEFFgo 1.22\nanchor (\n${'('.repeat(100_000)}\n)\nanchor example.com/b v1.0.0 // ${mb}\n`],
        ['go.work', `go 1.22\nuse ${mb}\nuse \u0000\n`],
        ['b/go.mod', new Uint8Array([...Buffer.from('module example.com/b\n'), 0xff, 0xfe, 0xc3, 0x28, 0x0a, ...Buffer.from('go 1.22\n')])],
      ],
    };
    const out = repoProblems(c);
    assert.deepEqual(out.problems, []);
    assert.ok(out.result!.findings.some((f) => f.rule === 'parse-error' && f.file === 'go.mod'), 'the nested go.mod is reported');
  });

  it('generated repositories written to disk: loadRepository + check never throw, positions stay inside the files read', async () => {
    const cases = fc.sample(repoArb({ hugeLineWeight: 2 }), { seed: SEED, numRuns: 40 });
    for (const [i, c] of cases.entries()) {
      const root = mkdtempSync(path.join(tmpdir(), 'modguard-fuzz-'));
      try {
        writeCase(root, c);
        let repo;
        try {
          repo = await loadRepository({ root, cwd: root, env: { PATH: process.env.PATH }, ...(c.graphFile ? { graphFile: c.graphFile } : {}) });
        } catch (err) {
          assert.equal((err as Error).name, 'UsageError', `case ${i}: ${(err as Error).stack}`);
          assert.ok(configRejected(c), `case ${i}: a usage error without a bad configuration: ${(err as Error).message}`);
          continue;
        }
        assert.ok(!configRejected(c), `case ${i}: a rejected configuration was accepted`);
        const result = check(repo, { today: '2026-06-01' });
        const texts = new Map(c.files.map(([f, content]) => [f, asText(content)]));
        assert.deepEqual(resultProblems(result, texts), [], `case ${i}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });

  it('generated repositories through the CLI: exit 0/1 with JSON, or a one-line configuration error with exit 2', async () => {
    const cases = fc.sample(repoArb({ hugeLineWeight: 0 }), { seed: SEED + 1, numRuns: 2 });
    // Make sure one case has a broken configuration.
    cases.push({ files: [['go.mod', 'module example.com/a\n'], ['modguard.json', '{"rules": {"no-such-rule": "loud"}, "ignore": 3']] });
    for (const [i, c] of cases.entries()) {
      const root = mkdtempSync(path.join(tmpdir(), 'modguard-fuzz-cli-'));
      try {
        writeCase(root, c);
        const r = await runCli(['check', '--root', root, '--format', 'json', ...(c.graphFile ? ['--graph-file', c.graphFile] : [])], root);
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `case ${i}: a stack trace on stderr:\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /internal error/, `case ${i}: ${r.stderr}`);
        if (configRejected(c)) {
          assert.equal(r.code, 2, `case ${i}: ${r.stderr}`);
          assert.match(r.stderr, /^modguard: modguard\.json/, `case ${i}: the message names the file`);
          assert.equal(r.stdout, '');
        } else {
          assert.ok(r.code === 0 || r.code === 1, `case ${i}: exit ${r.code}: ${r.stderr}`);
          const out = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; column: number }> };
          assert.equal(r.code === 1, out.findings.some((f) => (f as { severity?: string }).severity === 'error'), `case ${i}`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
});
