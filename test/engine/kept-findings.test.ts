// Findings a full check keeps of its commit, and PR mode taking the base's findings from them
// instead of checking the base again: only when they stand for that check, and with the result a
// check of the base gives.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, readFileSync, readdirSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  KEPT_COMMITS, KEPT_FINDINGS_TOOL, conditionsOf, decodeKeptFindings, findingsIn, isDated, keptFindingsApply,
  keptBlobIds, keptFindingsFile, readKeptFindings, saveKeptFindings, type KeptFindings,
} from '../../src/engine/kept-findings.ts';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { rules } from '../../rules/index.ts';
import type { Finding } from '../../src/engine/types.ts';
import { runCli } from '../support/run-cli.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';

function finding(rule: string, file: string, dependency: string): Finding {
  return { rule, severity: 'error', file, line: 1, column: 1, messageId: 'm', message: 'x', module: '', dependency, data: {} };
}

const COMMIT = 'a'.repeat(40);

/** sealed is a findings file of the lines after the digest line, with their digest (as saveKeptFindings writes). */
function sealed(rest: string, tool = KEPT_FINDINGS_TOOL): string {
  return `${tool}\n${createHash('sha256').update(rest, 'utf8').digest('hex')}\n${rest}`;
}

describe('engine/kept-findings: the findings of a full check kept for PR mode', () => {
  let dir: string;
  let pack: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'modguard-kept-'));
    pack = path.join(dir, 'facts-0123.pack');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back each file\'s findings, counted by rule and dependency, and only those of the files asked for', async () => {
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, [
      finding('r1', 'a/go.mod', 'x'), finding('r1', 'a/go.mod', 'x'), finding('r2', 'a/go.mod', ''),
      finding('r1', 'b/go.sum', 'y'),
    ]);
    const kept = await readKeptFindings(pack, COMMIT);
    assert.ok(kept);
    assert.equal(kept.conditions, 'c1');
    assert.equal(kept.today, '2026-12-03');
    assert.equal(kept.dated, false);
    const key = (f: { rule: string; file: string; dependency: string }) => `${f.rule} ${f.file} ${f.dependency}`;
    assert.deepEqual(findingsIn(kept, ['a/go.mod', 'a/go.mod'])!.map(key), ['r1 a/go.mod x', 'r1 a/go.mod x', 'r2 a/go.mod ']);
    assert.deepEqual(findingsIn(kept, ['b/go.sum', 'c/go.mod'])!.map(key), ['r1 b/go.sum y']);
    assert.equal(await readKeptFindings(pack, 'b'.repeat(40)), undefined, 'another commit has none');
  });

  it('ignores a file of another format, another commit or a damaged one, and the lines of a file that are not well formed', async () => {
    const file = keptFindingsFile(pack, COMMIT);
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, [finding('r1', 'a/go.mod', 'x')]);
    const whole = readFileSync(file, 'utf8');
    const [tool, , header, ...lines] = whole.split('\n');
    assert.equal(tool, KEPT_FINDINGS_TOOL);
    assert.equal(sealed([header, ...lines].join('\n')), whole, 'the digest of the rest follows the format\'s line');
    assert.deepEqual(lines, ['null', '["a/go.mod",[["r1","x",1]]]', '']);
    const meta = JSON.parse(header!) as Record<string, unknown>;
    const withHeader = (h: unknown) => sealed([JSON.stringify(h), ...lines].join('\n'));
    for (const bad of [
      sealed([header, ...lines].join('\n'), 'modguard findings 0'), withHeader({ ...meta, commit: 'b'.repeat(40) }),
      withHeader({ ...meta, dated: 'no' }), withHeader(null), withHeader(7), sealed('{'), sealed(header!), sealed(whole.split('\n').slice(2).join('\n').slice(0, -1)), '', tool!,
      // Damaged since it was written, each line still well formed: the digest no longer matches.
      whole.replace('"r1","x",1', '"r1","x",2'), whole.replace('"r1","x",1', '"r1","y",1'), whole.replace(/\n[0-9a-f]{64}\n/, `\n${'0'.repeat(64)}\n`),
      whole.slice(0, -1),
    ]) {
      writeFileSync(file, bad);
      assert.equal(await readKeptFindings(pack, COMMIT), undefined, bad);
    }
    const body = (entries: string[]) => decodeKeptFindings(sealed([header, 'null', ...entries, ''].join('\n')), COMMIT)!;
    for (const line of ['["a/go.mod",[["r1","x"]]]', '["a/go.mod",[["r1","x",0]]]', '["a/go.mod",[["r1","x",1.5]]]', '["a/go.mod",[["r1",7,1]]]', '["a/go.mod",[["r1","x",1]]', '["a/go.mod",{}]', '["a/go.mod",[],1]']) {
      const kept = body([line, '["b/go.mod",[["r","",1]]]']);
      assert.equal(findingsIn(kept, ['a/go.mod']), undefined, line);
      assert.equal(findingsIn(kept, ['b/go.mod'])!.length, 1, 'the other files stay readable');
    }
    // Names that need escaping are found as written.
    const odd = 'a "q"\\t/go.mod';
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, [finding('r1', odd, 'x'), finding('r1', 'a', 'y'), finding('r1', 'ünï/gö.mod', 'z'), finding('r1', 'a/go.mod', 'w')]);
    const oddKept = (await readKeptFindings(pack, COMMIT))!;
    assert.deepEqual(findingsIn(oddKept, [odd, 'a', 'ünï/gö.mod', 'a/go'])!.map((f) => f.dependency), ['x', 'y', 'z']);
    assert.deepEqual(findingsIn(oddKept, ['a/go.mod'])!.map((f) => f.dependency), ['w']);
  });

  it('keeps the commit\'s blob ids, given back only for the names they were listed by, and never from a damaged listing', async () => {
    const names = ['go.mod', 'go.sum', 'graph.txt', 'anchor.lock'];
    const blobs = new Map([['a/go.mod', 'b'.repeat(40)], ['a "q"\t/go.sum', 'c'.repeat(64)], ['anchor.lock', 'd'.repeat(40)]]);
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, [finding('r1', 'a/go.mod', 'x')], { names, blobs });
    const kept = (await readKeptFindings(pack, COMMIT))!;
    assert.deepEqual(keptBlobIds(kept, names), blobs);
    assert.equal(findingsIn(kept, ['a/go.mod'])!.length, 1, 'the findings read as without a listing');
    assert.equal(keptBlobIds(kept, names.slice(0, 3)), undefined, 'listed by other names');
    assert.equal(keptBlobIds(kept, [...names.slice(0, 3), 'anchors.lock']), undefined, 'listed by other names');
    // None kept: a check without a listing.
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, []);
    assert.equal(keptBlobIds((await readKeptFindings(pack, COMMIT))!, names), undefined);
    const file = keptFindingsFile(pack, COMMIT);
    await saveKeptFindings(pack, COMMIT, 'c1', '2026-12-03', false, [], { names, blobs });
    const [, , header, , ...rest] = readFileSync(file, 'utf8').split('\n');
    const id = 'b'.repeat(40);
    for (const bad of ['{"listing":["a/go.mod"]}', '{"listing":["a/go.mod","xyz"]}', '{"listing":["a/go.mod",7]}', `{"listing":["","${id}"]}`, `{"listing":[1,"${id}"]}`,
      '{}', '[]', `["a/go.mod","${id}"]`, '{"listing":{}}', '{', '"a"', '7', `{"listing":["a/go.mod","${'B'.repeat(40)}"]}`, `{"listing":["a/go.mod","${id}b"]}`]) {
      writeFileSync(file, sealed([header, bad, ...rest].join('\n')));
      const damaged = await readKeptFindings(pack, COMMIT);
      assert.ok(damaged, 'the findings stay readable');
      assert.equal(keptBlobIds(damaged, names), undefined, bad);
    }
  });

  it(`keeps the ${KEPT_COMMITS} newest commits' findings of a repository, and those of other repositories`, async () => {
    const other = path.join(dir, 'facts-4567.pack');
    await saveKeptFindings(other, COMMIT, 'c', '2026-12-03', false, []);
    for (let i = 0; i < KEPT_COMMITS + 3; i++) {
      const commit = String(i).padStart(40, '0');
      await saveKeptFindings(pack, commit, 'c', '2026-12-03', false, []);
      // Written one second apart, in order.
      const t = new Date(Date.UTC(2026, 11, 3, 0, 0, i));
      utimesSync(keptFindingsFile(pack, commit), t, t);
    }
    const left = readdirSync(dir).filter((n) => n.startsWith('facts-0123.')).sort();
    assert.deepEqual(left, Array.from({ length: KEPT_COMMITS }, (_, i) => path.basename(keptFindingsFile(pack, String(i + 3).padStart(40, '0')))));
    assert.ok(readdirSync(dir).includes(path.basename(keptFindingsFile(other, COMMIT))));
  });

  it('stand for a check with the same conditions, on any day unless a suppression has a date', () => {
    const kept: KeptFindings = { commit: COMMIT, conditions: 'c1', today: '2026-12-03', dated: false, lines: new Uint8Array(0) };
    assert.ok(keptFindingsApply(kept, 'c1', '2026-12-03'));
    assert.ok(keptFindingsApply(kept, 'c1', '2026-12-04'));
    assert.ok(!keptFindingsApply(kept, 'c2', '2026-12-03'));
    assert.ok(keptFindingsApply({ ...kept, dated: true }, 'c1', '2026-12-03'));
    assert.ok(!keptFindingsApply({ ...kept, dated: true }, 'c1', '2026-12-04'));
  });

  it('digest the configuration, the input names and the rules into the conditions, and see dated suppressions', () => {
    const files = new Map([
      ['a/go.mod', 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.1.0 // modguard:ignore version-divergence legacy\n'],
    ]);
    const repo = assembleRepository({ root: '/r', files });
    repo.sources = { anchorsFile: 'anchor.lock' };
    const base = conditionsOf(repo, rules);
    assert.equal(conditionsOf(assembleRepository({ root: '/r', files }), rules) === base, false, 'the input names count');
    assert.equal(conditionsOf({ ...repo }, rules), base, 'the same inputs give the same digest');
    assert.notEqual(conditionsOf({ ...repo, sources: { anchorsFile: 'anchor.lock', graphFile: 'graph.txt' } }, rules), base);
    assert.notEqual(conditionsOf({ ...repo, config: { ...repo.config, rules: { 'version-divergence': { severity: 'off' } } } }, rules), base);
    assert.notEqual(conditionsOf(repo, rules.slice(1)), base);
    assert.equal(isDated(repo), false);
    const dated = assembleRepository({ root: '/r', files: new Map([['a/go.mod', files.get('a/go.mod')!.replace('legacy', 'legacy until=2027-01-01')]]) });
    assert.equal(isDated(dated), true);
  });
});

