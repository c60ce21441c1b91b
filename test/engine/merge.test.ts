import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { generateMonorepo } from '../../bench/generate.ts';
import { loadRepository } from '../../src/engine/load.ts';
import { check } from '../../src/engine/run.ts';
import { UsageError } from '../../src/commands/context.ts';
import type { CheckResult, Finding, Severity } from '../../src/engine/types.ts';
import { mergeResults, parseResultBytes, parseResultJson, readResultFile, SharedLists, WHOLE_RESULT_BYTES } from '../../src/engine/merge.ts';
import { summarize as countFindings } from '../../src/engine/run.ts';
import { selectShard } from '../../src/engine/shard.ts';
import { reporters } from '../../src/reporters/index.ts';
import { OPTIONS } from '../reporters/fixtures.ts';

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

function f(file: string, line: number, over: Partial<Finding> = {}): Finding {
  return {
    rule: 'anchor-mismatch', severity: 'error', file, line, column: 2, messageId: 'mismatch', message: `at ${file}:${line}`,
    module: `example.com/${file.replace(/\/go\.mod$/, '')}`, dependency: 'golang.org/x/net', data: { line, z: 1, a: [1, 2] }, ...over,
  };
}

/**
 * A repository of `modules` modules checked whole, and what each of `n` shards reports: the findings
 * in its own modules' files, every whole-repository finding (anchor.lock, go.work), its module
 * count, and the same notices. This is the contract `check --shard` follows.
 */
function scenario(modules: number, n: number, perModule: (i: number) => Finding[]) {
  const dirs = Array.from({ length: modules }, (_, i) => `svc/m${i}`);
  const moduleFindings = dirs.flatMap((_, i) => perModule(i));
  const wholeRepo = [
    f('anchor.lock', 4, { rule: 'parse-error', message: 'anchor.lock:4: unknown directive', module: '', dependency: '', data: {} }),
    f('go.work', 2, { rule: 'go-version-drift', severity: 'warning', message: 'go 1.21 differs', module: '', dependency: '', data: {} }),
  ];
  const notices = ['anchor-drift skipped: no module graph'];
  const whole: CheckResult = {
    version: 1, root: '/repo', findings: [...moduleFindings, ...wholeRepo],
    summary: { ...countFindings([...moduleFindings, ...wholeRepo], modules, 0), suppressed: 0 }, notices,
  };
  const shards: CheckResult[] = [];
  for (let k = 1; k <= n; k++) {
    const mine = selectShard(dirs, k, n);
    const findings = [...wholeRepo.slice().reverse(), ...moduleFindings.filter((x) => mine.has(x.file.replace(/\/go\.mod$/, '')))];
    shards.push({ version: 1, root: '/repo', findings, summary: countFindings(findings, mine.size, 0), notices: [...notices], shard: { index: k, count: n } });
  }
  return { whole, shards };
}

/** roundTrip passes a result through the JSON printer and reader, as `check` and `merge` do. */
const roundTrip = (r: CheckResult, name: string) => parseResultJson(reporters.json(r, OPTIONS), name);

