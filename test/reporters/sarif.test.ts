import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { reporters } from '../../src/reporters/index.ts';
import { FINGERPRINT_KEY, SARIF_MAX_RESULTS, fileUri, toSarifLog } from '../../src/reporters/sarif.ts';
import { OPTIONS, RULES, empty, finding, hostile, sample } from './fixtures.ts';

const require = createRequire(import.meta.url);

// The official SARIF 2.1.0 (rtm.5) JSON schema as Microsoft ships it in an npm package, so the
// check runs offline. It is a draft-04 schema; one of its patterns is not valid under the `u` flag,
// hence unicodeRegExp: false.
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// ajv-draft-04 is CommonJS whose module.exports is the class; require() gives it without interop guesswork.
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
// The schema's formats, checked strictly enough to catch a Windows path or a space in a URI.
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s\\]*$/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => /^[^\s\\]*$/.test(s) && URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF schema violations: ${JSON.stringify(validate.errors, null, 2)}`);
}

const descriptor = (id: string, name: string, short: string, full: string, level: string, type: string, problem: string) => ({
  id, name,
  shortDescription: { text: short },
  fullDescription: { text: full },
  help: { text: `${full}\n\nDocumentation: https://docs.example/rules/${id}`, markdown: `**${id}**: ${full}\n\n[Rule documentation](https://docs.example/rules/${id})` },
  helpUri: `https://docs.example/rules/${id}`,
  defaultConfiguration: { level },
  properties: { tags: ['go-modules', 'dependencies', type], precision: 'very-high', 'problem.severity': problem },
});

