import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/commands/context.ts';
import { MODGUARD_VERSION, reporters, FORMAT_NAMES } from '../../src/reporters/index.ts';
import { exitCodeFor, parseFormatSpecs, useColor, writeOut, writeReports } from '../../src/reporters/output.ts';
import { EventEmitter } from 'node:events';
import { SARIF_MAX_RESULTS } from '../../src/reporters/sarif.ts';
import { fakeContext } from '../support/context.ts';
import { OPTIONS, RULES, empty, finding, sample } from './fixtures.ts';

describe('reporters/output', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-out-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('reads --format NAME[=FILE] values, text on stdout by default', () => {
    assert.deepEqual(parseFormatSpecs([]), [{ format: 'text' }]);
    assert.deepEqual(parseFormatSpecs(['github', 'sarif=out/a=b.sarif', 'json=r.json']), [
      { format: 'github' }, { format: 'sarif', file: 'out/a=b.sarif' }, { format: 'json', file: 'r.json' },
    ]);
    assert.throws(() => parseFormatSpecs(['xml']), (e: Error) => e instanceof UsageError && /unknown format "xml" \(one of text, json, sarif, github, junit, markdown\)/.test(e.message));
    assert.throws(() => parseFormatSpecs(['json=']), /the file name after = is empty/);
    assert.deepEqual(FORMAT_NAMES, ['text', 'json', 'sarif', 'github', 'junit', 'markdown']);
  });

  it('decides colour from the TTY, NO_COLOR and FORCE_COLOR only (not CI)', () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true, isTTY: false };
    assert.equal(useColor({ env: {}, stdout: tty }), true);
    assert.equal(useColor({ env: { CI: 'true' }, stdout: pipe }), false);
    assert.equal(useColor({ env: { NO_COLOR: '1' }, stdout: tty }), false);
    assert.equal(useColor({ env: { FORCE_COLOR: '1' }, stdout: pipe }), true);
    assert.equal(useColor({ env: { FORCE_COLOR: '0' }, stdout: tty }), false);
  });

  it('writes each format to stdout or its file and appends Markdown to the step summary for github', async () => {
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const ctx = fakeContext(dir, { GITHUB_STEP_SUMMARY: summary });
    await writeReports(sample(), parseFormatSpecs(['github', 'sarif=reports/x.sarif', 'json=r.json']), ctx, { rules: RULES, docsUrl: OPTIONS.docsUrl! });
    assert.equal(ctx.out(), reporters.github(sample(), OPTIONS));
    assert.equal(readFileSync(path.join(dir, 'reports/x.sarif'), 'utf8'), reporters.sarif(sample(), OPTIONS));
    assert.equal(readFileSync(path.join(dir, 'r.json'), 'utf8'), reporters.json(sample(), OPTIONS));
    assert.equal(readFileSync(summary, 'utf8'), `earlier step\n${reporters.markdown(sample(), OPTIONS)}`);
  });

  it('writes a report of several megabytes to a file and to stdout in pieces that make up the whole', async () => {
    const many = { ...sample(), findings: Array.from({ length: 6000 }, (_, i) => finding({ file: `svc/m${i % 97}/go.mod`, line: i + 1, message: `finding ${i} `.repeat(40) })) };
    const ctx = fakeContext(dir, {});
    await writeReports(many, parseFormatSpecs(['json=big.json', 'text=big.txt', 'text']), ctx, { rules: RULES });
    const json = reporters.json(many, OPTIONS);
    assert.ok(json.length > 2 << 20);
    assert.equal(readFileSync(path.join(dir, 'big.json'), 'utf8'), json);
    assert.equal(readFileSync(path.join(dir, 'big.txt'), 'utf8'), reporters.text(many, { ...OPTIONS, color: false }));
    assert.equal(ctx.out(), reporters.text(many, { ...OPTIONS, color: false }));
  });

  it('waits for a full stream to drain before making the next piece, and makes none after a write failed', async () => {
    // A stream with room for one batch: write returns false until 'drain'.
    class Slow extends EventEmitter {
      written: string[] = [];
      waiting = false;
      write(s: string): boolean {
        assert.equal(this.waiting, false, 'no write while the stream waits to drain');
        this.written.push(s);
        this.waiting = true;
        setTimeout(() => { this.waiting = false; this.emit('drain'); }, 1);
        return false;
      }
    }
    let made = 0;
    const pieces = function* (n: number) { for (let i = 0; i < n; i++) { made++; yield 'x'.repeat(40_000); } };
    const slow = new Slow();
    await writeOut(slow, pieces(10));
    assert.equal(slow.written.join('').length, 400_000);
    assert.equal(slow.listenerCount('drain') + slow.listenerCount('error') + slow.listenerCount('close'), 0, 'no listener left behind');
    // A stream whose writes fail (EPIPE, reported in an event after the write returned).
    class Broken extends EventEmitter {
      writes = 0;
      write(): boolean {
        this.writes++;
        setImmediate(() => this.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
        return true;
      }
    }
    const broken = new Broken();
    broken.on('error', () => undefined);
    made = 0;
    await writeOut(broken, pieces(1000));
    assert.equal(broken.writes, 1);
    assert.ok(made < 10, `made ${made} pieces after the failure`);
    // A plain sink (no events) takes everything.
    let all = '';
    await writeOut({ write: (s: string) => { all += s; return true; } }, pieces(3));
    assert.equal(all.length, 120_000);
  });

  it('says on stderr when a SARIF run leaves findings out, and only then', async function () {
    this.timeout(60_000);
    const many = { ...sample(), findings: Array.from({ length: SARIF_MAX_RESULTS + 2 }, (_, i) => finding({ file: `svc/m${i}/go.mod`, severity: i < 2 ? 'warning' : 'error' })) };
    const ctx = fakeContext(dir, {});
    await writeReports(many, parseFormatSpecs(['sarif=x.sarif']), ctx, { rules: RULES });
    assert.match(ctx.err(), /^modguard: --format sarif=x\.sarif: 25000 of 25002 findings \(25000 error, 2 warning\) written as results/);
    const log = JSON.parse(readFileSync(path.join(dir, 'x.sarif'), 'utf8'));
    assert.equal(log.runs[0].results.length, SARIF_MAX_RESULTS);
    assert.ok(log.runs[0].results.every((x: { level: string }) => x.level === 'error'));
    const few = fakeContext(dir, {});
    await writeReports(sample(), parseFormatSpecs(['sarif']), few, { rules: RULES });
    assert.equal(few.err(), '');
  });

  it('leaves the step summary alone without the github format, and names an unwritable file', async () => {
    const summary = path.join(dir, 'summary.md');
    const ctx = fakeContext(dir, { GITHUB_STEP_SUMMARY: summary });
    await writeReports(empty(), parseFormatSpecs(['text']), ctx, { rules: RULES });
    assert.equal(ctx.out(), 'no findings in 3 modules\n');
    assert.throws(() => readFileSync(summary), /ENOENT/);
    writeFileSync(path.join(dir, 'file'), '');
    await assert.rejects(writeReports(empty(), parseFormatSpecs(['json=file/x.json']), ctx, { rules: RULES }),
      (e: Error) => e instanceof UsageError && e.message.startsWith('--format json=file/x.json: cannot write'));
  });

  it('exits 1 only with error-severity findings', () => {
    assert.equal(exitCodeFor(sample()), 1);
    assert.equal(exitCodeFor(empty()), 0);
    const warnOnly = sample();
    warnOnly.findings = warnOnly.findings.filter((f) => f.severity !== 'error');
    warnOnly.summary = { ...warnOnly.summary, errors: 0 };
    assert.equal(exitCodeFor(warnOnly), 0);
  });

  it('names the package version in SARIF', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(MODGUARD_VERSION, pkg.version);
  });
});