/** A monorepo whose base has findings: a and b require two commits of one dependency. */
const MONO: Record<string, string> = {
  'a/go.mod': 'module example.com/mono/a\n\ngo 1.22\n\nrequire github.com/x/y v0.0.0-20240101000000-aaaaaaaaaaaa\n',
  'b/go.mod': 'module example.com/mono/b\n\ngo 1.22\n\nrequire github.com/x/y v0.0.0-20240202000000-bbbbbbbbbbbb\n',
  'c/go.mod': 'module example.com/mono/c\n\ngo 1.22\n\nrequire golang.org/x/net v0.1.0\n',
};

async function pr(dir: string, cache: string | false, extra: readonly string[] = []) {
  const r = await runCli(['--debug', 'check', '--base', 'main', '--format', 'json', ...extra, ...(cache === false ? ['--no-cache'] : ['--cache-dir', cache])], dir, { MODGUARD_CACHE_DIR: '' });
  return { json: r.stdout, stderr: r.stderr, code: r.code };
}

const KEPT_LINE = /the base's findings: those a full check kept of [0-9a-f]{12}, not checked again/;
const KEPT_BLOBS = /the merge base's blob ids: those a full check kept with its findings/;
const GIT_BLOBS = /the merge base's blob ids: listed by git/;

/** editKept rewrites a findings file: its header's fields and its finding lines. */
function editKept(file: string, edit: (header: Record<string, unknown>, lines: string[]) => string[]): void {
  const [, , header, ...lines] = readFileSync(file, 'utf8').split('\n');
  const h = JSON.parse(header!) as Record<string, unknown>;
  const body = edit(h, lines.filter((l) => l !== ''));
  writeFileSync(file, sealed([JSON.stringify(h), ...body, ''].join('\n')));
}