describe('reporters/sarif', () => {
  it('prints the empty case exactly: rules with help, results: [] and the source root', () => {
    const expected = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'modguard',
            version: '0.1.0',
            informationUri: 'https://github.com/modguard/modguard',
            rules: [
              descriptor('anchor-mismatch', 'AnchorMismatch', RULES[0]!.description, RULES[0]!.description, 'error', 'problem', 'error'),
              descriptor('go-version-drift', 'GoVersionDrift', 'A go directive differs from the anchor.lock go line.', RULES[1]!.description, 'warning', 'suggestion', 'warning'),
              descriptor('version-divergence', 'VersionDivergence', RULES[2]!.description, RULES[2]!.description, 'note', 'suggestion', 'recommendation'),
            ],
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///repo/' } },
        invocations: [{ executionSuccessful: true }],
        results: [],
      }],
    };
    const out = reporters.sarif(empty(), OPTIONS);
    assert.equal(out, `${JSON.stringify(expected, null, 2)}\n`);
    assertValid(JSON.parse(out));
  });

  it('maps findings to results with rule indexes, levels, relative locations and fingerprints', () => {
    const log = JSON.parse(reporters.sarif(sample(), OPTIONS)) as Sarif.Log;
    assertValid(log);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    assert.deepEqual(run.results!.map((r) => [r.ruleId, rules[r.ruleIndex!]!.id, r.level]), [
      ['anchor-mismatch', 'anchor-mismatch', 'error'],
      ['anchor-mismatch', 'anchor-mismatch', 'error'],
      ['go-version-drift', 'go-version-drift', 'warning'],
      ['version-divergence', 'version-divergence', 'note'],
    ]);
    assert.deepEqual(run.results![0], {
      ruleId: 'anchor-mismatch',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'golang.org/x/net v0.20.0 is pinned to v0.24.0' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'svc/a/go.mod', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 2 } } }],
      partialFingerprints: { [FINGERPRINT_KEY]: run.results![0]!.partialFingerprints![FINGERPRINT_KEY] },
      properties: { module: 'example.com/svc/a', dependency: 'golang.org/x/net' },
    });
    assert.deepEqual(run.invocations![0]!.toolExecutionNotifications, [{ level: 'note', message: { text: 'anchor-drift skipped: no module graph (use --graph-file or --go)' } }]);
    const prints = run.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    assert.equal(new Set(prints).size, prints.length, 'fingerprints are distinct');
    for (const p of prints) assert.match(p!, /^[0-9a-f]{32}$/);
  });

  it('keeps fingerprints when lines move and changes them for another dependency', () => {
    const before = JSON.parse(reporters.sarif(sample(), OPTIONS)) as Sarif.Log;
    const moved = sample();
    for (const f of moved.findings) f.line += 10;
    const after = JSON.parse(reporters.sarif(moved, OPTIONS)) as Sarif.Log;
    const fp = (l: Sarif.Log) => l.runs[0]!.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    assert.deepEqual(fp(after), fp(before));
    const other = sample();
    other.findings[1]!.dependency = 'example.com/other';
    assert.notDeepEqual(fp(JSON.parse(reporters.sarif(other, OPTIONS))), fp(before));
  });

  it('clamps positions to 1, escapes URIs, marks baseline state and describes rules without metadata', () => {
    const r = empty(1);
    r.findings = [
      finding({ rule: 'suppression-unused', severity: 'warning', file: 'svc/my dir/go.mod', line: 0, column: 0, isNew: true }),
      finding({ file: 'svc/a/go.mod', isNew: false }),
    ];
    r.summary = { ...r.summary, errors: 1, warnings: 1, byRule: { 'suppression-unused': 1, 'anchor-mismatch': 1 } };
    const log = JSON.parse(reporters.sarif(r, OPTIONS)) as Sarif.Log;
    assertValid(log);
    const results = log.runs[0]!.results!;
    const unused = results.find((x) => x.ruleId === 'suppression-unused')!;
    assert.deepEqual(unused.locations![0]!.physicalLocation!.artifactLocation, { uri: 'svc/my%20dir/go.mod', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(unused.locations![0]!.physicalLocation!.region, { startLine: 1, startColumn: 1 });
    assert.equal(unused.baselineState, 'new');
    assert.equal(results.find((x) => x.ruleId === 'anchor-mismatch')!.baselineState, 'unchanged');
    const rules = log.runs[0]!.tool.driver.rules!;
    const meta = rules[unused.ruleIndex!]!;
    assert.equal(meta.id, 'suppression-unused');
    assert.ok(meta.fullDescription?.text && meta.help?.text, 'synthesized rules still carry a description and help');
    assert.equal(fileUri('a\\b c/#x.mod'), 'a/b%20c/%23x.mod');
  });

  it('keeps the most severe (and, in PR mode, the new) results when there are more than a run may carry', () => {
    const r = empty(1);
    r.findings = [
      finding({ rule: 'version-divergence', severity: 'info', file: 'a/go.mod', dependency: 'x/one' }),
      finding({ rule: 'go-version-drift', severity: 'warning', file: 'b/go.mod', isNew: false }),
      finding({ file: 'c/go.mod', dependency: 'x/old', isNew: false }),
      finding({ rule: 'go-version-drift', severity: 'warning', file: 'd/go.mod', isNew: true }),
      finding({ file: 'e/go.mod', dependency: 'x/new', isNew: true }),
      finding({ file: 'f/go.mod', dependency: 'x/old', isNew: false }),
    ];
    const whole = toSarifLog(r, OPTIONS);
    const capped = toSarifLog(r, { ...OPTIONS, maxResults: 4 });
    assertValid(capped);
    const where = (l: Sarif.Log) => l.runs[0]!.results!.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri!);
    // The three errors, then the new warning before the old one; in file order as without a cap.
    assert.deepEqual(where(capped), ['c/go.mod', 'd/go.mod', 'e/go.mod', 'f/go.mod']);
    assert.deepEqual(where(whole), ['a/go.mod', 'b/go.mod', 'c/go.mod', 'd/go.mod', 'e/go.mod', 'f/go.mod']);
    // A result keeps its fingerprint whatever else is left out.
    const print = (l: Sarif.Log, uri: string) => l.runs[0]!.results!.find((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri === uri)!.partialFingerprints;
    for (const uri of where(capped)) assert.deepEqual(print(capped, uri), print(whole, uri));
    const notes = capped.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.level, 'warning');
    assert.match(notes[0]!.message.text!, /^4 of 6 findings \(3 error, 2 warning, 1 info\) written as results, the most severe first: code scanning rejects a run of more than 25000 results/);
    assert.equal(whole.runs[0]!.invocations![0]!.toolExecutionNotifications, undefined);
  });

  it('writes at most 25,000 results by default, as code scanning accepts', function () {
    this.timeout(60_000);
    const r = empty(1);
    r.findings = Array.from({ length: SARIF_MAX_RESULTS }, (_, i) => finding({ rule: 'version-divergence', severity: 'info', file: `m${i}/go.mod` }));
    r.findings.push(finding({ file: 'zz/go.mod' }));
    const results = toSarifLog(r, OPTIONS).runs[0]!.results!;
    assert.equal(results.length, SARIF_MAX_RESULTS);
    assert.equal(results.filter((x) => x.level === 'error').length, 1, 'the one error is among them');
    r.findings.pop();
    assert.equal(toSarifLog(r, OPTIONS).runs[0]!.results!.length, SARIF_MAX_RESULTS, 'exactly the limit is written whole');
  });

  it('stays schema-valid with hostile text', () => {
    assertValid(JSON.parse(reporters.sarif(hostile(), OPTIONS)));
  });

  it('is rejected by the schema validator when broken (the validator is live)', () => {
    const log = JSON.parse(reporters.sarif(sample(), OPTIONS));
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    assert.equal(validate(log), false);
    const badUri = JSON.parse(reporters.sarif(sample(), OPTIONS));
    badUri.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'svc\\a b\\go.mod';
    assert.equal(validate(badUri), false, 'a Windows path with a space is not a URI reference');
  });

  it('passes the SARIF multitool with GitHub ingestion rules (when installed)', function () {
    const bin = process.env.SARIF_MULTITOOL ?? path.resolve('node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');
    if (!existsSync(bin)) {
      // Optional (about 100 MB): `npm install --no-save @microsoft/sarif-multitool`, or SARIF_MULTITOOL=/path/to/Sarif.Multitool.
      console.log(`      skipped: SARIF multitool not installed (${bin})`);
      this.skip();
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-sarif-'));
    try {
      const input = path.join(dir, 'in.sarif');
      const output = path.join(dir, 'out.sarif');
      writeFileSync(input, reporters.sarif(sample(), OPTIONS));
      // A log the multitool must reject, so a silent no-op run cannot pass.
      const broken = JSON.parse(reporters.sarif(sample(), OPTIONS));
      delete broken.runs[0].tool.driver.rules[0].help;
      writeFileSync(path.join(dir, 'broken.sarif'), JSON.stringify(broken));
      spawnSync(bin, ['validate', path.join(dir, 'broken.sarif'), '--rule-kind', 'Gh;Sarif', '-o', path.join(dir, 'broken.out'), '--log', 'ForceOverwrite'], { encoding: 'utf8' });
      const brokenReport = JSON.parse(readFileSync(path.join(dir, 'broken.out'), 'utf8')) as Sarif.Log;
      assert.ok((brokenReport.runs[0]!.results ?? []).some((x) => x.ruleId === 'GH2012'), 'the multitool flags a rule without help');
      const run = spawnSync(bin, ['validate', input, '--rule-kind', 'Gh;Sarif', '-o', output, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
      const report = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
      const problems = (report.runs[0]!.results ?? []).filter((x) => x.level === 'error' || x.level === 'warning');
      assert.deepEqual(problems.map((x) => `${x.ruleId}: ${x.message.text ?? JSON.stringify(x.message)}`), [], run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