describe('engine/merge', () => {
  it('merged shard results equal the unsharded run, byte for byte in JSON', () => {
    const { whole, shards } = scenario(40, 4, (i) => (i % 3 === 0 ? [] : [f(`svc/m${i}/go.mod`, 3 + i), f(`svc/m${i}/go.mod`, 9, { rule: 'replace-directive', severity: SEVERITIES[i % 3]! })]));
    const merged = mergeResults(shards.map((s, i) => roundTrip(s, `shard-${i + 1}.json`)));
    assert.equal(reporters.json(merged, OPTIONS), reporters.json(whole, OPTIONS));
    assert.equal(reporters.sarif(merged, OPTIONS), reporters.sarif(whole, OPTIONS));
    assert.equal(merged.findings.filter((x) => x.file === 'anchor.lock').length, 1, 'whole-repository findings are counted once');
    assert.deepEqual(merged.notices, ['anchor-drift skipped: no module graph']);
    assert.equal(merged.summary.modules, 40);
    assert.equal(merged.shard, undefined);
  });

  it('equals the unsharded run for any repository and shard count (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(4), { minLength: 25, maxLength: 25 }), (modules, n, counts) => {
      const { whole, shards } = scenario(modules, n, (i) => Array.from({ length: counts[i]! }, (_, j) => f(`svc/m${i}/go.mod`, 1 + (j % 2))));
      assert.equal(reporters.json(mergeResults(shards.map((s, i) => roundTrip(s, `s${i}`))), OPTIONS), reporters.json(whole, OPTIONS));
    }));
  });

  it('keeps a finding repeated within one shard as often as that shard has it', () => {
    const dup = f('svc/a/go.mod', 3);
    const a: CheckResult = { version: 1, root: '/r', findings: [dup, { ...dup }], summary: countFindings([dup, dup], 1, 2), notices: ['n1', 'n2'] };
    const b: CheckResult = { version: 1, root: '/r', findings: [{ ...dup, data: { a: [1, 2], z: 1, line: 3 } }], summary: { ...countFindings([dup], 1, 1), preexisting: 5 }, notices: ['n2', 'n3'] };
    const m = mergeResults([a, b]);
    assert.equal(m.findings.length, 2);
    assert.deepEqual(m.summary, { modules: 2, errors: 2, warnings: 0, infos: 0, suppressed: 3, byRule: { 'anchor-mismatch': 2 }, preexisting: 5 });
    assert.deepEqual(m.notices, ['n1', 'n2', 'n3']);
  });

  it('counts what shards suppressed or found pre-existing in a go.work once, since every shard of the workspace reports it', () => {
    const a: CheckResult = { version: 1, root: '/r', findings: [], notices: [],
      summary: { ...countFindings([], 2, 3), preexisting: 4, workFiles: { 'go.work': { suppressed: 2, preexisting: 1 } } } };
    const b: CheckResult = { version: 1, root: '/r', findings: [], notices: [],
      summary: { ...countFindings([], 2, 2), preexisting: 1, workFiles: { 'go.work': { suppressed: 2, preexisting: 1 }, 'ws/go.work': { suppressed: 0 } } } };
    const c: CheckResult = { version: 1, root: '/r', findings: [], notices: [], summary: countFindings([], 1, 1) };
    const m = mergeResults([a, b, c]);
    // Own: 3 - 2, 2 - 2 and 1 suppressed, 4 - 1 and 1 - 1 pre-existing; go.work's once.
    assert.equal(m.summary.suppressed, 1 + 0 + 1 + 2);
    assert.equal(m.summary.preexisting, 3 + 0 + 1);
    assert.deepEqual(m.summary.workFiles, { 'go.work': { suppressed: 2, preexisting: 1 }, 'ws/go.work': {} });
    // A rule skipped by every result was not run; one that ran in any was.
    const skipping = (skipped: Record<string, string>): CheckResult => ({ version: 1, root: '/r', findings: [], notices: [], summary: countFindings([], 1, 0), skipped });
    assert.deepEqual(mergeResults([skipping({ x: 'no module graph', y: 'no module graph' }), skipping({ x: 'no module graph' })]).skipped, { x: 'no module graph' });
    assert.equal(mergeResults([skipping({ y: 'no module graph' }), skipping({})]).skipped, undefined);
    // Read back from JSON as a shard writes it.
    const text = reporters.json(a, OPTIONS);
    assert.deepEqual(parseResultJson(text, 'a.json').summary.workFiles, { 'go.work': { preexisting: 1, suppressed: 2 } });
  });

  it('makes equal lists in findings\' data one object again as results are read, and leaves the others apart', () => {
    const use = (m: string, line: number) => ({ dir: m, file: `${m}/go.mod`, line, version: 'v1.0.0' });
    const list = [use('a', 3), use('b', 4), use('c', 5)];
    const middle = [use('a', 3), { ...use('b', 4), line: 9 }, use('c', 5)];
    const findings = [
      f('a/go.mod', 3, { data: { involved: list, n: 1 } }),
      f('b/go.mod', 4, { data: { involved: list.map((u) => ({ ...u })), n: 2 } }),
      f('c/go.mod', 5, { data: { involved: middle, n: 3 } }),
      f('d/go.mod', 6, { data: { other: list.map((u) => ({ ...u })) } }),
      f('e/go.mod', 7, { data: { involved: [{ nested: [1, 2] }, { nested: [3] }] } }),
      f('g/go.mod', 8, { data: { involved: [{ nested: [1, 2] }, { nested: [3] }] } }),
    ];
    const result: CheckResult = { version: 1, root: '/r', findings, summary: countFindings(findings, 6, 0), notices: [] };
    const before = reporters.json(result, OPTIONS);
    const copies = roundTrip(result, 'copies');
    const shared = new SharedLists();
    shared.share(copies.findings);
    const lists = copies.findings.map((x) => (x.data as Record<string, unknown>).involved ?? (x.data as Record<string, unknown>).other);
    assert.equal(lists[0], lists[1], 'equal lists under one key are one object');
    assert.notEqual(lists[2], lists[0], 'a list that differs in the middle stays apart');
    assert.notEqual(lists[3], lists[0], 'a list under another key stays apart');
    assert.equal(lists[4], lists[5], 'lists of nested values too');
    assert.equal(reporters.json(copies, OPTIONS), before, 'the result prints the same');
    // A second result's lists are made the first one's.
    const again = roundTrip(result, 'again');
    shared.share(again.findings);
    assert.equal((again.findings[0]!.data as Record<string, unknown>).involved, lists[0]);
    // Read in pieces (as a result over WHOLE_RESULT_BYTES is) or whole, the lists are shared as they are read.
    for (const whole of [0, undefined]) {
      const fresh = new SharedLists();
      const read = parseResultBytes(Buffer.from(before), 'r.json', whole, fresh);
      assert.equal((read.findings[0]!.data as Record<string, unknown>).involved, (read.findings[1]!.data as Record<string, unknown>).involved);
      assert.equal(reporters.json(read, OPTIONS), before);
    }
    // Whatever a file holds where data should be, sharing leaves it to the contract's check.
    assert.doesNotThrow(() => new SharedLists().share([null, 1, { data: null }, { data: [[1], [1]] }, { data: { x: 'y' } }] as unknown as Finding[]));
  });

  it('keeps findings apart that differ only in their data, severity or module; copies of one across results count once', () => {
    const x = f('svc/a/go.mod', 3);
    const variants = [x, { ...x, data: { ...x.data, z: 2 } }, { ...x, severity: 'warning' as const }, { ...x, module: 'example.com/other' }];
    const a: CheckResult = { version: 1, root: '/r', findings: variants, summary: countFindings(variants, 1, 0), notices: [] };
    const copies = [{ ...variants[3]! }, { ...x, data: { a: [1, 2], line: 3, z: 1 } }, f('svc/b/go.mod', 1)];
    const b: CheckResult = { version: 1, root: '/r', findings: copies, summary: countFindings(copies, 1, 0), notices: [] };
    const m = mergeResults([roundTrip(a, 'a'), roundTrip(b, 'b')]);
    assert.equal(m.findings.length, 5);
    const whole: CheckResult = { version: 1, root: '/r', findings: [...variants, f('svc/b/go.mod', 1)], summary: countFindings([...variants, f('svc/b/go.mod', 1)], 2, 0), notices: [] };
    assert.equal(reporters.json(m, OPTIONS), reporters.json(whole, OPTIONS));
  });

  it('keeps findings that differ only in isNew apart, and notes differing roots', () => {
    const x = f('svc/a/go.mod', 3);
    const m = mergeResults([
      { version: 1, root: '/a', findings: [{ ...x, isNew: true }], summary: countFindings([x], 1, 0), notices: [] },
      { version: 1, root: '/b', findings: [{ ...x, isNew: false }], summary: countFindings([x], 1, 0), notices: [] },
    ]);
    assert.equal(m.findings.length, 2);
    assert.equal(m.root, '/a');
    assert.deepEqual(m.notices, ['merged results name different roots (/a, /b); paths are relative to each, shown against /a']);
  });

  it('refuses an incomplete, duplicated or mixed set of shards, naming the files', () => {
    const { shards } = scenario(10, 3, (i) => [f(`svc/m${i}/go.mod`, 1)]);
    const names = ['s1.json', 's2.json', 's3.json'];
    const fails = (rs: CheckResult[], ns: string[], re: RegExp) =>
      assert.throws(() => mergeResults(rs, ns), (e: Error) => e instanceof UsageError && re.test(e.message));
    fails([shards[0]!, shards[2]!], ['s1.json', 's3.json'], /^missing shard result 2\/3: a merged result must cover every shard$/);
    fails([shards[0]!], ['s1.json'], /^missing shard results 2\/3, 3\/3/);
    fails([shards[0]!, shards[1]!, shards[2]!, shards[1]!], [...names, 'again.json'], /^s2\.json and again\.json are both shard 2\/3$/);
    fails([shards[0]!, { ...shards[1]!, shard: { index: 2, count: 4 } }, shards[2]!], names, /^s2\.json is shard 2\/4 but s1\.json is shard 1\/3/);
    const { shard: _drop, ...plain } = shards[1]!;
    fails([shards[0]!, plain, shards[2]!], names, /^s2\.json is not a shard result but s1\.json is \(shard 1\/3\)/);
    assert.equal(mergeResults(shards, names).summary.modules, 10);
    // Shards that name their tree must name one: a shard of another repository (or policy) is refused.
    const tree = (r: CheckResult, t: string): CheckResult => ({ ...r, shard: { ...r.shard!, tree: t } });
    fails([tree(shards[0]!, 'aaaa'), tree(shards[1]!, 'bbbb'), tree(shards[2]!, 'aaaa')], names,
      /^s1\.json and s2\.json are shards of different trees \(their modules, anchor\.lock or configuration differ\); merge the results of one sharded run$/);
    assert.equal(mergeResults([tree(shards[0]!, 'aaaa'), tree(shards[1]!, 'aaaa'), tree(shards[2]!, 'aaaa')], names).summary.modules, 10);
  });

  it('merged shards of a real check on a generated monorepo equal the unsharded check', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-shards-'));
    try {
      const gen = await generateMonorepo(dir, { modules: 60, seed: 7, requiresPerModule: 8, graphEdgesPerModule: 60 });
      // A finding outside every module: each shard reports it, the merge must count it once.
      appendFileSync(path.join(dir, 'anchor.lock'), '\nnot-a-directive x\n');
      const load = () => loadRepository({ root: dir, cwd: dir, graphFile: 'graph.txt', env: {} });
      const whole = check(await load());
      assert.ok(whole.findings.length > 10, `the generated repository has findings (${whole.findings.length})`);
      assert.ok(whole.findings.some((x) => x.severity === 'error'));
      const dirs = gen.moduleDirs;
      // Up to twenty shards of three modules: a focus as narrow as PR mode's.
      for (const n of [1, 3, 5, 20]) {
        const shards: CheckResult[] = [];
        for (let k = 1; k <= n; k++) {
          // What `check --shard K/N` does: focus the loaded repository on the shard's modules.
          const repo = await load();
          repo.focus = selectShard(repo.modules.map((m) => m.dir), k, n);
          shards.push({ ...check(repo), shard: { index: k, count: n } });
        }
        assert.equal(shards.reduce((sum, r) => sum + r.summary.modules, 0), dirs.length);
        for (const r of shards) assert.ok(r.findings.some((x) => x.file === 'anchor.lock'), 'every shard reports the anchor.lock error');
        const merged = mergeResults(shards.map((r, i) => roundTrip(r, `shard-${i + 1}.json`)));
        assert.equal(reporters.json(merged, OPTIONS), reporters.json(whole, OPTIONS), `N=${n}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('parseResultJson', () => {
    it('reads what the json reporter writes', () => {
      const { shards } = scenario(5, 1, (i) => [f(`svc/m${i}/go.mod`, 1, { isNew: i % 2 === 0 })]);
      const back = roundTrip(shards[0]!, 'x.json');
      assert.equal(reporters.json(back, OPTIONS), reporters.json(shards[0]!, OPTIONS));
      assert.deepEqual(back.shard, { index: 1, count: 1 });
    });

    it('names the file, line and column of a JSON syntax error', () => {
      assert.throws(() => parseResultJson('{\n  "version": 1,\n  oops\n}', 'shard-2.json'),
        (e: Error) => e instanceof UsageError && /^shard-2\.json: invalid JSON at line 3, column 3: /.test(e.message));
    });

    it('reads a result too large for one string a finding at a time, as it reads one string', () => {
      // parseResultBytes reads results over WHOLE_RESULT_BYTES in pieces; 0 makes every result one.
      const { shards } = scenario(30, 1, (i) => [f(`svc/m${i}/go.mod`, 1 + i, { isNew: i % 2 === 0, message: `é ${i} "quoted" \\ [x] {y}` })]);
      const text = reporters.json(shards[0]!, OPTIONS);
      const inPieces = parseResultBytes(Buffer.from(text), 'big.json', 0);
      assert.deepEqual(inPieces, parseResultJson(text, 'big.json'));
      assert.equal(inPieces.findings.length, 32);
      // Written on one line, with no findings, and with members in another order.
      const raw = JSON.parse(text);
      for (const variant of [JSON.stringify(raw), JSON.stringify({ ...raw, findings: [] }), JSON.stringify({ notices: raw.notices, findings: raw.findings, summary: raw.summary, root: raw.root, version: 1 })]) {
        assert.deepEqual(parseResultBytes(Buffer.from(variant), 'big.json', 0), parseResultJson(variant, 'big.json'));
      }
      // Small results are read whole.
      assert.deepEqual(parseResultBytes(Buffer.from(text), 'small.json'), inPieces);
    });

    it('reads a result from its file as it parses it (a file over WHOLE_RESULT_BYTES), as it reads its bytes', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-result-'));
      try {
        const text = reporters.json(scenario(20, 1, (i) => [f(`svc/m${i}/go.mod`, 1 + i, { message: `é ${i}`, data: { involved: [1, 2, i % 3] } })]).shards[0]!, OPTIONS);
        const file = path.join(dir, 'r.json');
        writeFileSync(file, text);
        for (const chunk of [1, 5, 64, 4096]) {
          const shared = new SharedLists();
          const read = readResultFile(file, 'r.json', shared, 0, chunk);
          assert.deepEqual(read, parseResultJson(text, 'r.json'));
          const lists = read.findings.filter((x) => (x.data as { involved?: number[] }).involved?.[2] === 0).map((x) => (x.data as { involved: number[] }).involved);
          assert.ok(lists.length > 1 && lists.every((l) => l === lists[0]), 'lists shared as they are read');
        }
        // Errors name the line and column as when the bytes are read whole, past what was let go of.
        const broken = `${text.slice(0, text.lastIndexOf('"summary"'))}"summary": {"modules": 1 2}\n}\n`;
        writeFileSync(file, broken);
        let whole: Error | undefined;
        try { parseResultBytes(Buffer.from(broken), 'r.json', 0); } catch (err) { whole = err as Error; }
        assert.match(whole!.message, /^r\.json: invalid JSON at line \d+, column \d+: /);
        for (const chunk of [1, 7, 4096]) assert.throws(() => readResultFile(file, 'r.json', undefined, 0, chunk), (e: Error) => e.message === whole!.message);
        // A folder is the file system's error; a pipe is read whole.
        mkdirSync(path.join(dir, 'd'));
        assert.throws(() => readResultFile(path.join(dir, 'd'), 'd', undefined, 0), (e: NodeJS.ErrnoException) => e.code === 'EISDIR');
        writeFileSync(file, text);
        const fifo = path.join(dir, 'fifo');
        if (spawnSync('mkfifo', [fifo]).status === 0) {
          const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
          assert.deepEqual(readResultFile(fifo, 'fifo', undefined, 0, 7), parseResultJson(text, 'fifo'));
          await new Promise((resolve) => writer.on('close', resolve));
          // Broken input through a pipe names its place, as from a file.
          writeFileSync(file, broken);
          const again = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
          assert.throws(() => readResultFile(fifo, 'r.json', undefined, 0, 7), (e: Error) => e.message === whole!.message);
          await new Promise((resolve) => again.on('close', resolve));
        }
        // A device without end is refused at its first byte, not read to an end it does not have.
        if (existsSync('/dev/zero')) {
          assert.throws(() => readResultFile('/dev/zero', 'zero'), (e: Error) => e instanceof UsageError && /^zero: invalid JSON at line 1, column 1: the file is not a JSON object$/.test(e.message));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a single value over WHOLE_RESULT_BYTES in a file without holding more of it', function () {
      this.timeout(60_000);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-result-'));
      try {
        const head = '{\n  "version": 1,\n  "notices": ["';
        const bytes = Buffer.alloc(WHOLE_RESULT_BYTES + (8 << 20), 'x');
        bytes.write(head, 0);
        bytes.write('"]}', bytes.length - 3);
        const file = path.join(dir, 'huge.json');
        writeFileSync(file, bytes);
        assert.throws(() => readResultFile(file, 'huge.json'),
          (e: Error) => e instanceof UsageError && /^huge\.json: invalid JSON at line 3, column 14: a single value of more than \d+ bytes/.test(e.message));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses, with its position, a single value of a large result longer than a string can be', () => {
      const head = '{\n  "version": 1,\n  "notices": ["';
      const bytes = Buffer.alloc(WHOLE_RESULT_BYTES + 64, 'x');
      bytes.write(head, 0);
      bytes.write('"]}', bytes.length - 3);
      assert.throws(() => parseResultBytes(bytes, 'huge.json'),
        (e: Error) => e instanceof UsageError && /^huge\.json: invalid JSON at line 3, column 14: a single value of \d+ bytes/.test(e.message));
    });

    it('in pieces, accepts what JSON.parse accepts of the whole, and names the line and column of what it does not', () => {
      const text = reporters.json(scenario(3, 1, (i) => [f(`svc/m${i}/go.mod`, 1 + i, { message: `ü${i}` })]).shards[0]!, OPTIONS);
      const edits = fc.array(fc.tuple(fc.nat(text.length), fc.nat(3), fc.constantFrom('', ',', ':', '"', '\\', '{', '}', '[', ']', ' ', '\n', 'x', '1', 'é', 'null')), { maxLength: 3 });
      fc.assert(fc.property(edits, (list) => {
        let t = text;
        for (const [at, cut, insert] of list) t = t.slice(0, at % (t.length + 1)) + insert + t.slice(at % (t.length + 1) + cut);
        let whole: CheckResult | Error;
        try {
          whole = parseResultJson(t, 'r.json');
        } catch (err) {
          whole = err as Error;
        }
        let pieces: CheckResult | Error;
        try {
          pieces = parseResultBytes(Buffer.from(t), 'r.json', 0);
        } catch (err) {
          pieces = err as Error;
        }
        // Read a few bytes at a time (as from a file, letting go of what is read), the same result or the same error.
        for (const chunk of [1, 3, 17]) {
          let streamed: CheckResult | Error;
          try {
            streamed = parseResultBytes(Buffer.from(t), 'r.json', 0, undefined, chunk);
          } catch (err) {
            streamed = err as Error;
          }
          if (pieces instanceof Error) assert.equal((streamed as Error).message, pieces.message, `chunk ${chunk}: ${JSON.stringify(t)}`);
          else assert.deepEqual(streamed, pieces);
        }
        if (whole instanceof Error) {
          assert.ok(pieces instanceof UsageError, `pieces read what the whole text does not: ${JSON.stringify(t)}`);
          assert.match(pieces.message, /^r\.json: (invalid JSON at line \d+, column \d+|not a modguard JSON result)/);
        } else {
          assert.deepEqual(pieces, whole);
        }
      }), { numRuns: 1500 });
      assert.throws(() => parseResultBytes(Buffer.from('{\n  "version": 1,\n  oops\n}'), 'shard-2.json', 0),
        (e: Error) => e instanceof UsageError && /^shard-2\.json: invalid JSON at line 3, column 3: /.test(e.message));
      // Broken at the ends of the structure the pieces are cut at: both readers refuse each.
      const good = JSON.stringify(JSON.parse(text));
      for (const bad of [good + 'x', good + '}', `\ufeff${good}`, good.replace('"findings":[', '"findings":[,'), good.replace('],"summary"', ',],"summary"'),
        good.replace(',"root"', '"root"'), good.replace('"root":', '"root"'), good.slice(0, good.indexOf('"summary"') - 1), good.replace('"version":1', '"version":1 2')]) {
        assert.notEqual(bad, good);
        assert.throws(() => parseResultJson(bad, 'b.json'), UsageError, bad);
        assert.throws(() => parseResultBytes(Buffer.from(bad), 'b.json', 0), (e: Error) => e instanceof UsageError && /^b\.json: invalid JSON at line 1, column \d+: /.test(e.message), bad);
      }
      const broken = '{\n  "findings": [\n    {"rule": "x"},\n    {"rule": tru}\n  ]\n}';
      for (const read of [() => parseResultBytes(Buffer.from(broken), 'f.json', 0), () => parseResultJson(broken, 'f.json')]) {
        assert.throws(read, (e: Error) => e instanceof UsageError && /^f\.json: invalid JSON at line 4, column 17: /.test(e.message));
      }
    });

    it('names the file and the path of a value that does not fit the contract', () => {
      const good = JSON.parse(reporters.json(scenario(2, 1, (i) => [f(`svc/m${i}/go.mod`, 1)]).shards[0]!, OPTIONS));
      const bad = structuredClone(good);
      bad.findings[1].line = 'x';
      bad.findings[0].severity = 'fatal';
      assert.throws(() => parseResultJson(JSON.stringify(bad), 'out/s.json'),
        (e: Error) => e instanceof UsageError && /^out\/s\.json: not a modguard JSON result \(version 1\): findings\[0\]\.severity: .*; findings\[1\]\.line: /.test(e.message));
      assert.throws(() => parseResultJson(JSON.stringify({ ...good, version: 2 }), 'v2.json'), /^UsageError: v2\.json: not a modguard JSON result \(version 1\): version: /);
      assert.throws(() => parseResultJson('[]', 'a.json'), /^UsageError: a\.json: not a modguard JSON result \(version 1\): \(top level\): /);
    });
  });
});