/** resealed is a findings file edited after it was written, with the digest of its lines as they are now. */
function resealed(text: string): string {
  return sealed(text.split('\n').slice(2).join('\n'));
}

describe('engine/kept-findings: PR mode judges a change by the findings a full check kept of its merge base', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let cacheDir: string;
  beforeEach(() => {
    repo = tempGitRepo('modguard-kept-');
    cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-kept-cache-'));
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const full = async (extra: readonly string[] = []) =>
    (await runCli(['--debug', 'check', '--format', 'json', '--cache-dir', cacheDir, ...extra], repo.dir, { MODGUARD_CACHE_DIR: '' })).stderr;
  const keptFile = () => readdirSync(cacheDir).find((n) => n.endsWith('.findings'));

  it('uses them for a change on that commit: the same result as checking the base, and what they say is what counts', async () => {
    repo.write(MONO);
    const commit = repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a/go.mod': `${MONO['a/go.mod']}\n` });
    // Before any full check: none kept.
    assert.match((await pr(repo.dir, cacheDir)).stderr, /the base's findings: checked \(none kept of the merge base/);
    repo.git('checkout', '-q', '--', '.');
    assert.match(await full(), new RegExp(`findings kept for ${commit.slice(0, 12)}`));
    // a keeps its old conflict and gains a new requirement; a new module d brings a new conflict.
    repo.write({
      'a/go.mod': `${MONO['a/go.mod']}\nrequire golang.org/x/text v0.3.0\n`,
      'd/go.mod': 'module example.com/mono/d\n\ngo 1.22\n\nrequire github.com/x/y v0.0.0-20240303000000-dddddddddddd\n',
    });
    const plain = await pr(repo.dir, false);
    const kept = await pr(repo.dir, cacheDir);
    assert.match(kept.stderr, KEPT_LINE, kept.stderr);
    // The merge base's tree is not listed: the full check kept its blob ids.
    assert.match(kept.stderr, KEPT_BLOBS, kept.stderr);
    assert.equal(kept.json, plain.json);
    assert.equal(kept.code, plain.code);
    const isNew = (json: string) => (JSON.parse(json) as { findings: Array<{ file: string; rule: string; isNew: boolean }> }).findings
      .filter((f) => f.rule === 'pseudo-version-conflict').map((f) => `${f.file} ${f.isNew}`);
    assert.deepEqual(isNew(plain.json), ['a/go.mod false', 'd/go.mod true']);

    const file = path.join(cacheDir, keptFile()!);
    const saved = readFileSync(file, 'utf8');
    // A damaged listing, or one with a blob id that is not the commit's: git lists the tree again,
    // or the file whose blob is wrong is read, not taken from facts; the result is the same.
    const listingLine = saved.split('\n')[3]!;
    assert.match(listingLine, /^\{"listing":\["a\/go\.mod","[0-9a-f]{40}/);
    const wrongB = listingLine.replace(/("b\/go\.mod",")[0-9a-f]{40}/, `$1${'f'.repeat(40)}`);
    assert.notEqual(wrongB, listingLine);
    for (const line of ['{"listing":["a/go.mod"]}', wrongB]) {
      writeFileSync(file, resealed(saved.replace(listingLine, line)));
      const other = await pr(repo.dir, cacheDir);
      assert.match(other.stderr, line.length < 30 ? GIT_BLOBS : KEPT_BLOBS, other.stderr);
      assert.equal(other.json, plain.json);
    }
    writeFileSync(file, saved);

    // Damaged since it was written (a count changed, every line still well formed): the file's
    // digest no longer matches, so it is not read, and the base is checked.
    const recount = saved.replace(/(\["pseudo-version-conflict","github\.com\/x\/y",)1\]/, '$12]');
    assert.notEqual(recount, saved);
    writeFileSync(file, recount);
    const stale = await pr(repo.dir, cacheDir);
    assert.doesNotMatch(stale.stderr, KEPT_LINE);
    assert.match(stale.stderr, /the base's findings: checked \(none kept of the merge base that this modguard can read \(.*damaged since, are not read\)\)/);
    assert.equal(stale.json, plain.json);
    writeFileSync(file, saved);

    // Kept findings that leave out a's conflict make it new: the run reads them, not the base.
    editKept(file, (_, lines) => lines.filter((l) => !l.startsWith('["a/go.mod",')));
    assert.notEqual(readFileSync(file, 'utf8'), saved);
    assert.deepEqual(isNew((await pr(repo.dir, cacheDir)).json), ['a/go.mod true', 'd/go.mod true']);

    // A line of a file the change reports on that is not well formed: the base is checked instead.
    writeFileSync(file, resealed(saved.replace(/(\["a\/go\.mod",\[.*\["pseudo-version-conflict","github\.com\/x\/y",)1\]/, '$1-1]')));
    assert.notEqual(readFileSync(file, 'utf8'), saved);
    const damaged = await pr(repo.dir, cacheDir);
    assert.doesNotMatch(damaged.stderr, KEPT_LINE);
    assert.match(damaged.stderr, /the base's findings: checked \(a line of those kept of the merge base is damaged\)/);
    assert.equal(damaged.json, plain.json);
  });

  it('uses them for a change of the anchors too, which checks every module; not for a change of the configuration', async () => {
    // b and c are pinned; a has an old pseudo-version conflict with b.
    const lock = (net: string) => `go 1.22\nanchor golang.org/x/net ${net}\n`;
    repo.write({ ...MONO, 'anchor.lock': lock('v0.1.0') });
    repo.commit('base');
    assert.match(await full(), /findings kept for/);
    repo.git('checkout', '-q', '-b', 'feature');
    // The pin moves: c now mismatches it (new), a's conflict is old.
    repo.write({ 'anchor.lock': lock('v0.2.0') });
    const plain = await pr(repo.dir, false);
    const kept = await pr(repo.dir, cacheDir);
    assert.match((JSON.parse(plain.json) as { notices: string[] }).notices[0]!, /anchor\.lock changed: all 3 modules checked/);
    assert.match(kept.stderr, KEPT_LINE, kept.stderr);
    assert.equal(kept.json, plain.json);
    const found = (JSON.parse(kept.json) as { findings: Array<{ rule: string; file: string; isNew: boolean }> }).findings.map((f) => `${f.rule} ${f.file} ${f.isNew}`);
    assert.ok(found.includes('anchor-mismatch c/go.mod true') && found.includes('pseudo-version-conflict a/go.mod false'), found.join('\n'));
    // A configuration that changes: the base is checked (under the head's configuration).
    repo.write({ 'modguard.json': '{"rules": {"version-divergence": {"severity": "off"}}}\n' });
    const configured = await pr(repo.dir, cacheDir);
    assert.doesNotMatch(configured.stderr, KEPT_LINE);
    assert.equal(configured.json, (await pr(repo.dir, false)).json);
  });

  it('does not use them under other conditions, or of another day when a suppression has a date', async () => {
    repo.write({ ...MONO, 'c/go.mod': MONO['c/go.mod']!.replace('v0.1.0', 'v0.1.0 // modguard:ignore version-divergence legacy until=2099-01-01') });
    repo.commit('base');
    await full();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a/go.mod': `${MONO['a/go.mod']}\nrequire golang.org/x/text v0.3.0\n` });
    assert.match((await pr(repo.dir, cacheDir)).stderr, KEPT_LINE);
    // Another input name: the graph files would be read (and their blob ids were not listed).
    const other = await pr(repo.dir, cacheDir, ['--graph-file', 'graph.txt']);
    assert.doesNotMatch(other.stderr, KEPT_LINE);
    assert.match(other.stderr, GIT_BLOBS);
    assert.match(other.stderr, /checked \(those kept of the merge base are of another modguard version, configuration or input file names\)/);
    assert.equal(other.json, (await pr(repo.dir, false, ['--graph-file', 'graph.txt'])).json);
    // Kept on another day, with a dated suppression in the repository.
    const file = path.join(cacheDir, keptFile()!);
    assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[2]!).dated, true);
    editKept(file, (h, lines) => { h.today = '2000-01-01'; return lines; });
    const otherDay = (await pr(repo.dir, cacheDir)).stderr;
    assert.doesNotMatch(otherDay, KEPT_LINE);
    assert.match(otherDay, /checked \(those kept of the merge base are of 2000-01-01, and a suppression's date can make \d{4}-\d\d-\d\d differ\)/);
    editKept(file, (h, lines) => { h.dated = false; return lines; });
    assert.match((await pr(repo.dir, cacheDir)).stderr, KEPT_LINE);
  });

  it('a full check keeps none when a file it reads differs from HEAD or is untracked', async () => {
    repo.write(MONO);
    repo.commit('base');
    repo.write({ 'b/go.mod': `${MONO['b/go.mod']}\n` });
    assert.match(await full(), /findings not kept: 1 file differs from HEAD \(b\/go\.mod\)/);
    repo.git('checkout', '-q', '--', '.');
    repo.write({ 'e/go.sum': '' });
    assert.match(await full(), /findings not kept: 1 file differs from HEAD \(e\/go\.sum\)/);
    assert.equal(keptFile(), undefined);
    // A file modguard does not read changes nothing.
    repo.write({ 'e/go.sum': null, 'README.md': 'x' });
    assert.match(await full(), /findings kept for/);
    assert.ok(keptFile());
  });

  it('says, without --debug, when a cache directory it was given cannot be written; the exit code is the check\'s', async () => {
    repo.write(MONO);
    repo.commit('base');
    const blocked = path.join(cacheDir, 'a-file');
    writeFileSync(blocked, 'not a directory');
    const quiet = await runCli(['check', '--cache-dir', cacheDir], repo.dir, { MODGUARD_CACHE_DIR: '' });
    assert.doesNotMatch(quiet.stderr, /nothing kept/);
    const named = await runCli(['check', '--cache-dir', blocked], repo.dir, { MODGUARD_CACHE_DIR: '' });
    assert.equal(named.code, quiet.code);
    assert.match(named.stderr, new RegExp(`^modguard: --cache-dir ${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: nothing kept there \\(ENOTDIR[^)]*\\); PR mode and shards reading it will read every file$`, 'm'));
    const fromEnv = await runCli(['check'], repo.dir, { MODGUARD_CACHE_DIR: blocked });
    assert.match(fromEnv.stderr, /^modguard: MODGUARD_CACHE_DIR=.*a-file: nothing kept there \(ENOTDIR/m);
    // PR mode too.
    repo.write({ 'a/go.mod': `${MONO['a/go.mod']}\n` });
    assert.match((await runCli(['check', '--base', 'HEAD', '--cache-dir', blocked], repo.dir, { MODGUARD_CACHE_DIR: '' })).stderr, /nothing kept there \(ENOTDIR/);
  });

  it('a full check keeps none when it read a file git ignores', async () => {
    repo.write({ ...MONO, '.gitignore': 'graph.txt\n' });
    repo.commit('base');
    // A graph file made by the job: read by the check, but not in the commit.
    repo.write({ 'a/graph.txt': 'example.com/mono/a github.com/x/y@v0.0.0-20240101000000-aaaaaaaaaaaa\n' });
    assert.match(await full(['--graph-file', 'graph.txt']), /findings not kept: a\/graph\.txt is not in HEAD's commit/);
    assert.equal(keptFile(), undefined);
    assert.match(await full(), /findings kept for/, 'without --graph-file it is not read');
  });
});
