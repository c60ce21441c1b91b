// Facts kept between runs (PR mode): the pack round trip, damaged packs, and PR results with a
// cold and a warm pack equal to those without one, over generated monorepos in git.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pack, PackWriter, decodePack, FACTS_TOOL, FactsSession, liteModule, readPack, sealPackHeader, usesDefaultCache, defaultCacheDir, writePackStreamed } from '../../src/engine/facts.ts';
import { hasSuppressionMark } from '../../src/engine/suppress.ts';
import { RequireTally } from '../../src/engine/tally.ts';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { SumTable } from '../../src/gosum/parse.ts';
import { DISAGREE, SUM_STRIDE } from '../../src/gosum/table.ts';
import type { ModuleInfo } from '../../src/engine/types.ts';
import { readTokens } from '../../src/gomod/syntax.ts';
import type { Line } from '../../src/gomod/types.ts';
import { runCli } from '../support/run-cli.ts';
import { mulberry32 } from '../../src/util/prng.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';
import { CORPUS, corpusFiles, hasShared } from '../conformance/shared.ts';

const h = (seed: number) => `h1:${Buffer.from(String(seed).padStart(32, 'x')).toString('base64').slice(0, 43)}=`;

const GO_MOD = `module example.com/m/a

go 1.22

toolchain go1.22.4

require (
\tgithub.com/x/y v1.2.3
\tgolang.org/x/net v0.0.0-20240101000000-abcdefabcdef // indirect
\t"github.com/q/r/v2" v2.0.0
)

require example.com/m/b v0.0.0-00010101000000-000000000000

replace example.com/m/b => ../b

replace (
\tgithub.com/x/y v1.2.3 => github.com/fork/y v1.2.4
)
`;

function args(line: Line) {
  const tokens = readTokens(line);
  return line.inBlock ? tokens : tokens.slice(1);
}

function packOf(modules: ModuleInfo[]): Pack {
  const w = new PackWriter();
  modules.forEach((m, i) => {
    assert.ok(w.addMod(`mod${i}`, m, hasSuppressionMark(m.text)));
    if (m.sum) assert.ok(w.addSum(`sum${i}`, m));
  });
  const pack = decodePack(w.bytes(FACTS_TOOL), FACTS_TOOL);
  assert.ok(pack);
  return pack;
}

/** headerOf reads a pack's JSON header (PackWriter.parts' third part, before its digest). */
function headerOf(header: Buffer): Record<string, unknown> {
  return JSON.parse(header.toString('utf8').split('\n')[0]!) as Record<string, unknown>;
}

/** packBytes lays out a pack from a header and numbers, as PackWriter.parts does (digest and all), for damaged headers. */
function packBytes(header: object, numbers: Buffer): Buffer {
  const text = sealPackHeader(header, numbers);
  const prefix = Buffer.alloc(16);
  prefix.write('MGFACTS\n', 0, 'latin1');
  prefix.writeUInt32LE(text.length, 8);
  prefix.writeUInt32LE(numbers.length / 4, 12);
  return Buffer.concat([prefix, numbers, text]);
}

/** smallRepo is n modules requiring x/net at one of three versions, each with a go.sum of two lines. */
/**
 * tallyPack writes the go.mod records of a repository of the given files (modules a, b, c, in that
 * order) with a tally of all their requirements, as a full check keeps them.
 */
function tallyPack(files: Map<string, string>): { three: ReturnType<typeof assembleRepository>; whole: RequireTally; numbers: Buffer; head: Buffer } {
  const three = assembleRepository({ root: '/r', files });
  const w = new PackWriter();
  const whole = new RequireTally();
  three.modules.forEach((m, i) => { assert.ok(w.addMod(`mod${i}`, m, false)); whole.addModule(m.modulePath, m.mod!, 1); });
  w.setTally(whole, ['a', 'b', 'c'], ['mod0', 'mod1', 'mod2']);
  const [, numbers, head] = w.parts(FACTS_TOOL);
  return { three, whole, numbers, head };
}

function smallRepo(root: string, n: number): { files: Map<string, string>; repo: ReturnType<typeof assembleRepository> } {
  const files = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    files.set(`m${i}/go.mod`, `module example.com/m/m${i}\n\ngo 1.22\n\nrequire golang.org/x/net v0.${i % 3}.0\n`);
    files.set(`m${i}/go.sum`, `golang.org/x/net v0.${i % 3}.0 ${h(i % 3)}\nexample.com/z v1.${i}.0 ${h(i)}\n`);
  }
  return { files, repo: assembleRepository({ root, files }) };
}

/** savedLayout fills a pack as FactsSession.save lays it out: the go.mod records (blobs `${tag}mod${i}`), then the go.sum ones together, then what their lines agree on. */
function savedLayout(repo: ReturnType<typeof assembleRepository>, tag = ''): (w: PackWriter) => boolean {
  return (w) => {
    repo.modules.forEach((m, i) => w.addMod(`${tag}mod${i}`, m, false));
    repo.modules.forEach((m, i) => w.addSum(`sum${i}`, m));
    w.agreeSums();
    return true;
  };
}

/**
 * attachThroughSession has a session attach module m<i>'s go.sum (its file written under dir) from
 * `pack`, as PR mode does, and gives the module and the session.
 */
function attachThroughSession(pack: Pack | undefined, dir: string, packFile: string, files: ReadonlyMap<string, string>, i: number): { module: ModuleInfo; session: FactsSession } {
  mkdirSync(path.join(dir, `m${i}`), { recursive: true });
  writeFileSync(path.join(dir, `m${i}`, 'go.sum'), files.get(`m${i}/go.sum`)!);
  const session = new FactsSession(pack, new Map([[`m${i}/go.sum`, `sum${i}`]]), new Set(), dir, packFile);
  const module = { dir: `m${i}`, goModFile: `m${i}/go.mod`, modulePath: `example.com/m/m${i}`, text: '', errors: [] } as ModuleInfo;
  session.attachSums([module], () => `m${i}/go.sum`, session.sumTable()!);
  return { module, session };
}

describe('engine/facts: the facts of unchanged files kept between runs', () => {
  const sumText = `github.com/x/y v1.2.3 ${h(1)}\ngithub.com/x/y v1.2.3/go.mod ${h(2)}\n\n golang.org/x/net v0.1.0  ${h(3)}\n`;
  const repo = assembleRepository({ root: '/r', files: new Map([['a/go.mod', GO_MOD], ['a/go.sum', sumText]]) });
  const parsed = repo.modules[0]!;

  it('gives back what the whole-repository rules read of a go.mod: paths, versions, flags and token places', () => {
    const pack = packOf([parsed]);
    const facts = pack.mod('mod0', 'a/go.mod')!;
    const lite = liteModule('a/go.mod', 'a', facts, '/nowhere');
    const a = parsed.mod!;
    const b = lite.mod!;
    assert.equal(lite.modulePath, 'example.com/m/a');
    assert.equal(b.go?.version, '1.22');
    assert.equal(b.toolchain?.name, 'go1.22.4');
    assert.equal(b.go?.syntax.start.line, a.go?.syntax.start.line);
    assert.deepEqual(b.require.map((r) => [r.mod.path, r.mod.version, r.indirect]), a.require.map((r) => [r.mod.path, r.mod.version, r.indirect]));
    for (let i = 0; i < a.require.length; i++) {
      const [pa, va] = args(a.require[i]!.syntax);
      const [pb, vb] = args(b.require[i]!.syntax);
      assert.deepEqual(pb!.start, pa!.start, `path token of requirement ${i}`);
      assert.deepEqual(vb!.start, va!.start, `version token of requirement ${i}`);
    }
    assert.deepEqual(b.replace.map((r) => [r.old.path, r.old.version, r.new.path, r.new.version]), a.replace.map((r) => [r.old.path, r.old.version, r.new.path, r.new.version]));
    for (let i = 0; i < a.replace.length; i++) {
      const ta = args(a.replace[i]!.syntax);
      const tb = args(b.replace[i]!.syntax);
      assert.deepEqual(tb[0]!.start, ta[0]!.start);
      const target = (t: typeof ta) => t[t.findIndex((x) => x.text === '=>') + 1]!.start;
      assert.deepEqual(target(tb), target(ta));
    }
    // The same path@version value as a parse gives, so identity-keyed look-ups agree.
    assert.equal(b.require[0]!.mod, a.require[0]!.mod);
    assert.equal(lite.suppressionMark, false);
  });

  it('gives back a go.sum as the same entries and hash columns: the pack\'s numbers in its own table, without a copy, checked', () => {
    const other = assembleRepository({ root: '/r', files: new Map([['b/go.mod', 'module example.com/m/b\n'], ['b/go.sum', `golang.org/x/net v0.1.0 ${h(3)}\nexample.com/z v1.0.0 ${h(9)}\n`]]) }).modules[0]!;
    const pack = packOf([parsed, other]);
    const table = pack.seededTable();
    assert.equal(pack.seededTable(), table, 'one table per pack');
    const cols = (d: Uint32Array) => Array.from({ length: d.length / SUM_STRIDE }, (_, i) => d[i * SUM_STRIDE + 3]);
    for (const [blob, m] of [['sum0', parsed], ['sum1', other]] as const) {
      const sum = pack.sum(blob, `${m.dir}/go.sum`)!;
      assert.deepEqual(sum.entries.map((e) => ({ ...e })), m.sum!.entries.map((e) => ({ ...e })));
      assert.deepEqual(cols(sum.compact!.data), cols(m.sum!.compact!.data));
      assert.equal(sum.compact!.table, table);
      // The pack's numbers where they lie.
      assert.equal(sum.compact!.data.buffer, pack.data.buffer);
    }
    // A key the two files share has one number.
    assert.equal(table.keys.filter((k) => k === 'golang.org/x/net v0.1.0').length, 1);
    // A line naming a key the pack does not have: the record is refused, not read wrong.
    const at = pack.sums.get('sum1')!;
    pack.data[at + 1] = pack.sumKeys.length;
    assert.throws(() => pack.sum('sum1', 'b/go.sum'), /out of range/);
  });

  it('keeps what the go.sum lines agree on, and the lines of the keys they disagree on; reads neither when damaged', () => {
    const sumOf = (dir: string, text: string) => assembleRepository({ root: '/r', files: new Map([[`${dir}/go.mod`, `module example.com/m/${dir}\n`], [`${dir}/go.sum`, text]]) }).modules[0]!;
    const modules = [
      sumOf('a', `golang.org/x/net v0.1.0 ${h(1)}\nexample.com/z v1.0.0 ${h(5)}\n`),
      sumOf('b', `example.com/z v1.0.0 ${h(6)}\ngolang.org/x/net v0.1.0 ${h(1)}\nexample.com/z v1.0.0 ${h(7)}\n`),
      sumOf('c', `example.com/y v2.0.0 ${h(2)}\n`),
    ];
    const w = new PackWriter();
    modules.forEach((m, i) => assert.ok(w.addSum(`sum${i}`, m)));
    w.agreeSums();
    const [, numbers, head] = w.parts(FACTS_TOOL);
    const pack = decodePack(packBytes(headerOf(head), numbers), FACTS_TOOL)!;
    const table = pack.seededTable();
    const key = (k: string) => table.keys.indexOf(k);
    const hash = (x: string) => table.hashes.indexOf(x);
    assert.equal(pack.sumAgree![key('golang.org/x/net v0.1.0')], hash(h(1)));
    assert.equal(pack.sumAgree![key('example.com/y v2.0.0')], hash(h(2)));
    assert.equal(pack.sumAgree![key('example.com/z v1.0.0')], DISAGREE);
    // The disagreeing key's lines: go.sum record, hash, line and column, by file and in line order.
    const z = pack.disagreeing()!.get(key('example.com/z v1.0.0'))!;
    const lines = Array.from({ length: z.length / 4 }, (_, i) => [z[i * 4], table.hashes[z[i * 4 + 1]!], z[i * 4 + 2], z[i * 4 + 3]]);
    assert.deepEqual(lines, [
      [pack.sums.get('sum0'), h(5), 2, 22], [pack.sums.get('sum1'), h(6), 1, 22], [pack.sums.get('sum1'), h(7), 3, 22],
    ]);
    assert.equal(pack.disagreeing()!.size, 1);
    // Damaged: an agreement out of range is not read (the rest of the pack is), nor are lines of a
    // record that is not a go.sum's, or of a key the pack says is agreed on.
    const json = headerOf(head) as { sumAgree: number; sumDisagree: { at: number; length: number } };
    const bad = (edit: (nums: Buffer) => void, header: object = json) => {
      const nums = Buffer.from(numbers);
      edit(nums);
      return decodePack(packBytes(header, nums), FACTS_TOOL)!;
    };
    assert.equal(bad((nums) => nums.writeUInt32LE(99, json.sumAgree * 4)).sumAgree, undefined);
    assert.equal(bad(() => {}, { ...json, sumAgree: numbers.length }).sumAgree, undefined);
    assert.equal(bad((nums) => nums.writeUInt32LE(1, (json.sumDisagree.at + 2) * 4)).disagreeing(), undefined);
    assert.equal(bad((nums) => nums.writeUInt32LE(key('golang.org/x/net v0.1.0'), json.sumDisagree.at * 4)).disagreeing(), undefined);
    assert.equal(bad(() => {}, { ...json, sumDisagree: { ...json.sumDisagree, length: json.sumDisagree.length - 1 } }).disagreeing(), undefined);
    assert.ok(bad(() => {}).disagreeing());
  });

  it('decodes a go.sum from the pack when it is first read; a damaged record then drops the pack and the file is read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-sum-'));
    try {
      const text = `golang.org/x/net v0.1.0 ${h(3)}\nexample.com/z v1.0.0 ${h(9)}\n`;
      writeFileSync(path.join(dir, 'go.sum'), text);
      const parsedSum = assembleRepository({ root: dir, files: new Map([['go.mod', 'module example.com/m\n'], ['go.sum', text]]) }).modules[0]!;
      const writer = new PackWriter();
      writer.addSum('sum0', parsedSum);
      writer.agreeSums();
      const pack = decodePack(writer.bytes(FACTS_TOOL), FACTS_TOOL)!;
      let decoded = 0;
      const decode = pack.sum.bind(pack);
      pack.sum = (blob, file) => { decoded++; return decode(blob, file); };
      const fresh = () => ({ dir: '.', goModFile: 'go.mod', modulePath: 'example.com/m', text: '', errors: [] }) as ModuleInfo;
      const session = new FactsSession(pack, new Map([['go.sum', 'sum0']]), new Set(), dir, '/nowhere/pack');
      const table = session.sumTable()!;
      const module = fresh();
      session.attachSums([module], () => 'go.sum', table);
      assert.equal(decoded, 0, 'not decoded to be attached');
      assert.equal(session.sumAgreement(table)?.covers(module), true);
      assert.deepEqual(module.sum!.entries.map((e) => e.hash), [h(3), h(9)]);
      assert.equal(decoded, 1);
      assert.equal(module.sum!.compact!.data.buffer, pack.data.buffer, 'the pack\'s numbers');
      // A record damaged (a key out of range) is found when read: the file is read instead.
      pack.data[pack.sums.get('sum0')! + 1] = pack.sumKeys.length;
      const damaged = new FactsSession(pack, new Map([['go.sum', 'sum0']]), new Set(), dir, '/nowhere/pack');
      const other = fresh();
      const agreement = damaged.sumAgreement(damaged.sumTable()!)!;
      damaged.attachSums([other], () => 'go.sum', damaged.sumTable()!);
      assert.equal(agreement.covers(other), true);
      assert.deepEqual(other.sum!.entries.map((e) => e.hash), [h(3), h(9)]);
      assert.match(damaged.dropped ?? '', /out of range/);
      // Read from the file, it is no longer one of the pack's.
      assert.equal(agreement.covers(other), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops a pack whose go.sum keys cannot be read, and takes no go.sum from it', () => {
    const good = packOf([parsed]);
    const notAKey = good.strings.indexOf('example.com/m/a');
    assert.ok(notAKey >= 0);
    const bad = new Pack({ strings: good.strings, mods: good.mods, sums: good.sums, data: good.data, sumKeys: [notAKey, ...good.sumKeys.slice(1)], sumHashes: good.sumHashes });
    const session = new FactsSession(bad, new Map([['a/go.sum', 'sum0']]), new Set(), '/r', '/nowhere/pack');
    assert.equal(session.sumTable(), undefined);
    assert.match(session.dropped ?? '', /bad go\.sum key/);
    const module = { ...parsed, sum: undefined };
    session.attachSums([module], () => 'a/go.sum', new SumTable());
    assert.equal(module.sum, undefined);
  });

  it('keeps no facts of a go.mod that did not parse, or of a go.sum with errors', () => {
    const bad = assembleRepository({ root: '/r', files: new Map([['b/go.mod', 'module x\nrequire (\n'], ['b/go.sum', 'not a line\n']]) }).modules[0]!;
    const w = new PackWriter();
    assert.equal(w.addMod('m', bad, false), false);
    assert.equal(w.addSum('s', bad), false);
  });

  it('reads no pack of another format, a damaged header or offsets past the end', () => {
    const good = new PackWriter();
    good.addMod('m', parsed, false);
    const bytes = good.bytes(FACTS_TOOL);
    assert.ok(decodePack(bytes, FACTS_TOOL));
    assert.equal(decodePack(bytes, 'modguard facts 0'), undefined);
    assert.equal(decodePack(bytes.subarray(0, 20), FACTS_TOOL), undefined);
    const magic = Buffer.from(bytes); magic[0] = 0x41;
    assert.equal(decodePack(magic, FACTS_TOOL), undefined);
    const header = Buffer.from(bytes); header.writeUInt32LE(1 << 30, 8);
    assert.equal(decodePack(header, FACTS_TOOL), undefined);
    assert.equal(decodePack(Buffer.from('MGFACTS\n\u0002\u0000\u0000\u0000{}'), FACTS_TOOL), undefined);
    // go.sum keys or hashes named twice: the pack's table could not number them as its lines do.
    const withSum = new PackWriter();
    withSum.addSum('s', parsed);
    const [, numbers, head] = withSum.parts(FACTS_TOOL);
    const json = headerOf(head) as { sumKeys: number[]; sumHashes: number[] };
    assert.ok(decodePack(packBytes(json, numbers), FACTS_TOOL));
    for (const field of ['sumKeys', 'sumHashes'] as const) {
      const twice = { ...json, [field]: [...json[field], json[field][0]!] };
      assert.equal(decodePack(packBytes(twice, numbers), FACTS_TOOL), undefined, field);
    }
  });

  it('keeps the module graph\'s links among the numbers, and reads none that are out of range', () => {
    const mod = (name: string, deps: string[]) => `module example.com/m/${name}\n\ngo 1.22\n${deps.map((d) => `\nrequire example.com/m/${d} v0.0.0-00010101000000-000000000000\nreplace example.com/m/${d} => ../${d}\n`).join('')}`;
    const linked = assembleRepository({ root: '/r', files: new Map([['a/go.mod', mod('a', ['b', 'c'])], ['b/go.mod', mod('b', ['c'])], ['c/go.mod', mod('c', [])]]) });
    const w = new PackWriter();
    linked.modules.forEach((m, i) => assert.ok(w.addMod(`mod${i}`, m, false)));
    w.setGraph(linked, (m) => `mod${linked.modules.indexOf(m)}`);
    const [, numbers, head] = w.parts(FACTS_TOOL);
    const pack = decodePack(packBytes(headerOf(head), numbers), FACTS_TOOL)!;
    // The links are those of the graph, and the go.mod records still read.
    const session = new FactsSession(pack, new Map(linked.modules.map((m, i) => [m.goModFile, `mod${i}`])), new Set(), '/r', '/nowhere/pack');
    const known = session.knownLinks(linked)!;
    const linksOf = (dir: string) => {
      const i = known.valid.get(dir)!;
      return Array.from({ length: known.start[i + 1]! - known.start[i]! }, (_, k) => known.dirs[known.targets[known.start[i]! + k]!]).sort();
    };
    assert.deepEqual(['a', 'b', 'c'].map(linksOf), [['b', 'c'], ['c'], []]);
    assert.equal(session.liteModule('c/go.mod', 'c')?.modulePath, 'example.com/m/c');
    // A link past the dirs, or links past the numbers: the graph is not read (the pack still is).
    const json = headerOf(head) as { graph: { at: number; links: number } };
    const rewrite = (graph: object, nums: Buffer) => decodePack(packBytes({ ...json, graph }, nums), FACTS_TOOL);
    assert.ok(rewrite(json.graph, numbers)?.graph);
    const far = Buffer.from(numbers);
    far.writeUInt32LE(7, (json.graph.at + 4) * 4);
    assert.equal(rewrite(json.graph, far)?.graph, undefined);
    assert.ok(rewrite(json.graph, far), 'the rest of the pack is read');
    assert.equal(rewrite({ ...json.graph, links: json.graph.links + 100 }, numbers)?.graph, undefined);
    assert.equal(rewrite({ ...json.graph, at: -1 }, numbers)?.graph, undefined);
  });

  it('keeps a tally of the requirements of go.mod records: a run counts the unchanged ones from it, takes the others out, and reads none damaged', () => {
    const files = new Map([
      ['a/go.mod', GO_MOD],
      ['b/go.mod', 'module example.com/m/b\n\nrequire (\n\tgithub.com/x/y v1.2.3\n\tgolang.org/x/net v0.0.0-20240101000000-abcdefabcdef\n)\n'],
      ['c/go.mod', 'module example.com/m/c\n\nrequire github.com/x/y v1.0.0 // indirect\n'],
    ]);
    const { three, whole, numbers, head } = tallyPack(files);
    const [a, b, c] = three.modules as [ModuleInfo, ModuleInfo, ModuleInfo];
    const counts = (t: RequireTally) => { const out: string[] = []; t.forEach((p, v, k, n) => out.push(`${p} ${v} ${k} ${n}`)); return out.sort(); };
    const pack = decodePack(packBytes(headerOf(head), numbers), FACTS_TOOL)!;
    assert.deepEqual(counts(pack.tally()!.tally), counts(whole));
    // b changed: read from its file, it is taken out of the tally; a and c, built from facts, are counted by it.
    const session = new FactsSession(pack, new Map([['a/go.mod', 'mod0'], ['b/go.mod', 'mod1'], ['c/go.mod', 'mod2']]), new Set(['b/go.mod']), '/r', '/nowhere/pack');
    const liteA = session.liteModule('a/go.mod', 'a')!;
    const liteC = session.liteModule('c/go.mod', 'c')!;
    const run = session.requireTally([liteA, b, liteC])!;
    assert.deepEqual([...run.covered], [liteA, liteC]);
    assert.equal(session.counted, 2);
    const expected = new RequireTally();
    expected.addModule(a.modulePath, a.mod!, 1);
    expected.addModule(c.modulePath, c.mod!, 1);
    assert.deepEqual(counts(run.tally), counts(expected));
    // Narrowed, a counted module keeps only its requirements at pseudo-versions (of the paths kept).
    session.narrow([liteA, liteC], () => true, () => true, run.covered);
    assert.deepEqual(liteA.mod!.require.map((r) => r.mod.version), ['v0.0.0-20240101000000-abcdefabcdef', 'v0.0.0-00010101000000-000000000000']);
    assert.deepEqual(liteC.mod!.require, []);
    assert.equal(liteA.mod!.replace.length, 2);
    // Damaged tallies are not read (the rest of the pack is): lists that do not match, a blob
    // without its record, a section out of range, a string, kind or count out of range.
    const json = headerOf(head) as { tally: { dirs: string[]; blobs: string[]; at: number; length: number } };
    const t = json.tally;
    const rewrite = (tally: object, nums = numbers) => decodePack(packBytes({ ...json, tally }, nums), FACTS_TOOL);
    assert.ok(rewrite(t)?.tally());
    for (const bad of [{ ...t, dirs: ['a', 'b'] }, { ...t, blobs: ['mod0', 'mod1', 'mod9'] }, { ...t, dirs: ['a', 'a', 'c'] }, { ...t, at: t.at + 1 },
      { ...t, length: t.length - 1 }, { ...t, at: -4 }, { ...t, length: t.length + 400 }, { ...t, dirs: 'a' }]) {
      const damaged = rewrite(bad);
      assert.ok(damaged, 'the pack is read');
      assert.equal(damaged.tally(), undefined, JSON.stringify(bad));
    }
    for (const [k, value] of [[0, 1e6], [1, 1e6], [2, 8], [3, 0]] as const) {
      const nums = Buffer.from(numbers);
      nums.writeUInt32LE(value, (t.at + k) * 4);
      assert.equal(rewrite(t, nums)?.tally(), undefined, `number ${k} of an entry set to ${value}`);
    }
    // A record of a module it counts that does not decode: the pack is dropped, and no tally used.
    const nums = Buffer.from(numbers);
    nums.writeUInt32LE(1e6, (pack.mods.get('mod1')! + 15) * 4);
    const broken = decodePack(packBytes(headerOf(head), nums), FACTS_TOOL)!;
    const dropping = new FactsSession(broken, new Map([['a/go.mod', 'mod0'], ['b/go.mod', 'mod1']]), new Set(['b/go.mod']), '/r', '/nowhere/pack');
    assert.equal(dropping.requireTally([dropping.liteModule('a/go.mod', 'a')!, b]), undefined);
    assert.match(dropping.dropped ?? '', /out of range/);
  });

  it('lists the requirements at pseudo-versions of each go.mod record: narrowing a module the tally counts reads those alone, as a scan of all would find them; a damaged list is not read', () => {
    const files = new Map([
      ['a/go.mod', GO_MOD],
      ['b/go.mod', 'module example.com/m/b\n\nrequire (\n\tgithub.com/x/y v1.2.3\n\tgolang.org/x/net v0.0.0-20240101000000-abcdefabcdef\n\tgithub.com/p/q v0.0.0-20230101000000-0123456789ab\n)\n'],
      ['c/go.mod', 'module example.com/m/c\n\nrequire github.com/x/y v1.0.0 // indirect\n'],
    ]);
    const { three, numbers, head } = tallyPack(files);
    const json = headerOf(head) as { pseudo: { at: number; length: number } };
    // One list per record, in the records' order: a count, then requirement numbers.
    assert.deepEqual([...new Uint32Array(numbers.buffer, numbers.byteOffset + json.pseudo.at * 4, json.pseudo.length)], [2, 1, 3, 2, 1, 2, 0]);
    const blobs = new Map([['a/go.mod', 'mod0'], ['b/go.mod', 'mod1'], ['c/go.mod', 'mod2']]);
    /** narrowed narrows the three modules, all counted by the tally, as PR mode does: their requirements and replaces kept. */
    const narrowed = (pack: Pack) => {
      const session = new FactsSession(pack, blobs, new Set(), '/r', '/nowhere/pack');
      const lite = ['a', 'b', 'c'].map((d) => session.liteModule(`${d}/go.mod`, d)!);
      const run = session.requireTally(lite)!;
      assert.equal(run.covered.size, 3);
      const damaged = session.narrow(lite, (p) => p !== 'github.com/p/q', () => true, run.covered);
      return { damaged: damaged.map((m) => m.dir), dropped: session.dropped,
        mods: lite.map((m) => ({ require: m.mod!.require.map((r) => [r.mod.path, r.mod.version, r.indirect, r.versionLine]), replace: m.mod!.replace.map((r) => [r.old.path, r.new.path]) })) };
    };
    const listed = narrowed(decodePack(packBytes(json, numbers), FACTS_TOOL)!);
    assert.deepEqual(listed.mods.map((m) => m.require.map((r) => r[1])), [
      ['v0.0.0-20240101000000-abcdefabcdef', 'v0.0.0-00010101000000-000000000000'], ['v0.0.0-20240101000000-abcdefabcdef'], [],
    ]);
    assert.equal(listed.mods[0]!.replace.length, 2);
    // Without the lists, or with lists that do not read, every requirement is scanned: the same modules.
    const { pseudo, ...withoutLists } = json;
    assert.deepEqual(narrowed(decodePack(packBytes(withoutLists, numbers), FACTS_TOOL)!), listed);
    const at = (k: number) => (pseudo.at + k) * 4;
    for (const [k, value, why] of [[0, 9, 'a count past the record'], [1, 7, 'a requirement past the record'], [2, 1, 'not ascending'], [6, 1, 'a count past the end of the lists']] as const) {
      const nums = Buffer.from(numbers);
      nums.writeUInt32LE(value, at(k));
      const pack = decodePack(packBytes(json, nums), FACTS_TOOL)!;
      assert.equal(pack.pseudoOf(pack.mods.get('mod0')!), undefined, why);
      assert.deepEqual(narrowed(pack), listed, why);
    }
    assert.equal(decodePack(packBytes({ ...json, pseudo: { ...pseudo, length: pseudo.length - 1 } }, numbers), FACTS_TOOL)!.pseudoOf(0), undefined);
    // A listed requirement that is not at a pseudo-version (github.com/x/y v1.2.3 of b): damage, the pack is dropped.
    const nums = Buffer.from(numbers);
    nums.writeUInt32LE(0, at(4));
    const wrong = narrowed(decodePack(packBytes(json, nums), FACTS_TOOL)!);
    assert.deepEqual(wrong.damaged, ['b']);
    assert.match(wrong.dropped ?? '', /listed as at a pseudo-version/);
  });

  it('writes a pack as it is made, the same bytes as one made whole; writes none when told so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-stream-'));
    try {
      const files = new Map<string, string>();
      for (let i = 0; i < 12; i++) {
        files.set(`m${i}/go.mod`, `module example.com/m/m${i}\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.${i % 3}.0\n\texample.com/m/m${(i + 1) % 12} v0.0.0\n)\n\nreplace example.com/m/m${(i + 1) % 12} => ../m${(i + 1) % 12}\n`);
        files.set(`m${i}/go.sum`, `golang.org/x/net v0.${i % 3}.0 ${h(i % 3)}\nexample.com/z v1.0.0 ${h(i % 4 === 0 ? 7 : 8)}\n`);
      }
      const repo = assembleRepository({ root: dir, files });
      const fill = (w: PackWriter) => {
        repo.modules.forEach((m, i) => {
          assert.ok(w.addMod(`mod${i}`, m, false));
          assert.ok(w.addSum(`sum${i}`, m));
        });
        w.agreeSums();
        w.setGraph(repo, (m) => `mod${repo.modules.indexOf(m)}`);
        return true;
      };
      const whole = new PackWriter();
      fill(whole);
      const file = path.join(dir, 'cache', 'facts.pack');
      // Numbers handed on every few records: the file is the pack made whole, byte for byte.
      assert.equal(await writePackStreamed(file, FACTS_TOOL, fill, 16), true);
      assert.deepEqual(readFileSync(file), whole.bytes(FACTS_TOOL));
      const pack = decodePack(readFileSync(file), FACTS_TOOL)!;
      assert.equal(pack.disagreeing()?.size, 1);
      assert.equal(pack.graph?.dirs.length, 12);
      // Nothing to write: no file, and no file left behind.
      const none = path.join(dir, 'cache', 'none.pack');
      assert.equal(await writePackStreamed(none, FACTS_TOOL, () => false), false);
      assert.deepEqual(readdirSync(path.join(dir, 'cache')), ['facts.pack']);
      // A failure while writing leaves no file either.
      await assert.rejects(writePackStreamed(none, FACTS_TOOL, () => { throw new Error('boom'); }), /boom/);
      assert.deepEqual(readdirSync(path.join(dir, 'cache')), ['facts.pack']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the go.sum records of a pack file only as they are decoded, from the file it first read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-lazy-'));
    try {
      const { files, repo } = smallRepo(dir, 40);
      const fill = (tag: string) => savedLayout(repo, tag);
      const file = path.join(dir, 'facts.pack');
      await writePackStreamed(file, FACTS_TOOL, fill(''));
      const whole = decodePack(readFileSync(file), FACTS_TOOL)!;
      const entries = (p: Pack, i: number) => p.sum(`sum${i}`, `m${i}/go.sum`)!.entries.map((e) => `${e.path} ${e.version} ${e.hash} ${e.line}`);
      // Read lazily, every go.sum decodes as from the whole file: the first few one by one, then all.
      const lazy = (await readPack(file, FACTS_TOOL))!;
      assert.ok(lazy);
      for (let i = 0; i < 40; i++) assert.deepEqual(entries(lazy, i), entries(whole, i), `m${i}`);
      // A pack replaced on disk (a later run renames a new one over it) is not read for the rest:
      // its go.sum records fail as damaged (PR mode then drops it and reads the files); what was
      // read stays.
      const early = (await readPack(file, FACTS_TOOL))!;
      assert.deepEqual(entries(early, 0), entries(whole, 0));
      await writePackStreamed(file, FACTS_TOOL, fill('x'));
      assert.throws(() => early.sum('sum1', 'm1/go.sum'), /changed on disk/);
      assert.deepEqual(entries(early, 0), entries(whole, 0));
      assert.equal(early.mod('mod1', 'm1/go.mod')?.modulePath, 'example.com/m/m1');
      const { module, session } = attachThroughSession(early, dir, file, files, 2);
      assert.deepEqual(module.sum!.entries.map((e) => e.hash), [h(2), h(2)]);
      assert.match(session.dropped ?? '', /changed on disk/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads nothing of a pack damaged since it was written where its digest covers it, and no go.sum record whose check number fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-digest-'));
    try {
      const { files, repo } = smallRepo(dir, 6);
      const file = path.join(dir, 'facts.pack');
      await writePackStreamed(file, FACTS_TOOL, (w) => {
        savedLayout(repo)(w);
        w.setGraph(repo, (m) => `mod${repo.modules.indexOf(m)}`);
        return true;
      });
      const bytes = readFileSync(file);
      const pack = decodePack(bytes, FACTS_TOOL)!;
      assert.ok(pack && (await readPack(file, FACTS_TOOL)));
      const number = (at: number) => 16 + 4 * at;
      const damaged = async (edit: (b: Buffer) => void) => {
        const b = Buffer.from(bytes);
        edit(b);
        writeFileSync(file, b);
        return { whole: decodePack(b, FACTS_TOOL), lazy: await readPack(file, FACTS_TOOL) };
      };
      // In range, each of these would read as other facts: m1 requiring its module path as a
      // version; m2's module path another module's; a graph link to another module; a header
      // string changed (the JSON still reads).
      const m1 = pack.mods.get('mod1')!;
      const m2 = pack.mods.get('mod2')!;
      for (const edit of [
        (b: Buffer) => b.writeUInt32LE(b.readUInt32LE(number(m1 + 15)), number(m1 + 16)),
        (b: Buffer) => b.writeUInt32LE(b.readUInt32LE(number(pack.mods.get('mod3')!)), number(m2)),
        (b: Buffer) => b.writeUInt32LE(b.readUInt32LE(number(pack.data.length - 1)) ^ 1, number(pack.data.length - 1)),
        (b: Buffer) => { const at = b.lastIndexOf('example.com/m/m4'); b.write('5', at + 'example.com/m/m'.length, 'latin1'); },
      ]) {
        const { whole, lazy } = await damaged(edit);
        assert.equal(whole, undefined);
        assert.equal(lazy, undefined);
      }
      // A go.sum record, read only when decoded: the pack reads; that record does not.
      const s3 = pack.sums.get('sum3')!;
      const { whole, lazy } = await damaged((b) => b.writeUInt32LE(b.readUInt32LE(number(s3 + 2)) === 0 ? 1 : 0, number(s3 + 2)));
      for (const p of [whole!, lazy!]) {
        assert.ok(p);
        assert.throws(() => p.sum('sum3', 'm3/go.sum'), /not the one written/);
        assert.equal(p.sum('sum4', 'm4/go.sum')!.entries.length, 2);
      }
      // A session drops such a pack when it meets the record, and reads the go.sum instead.
      const { module, session } = attachThroughSession(lazy, dir, file, files, 3);
      assert.deepEqual(module.sum!.entries.map((e) => e.hash), [h(0), h(3)]);
      assert.match(session.dropped ?? '', /not the one written/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops a pack whose records run past its end, and reads the files instead', () => {
    const w = new PackWriter();
    w.addMod('m', parsed, false);
    const bytes = Buffer.from(w.bytes(FACTS_TOOL));
    // The requirement count of the only record, made huge: the record now runs past the end.
    const pack = decodePack(bytes, FACTS_TOOL)!;
    pack.data[4] = 1_000_000;
    const session = new FactsSession(pack, new Map([['a/go.mod', 'm']]), new Set(), '/r', '/nowhere/pack');
    assert.equal(session.liteModule('a/go.mod', 'a'), undefined);
    assert.match(session.dropped ?? '', /past the end/);
    assert.equal(session.misses, 1);
  });

  it('builds a module from its record\'s header; narrowing checks its statements, and a damaged one is handed back to be read', () => {
    const pack = packOf([parsed]);
    const at = pack.mods.get('mod0')!;
    // The first requirement's path: a string the pack does not have.
    pack.data[at + 6 + 3 * 3] = pack.strings.length + 5;
    const session = new FactsSession(pack, new Map([['a/go.mod', 'mod0']]), new Set(), '/r', '/nowhere/pack');
    const lite = session.liteModule('a/go.mod', 'a')!;
    assert.ok(lite, 'the header reads');
    assert.equal(lite.modulePath, 'example.com/m/a');
    assert.equal(session.dropped, undefined);
    assert.deepEqual(session.narrow([lite], () => true), [lite]);
    assert.match(session.dropped ?? '', /out of range/);
    // Narrowed again (by a later step), it is no module of the pack's any more: left as it is.
    assert.deepEqual(session.narrow([lite], () => true), []);
  });

  it('uses the default cache directory on a developer machine, and in CI only when it exists', () => {
    const missing = path.join(tmpdir(), 'modguard-no-such-cache-dir');
    assert.equal(usesDefaultCache({}, missing), true);
    assert.equal(usesDefaultCache({ CI: 'false' }, missing), true);
    assert.equal(usesDefaultCache({ CI: 'true' }, missing), false);
    assert.equal(usesDefaultCache({ CI: 'true' }, tmpdir()), true);
    assert.equal(usesDefaultCache({ CI: 'true', MODGUARD_CACHE_DIR: missing }, missing), true);
    assert.equal(defaultCacheDir({ HOME: '/home/u' }), path.join('/home/u', '.cache', 'modguard'));
    assert.equal(defaultCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/c' }), path.join('/c', 'modguard'));
    assert.equal(defaultCacheDir({ HOME: 'relative' }), undefined);
  });

  it('never looks up a file the change touched, whatever its blob id at the base', () => {
    const pack = packOf([parsed]);
    const session = new FactsSession(pack, new Map([['a/go.mod', 'mod0']]), new Set(['a/go.mod']), '/r', '/nowhere/pack');
    assert.equal(session.liteModule('a/go.mod', 'a'), undefined);
    assert.equal(session.hits + session.misses, 0);
  });
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  const next = mulberry32(seed);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

// Families at several majors, a few common dependencies and a long tail: the modules a change
// affects require some of them, so the other modules' facts are narrowed to a real part.
const DEPS = [
  'github.com/a/lib', 'github.com/a/lib/v2', 'github.com/a/lib/v3', 'github.com/b/util', 'golang.org/x/net', 'golang.org/x/text',
  'gopkg.in/yaml.v2', 'gopkg.in/yaml.v3', 'github.com/c/old',
  ...Array.from({ length: 12 }, (_, i) => `github.com/tail/p${i}`),
];
const VERSIONS = ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v0.0.0-20240101000000-aaaaaaaaaaaa', 'v0.0.0-20240202000000-bbbbbbbbbbbb', 'v2.0.0+incompatible'];

function versionFor(r: ReturnType<typeof rng>, dep: string): string {
  if (dep.endsWith('/v2')) return r.pick(['v2.0.0', 'v2.1.0']);
  if (dep.endsWith('/v3')) return r.pick(['v3.0.0', 'v3.2.0']);
  if (dep === 'gopkg.in/yaml.v3') return r.pick(['v3.0.0', 'v3.0.1']);
  if (dep === 'gopkg.in/yaml.v2') return 'v2.4.0';
  return r.pick(VERSIONS);
}

/** goModFor writes a random go.mod of module i of n (siblings required and replaced by directory). */
function goModFor(r: ReturnType<typeof rng>, i: number, n: number): string {
  const lines = [`module example.com/mono/m${i}`, '', `go 1.${r.pick([21, 22, 22, 23])}`, ''];
  if (r.next() < 0.2) lines.push(`// modguard:ignore version-divergence kept on purpose for the test`);
  const reqs: string[] = [];
  for (const dep of DEPS) if (r.next() < 0.25) reqs.push(`\t${dep} ${versionFor(r, dep)}${r.next() < 0.2 ? ' // indirect' : ''}`);
  const sib = r.int(n);
  const withSibling = sib !== i && r.next() < 0.5;
  if (withSibling) reqs.push(`\texample.com/mono/m${sib} v0.0.0-00010101000000-000000000000`);
  if (reqs.length > 0) lines.push('require (', ...reqs, ')', '');
  if (withSibling) lines.push(`replace example.com/mono/m${sib} => ../m${sib}`, '');
  if (r.next() < 0.1) lines.push('replace github.com/c/old => github.com/c/new v1.0.0', '');
  return lines.join('\n');
}

function goSumFor(r: ReturnType<typeof rng>, conflicts = 0.1): string {
  const out: string[] = [];
  for (const dep of DEPS) {
    if (r.next() < 0.7) continue;
    const v = versionFor(r, dep);
    // Mostly the one true hash; sometimes another (a hash conflict between modules).
    out.push(`${dep} ${v} ${h(dep.length * 31 + v.length + (r.next() < conflicts ? 7 : 0))}`, `${dep} ${v}/go.mod ${h(dep.length * 17 + v.length)}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** withSibling adds a requirement of sibling m{b}, replaced by its directory, to a go.mod that lacks one. */
function withSibling(goMod: string, b: number): string {
  if (goMod.includes(`example.com/mono/m${b} `)) return goMod;
  return `${goMod}\nrequire example.com/mono/m${b} v0.0.0-00010101000000-000000000000\n\nreplace example.com/mono/m${b} => ../m${b}\n`;
}

/**
 * graphFor writes a `go mod graph` of a module from its go.mod: the main module requires what
 * its go.mod requires, and some of those require x/text at a version of their own (above or below
 * the pin), or another dependency of the list.
 */
function graphFor(r: ReturnType<typeof rng>, goMod: string): string {
  const main = /^module (\S+)/m.exec(goMod)?.[1];
  if (!main) return '';
  const lines: string[] = [];
  for (const m of goMod.matchAll(/^\t(\S+) (v\S+)/gm)) {
    const node = `${m[1]}@${m[2]}`;
    lines.push(`${main} ${node}`);
    if (r.next() < 0.3) lines.push(`${node} golang.org/x/text@${r.pick(['v1.0.0', 'v1.1.0', 'v1.2.0'])}`);
    if (r.next() < 0.2) { const dep = r.pick(DEPS); lines.push(`${node} ${dep}@${versionFor(r, dep)}`); }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** goWorkFor writes a go.work using some of the n modules. */
function goWorkFor(r: ReturnType<typeof rng>, n: number): string {
  const uses = Array.from({ length: n }, (_, i) => i).filter(() => r.next() < 0.3).map((i) => `\t./m${i}`);
  return `go 1.22\n\nuse (\n${uses.join('\n')}\n)\n`;
}

/**
 * bumpedSum moves every dependency of a go.sum to another version, often with another hash: old
 * conflicts on lines the change moved, and new ones.
 */
function bumpedSum(r: ReturnType<typeof rng>, text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const [dep, version] = line.split(' ');
    if (!dep || !version || version.endsWith('/go.mod')) continue;
    let v = versionFor(r, dep);
    for (let tries = 0; v === version && tries < 8; tries++) v = versionFor(r, dep);
    out.push(`${dep} ${v} ${h(dep.length * 31 + v.length + (r.next() < 0.5 ? 7 : 0))}`, `${dep} ${v}/go.mod ${h(dep.length * 17 + v.length)}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/**
 * prJson runs `modguard --debug check --base main --format json` as a user does (the CLI in its own
 * process: one copy of every module, so the module graph PR mode keeps is the one it reads).
 */
async function prJson(dir: string, cacheArgs: { cache?: boolean; cacheDir?: string }, extra: readonly string[] = []): Promise<{ code: number; json: string; stderr: string }> {
  const args = ['--debug', 'check', '--base', 'main', '--format', 'json', ...extra, ...(cacheArgs.cache === false ? ['--no-cache'] : []), ...(cacheArgs.cacheDir ? ['--cache-dir', cacheArgs.cacheDir] : [])];
  const r = await runCli(args, dir, { MODGUARD_CACHE_DIR: '' });
  return { code: r.code ?? -1, json: r.stdout, stderr: r.stderr };
}

/** The generated monorepos have graph files beside most modules. */
const GRAPH = ['--graph-file', 'graph.txt'];

interface JsonFinding { rule: string; file: string; line: number; column: number; message: string; dependency?: string; isNew?: boolean }

/** fullFindings runs a full check of dir (no cache) and returns its findings. */
async function fullFindings(dir: string, extra: readonly string[] = []): Promise<JsonFinding[]> {
  const r = await runCli(['check', '--format', 'json', '--no-cache', ...extra], dir, { MODGUARD_CACHE_DIR: '' });
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

/**
 * assertJudgedLikeFullChecks holds PR mode to its definition: each finding it reports is one of the
 * full check's at the head, every head finding of a module it reports on is there, and a finding is
 * new exactly when the base's full check has fewer findings of its rule, file and dependency than
 * the head has up to it. Rules that compare head and base are left out (a full check has no base).
 */
function assertJudgedLikeFullChecks(pr: JsonFinding[], head: JsonFinding[], base: JsonFinding[], context: string): void {
  const own = (f: JsonFinding) => f.rule !== 'major-version-jump';
  const place = (f: JsonFinding) => `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
  const key = (f: JsonFinding) => `${f.rule}|${f.file}|${f.dependency ?? ''}`;
  const reported = pr.filter(own);
  const dirOf = (file: string) => path.posix.dirname(file);
  const dirs = new Set(reported.map((f) => dirOf(f.file)));
  assert.deepEqual(reported.map(place), head.filter((f) => own(f) && dirs.has(dirOf(f.file))).map(place), `${context}: findings`);
  const known = new Map<string, number>();
  for (const f of base) known.set(key(f), (known.get(key(f)) ?? 0) + 1);
  for (const f of reported) {
    const left = known.get(key(f)) ?? 0;
    if (left > 0) known.set(key(f), left - 1);
    assert.equal(f.isNew, left === 0, `${context}: isNew of ${place(f)}`);
  }
}

/** assertLikeFullChecks judges PR mode's JSON against full checks of the work tree and of `main` (in a worktree of its own). */
async function assertLikeFullChecks(repo: TempRepo, prJsonText: string, context: string, extra: readonly string[] = []): Promise<void> {
  const baseDir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-base-'));
  try {
    repo.git('worktree', 'add', '-q', '--detach', baseDir, 'main');
    const pr = (JSON.parse(prJsonText) as { findings: JsonFinding[] }).findings;
    assertJudgedLikeFullChecks(pr, await fullFindings(repo.dir, extra), await fullFindings(baseDir, extra), context);
  } finally {
    repo.git('worktree', 'remove', '--force', baseDir);
    rmSync(baseDir, { recursive: true, force: true });
  }
}

/**
 * shardsMerged runs `check --shard K/3` for K = 1..3 with the given cache directory and returns
 * `modguard merge` of their JSON results, with the full check's JSON (no cache) to compare it with.
 */
async function shardsMerged(dir: string, cacheDir: string, extra: readonly string[]): Promise<{ merged: string; whole: string; stderr: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'modguard-facts-shards-'));
  try {
    let stderr = '';
    const files: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const file = path.join(out, `shard-${k}.json`);
      files.push(file);
      const r = await runCli(['--debug', 'check', ...extra, '--shard', `${k}/3`, '--format', `json=${file}`, '--cache-dir', cacheDir], dir, { MODGUARD_CACHE_DIR: '' });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      stderr += r.stderr;
    }
    const merged = (await runCli(['merge', ...files, '--format', 'json'], dir, { MODGUARD_CACHE_DIR: '' })).stdout;
    const whole = (await runCli(['check', ...extra, '--format', 'json', '--no-cache'], dir, { MODGUARD_CACHE_DIR: '' })).stdout;
    return { merged, whole, stderr };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** runFull runs a full check with --cache-dir and returns its standard error. */
async function runFull(dir: string, cacheDir: string, extra: readonly string[] = []): Promise<string> {
  return (await runCli(['--debug', 'check', '--format', 'json', '--cache-dir', cacheDir, ...extra], dir, { MODGUARD_CACHE_DIR: '' })).stderr;
}

describe('engine/facts: PR mode with kept facts reports what it reports without them, and what full checks report', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  let cacheDir: string;
  beforeEach(() => {
    repo = tempGitRepo('modguard-facts-');
    cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-facts-cache-'));
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  // Seeds 15, 18 and 39 make changes that remove a module with sibling links kept in the pack. With
  // `more`, the change also renames, moves and removes modules, removes go.sum and graph files,
  // removes or adds go.work, adds sibling requirements and replaces into skipped directories (seed
  // 73 removes a go.work whose go.work.sum stays behind).
  const cases = [
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 18, 39].map((seed) => ({ seed, more: false })),
    ...[2, 3, 6, 73].map((seed) => ({ seed, more: true })),
  ];
  for (const { seed, more } of cases) {
    it(`generated monorepo ${seed}${more ? ' with more kinds of change' : ''}: no pack, a cold, a warm and a base pack give the same result, that of full checks of head and base; so do shards`, async () => {
      const r = rng(seed);
      const n = 16 + r.int(16);
      const files: Record<string, string> = { 'anchor.lock': 'go 1.22\nanchor golang.org/x/text v1.1.0\n' };
      for (let i = 0; i < n; i++) {
        files[`m${i}/go.mod`] = goModFor(r, i, n);
        const sum = goSumFor(r, 0.3);
        if (sum) files[`m${i}/go.sum`] = sum;
        // Graph files beside some of the modules (--graph-file), not all.
        if (r.next() < 0.8) files[`m${i}/graph.txt`] = graphFor(r, files[`m${i}/go.mod`]!);
      }
      // The workspace's go.sum from a generator of its own (the other files stay as they were).
      const rw = rng(seed * 1009);
      if (seed % 4 === 1) {
        files['go.work'] = goWorkFor(r, n);
        files['go.work.sum'] = goSumFor(rw, 0.4);
      }
      // A module cycle in some: m1 and m2 require each other (by directory replaces).
      if (seed % 3 === 2) {
        files['m1/go.mod'] = withSibling(files['m1/go.mod']!, 2);
        files['m2/go.mod'] = withSibling(files['m2/go.mod']!, 1);
      }
      repo.write(files);
      repo.commit('base');
      repo.git('checkout', '-q', '-b', 'feature');
      // A pack filled by a full check at the base, as a nightly job on the default branch fills it:
      // it has the base's version of every file the change then touches.
      const nightlyDir = path.join(cacheDir, 'nightly');
      // It keeps its findings too: the base's findings of a change on this commit.
      assert.match(await runFull(repo.dir, nightlyDir, GRAPH), /findings kept for [0-9a-f]{12}/);
      // The change: new requirements, a go.sum edited, a broken go.mod, a new and a deleted module,
      // some committed and some left in the work tree.
      const change: Record<string, string | null> = {};
      for (let k = 0; k < 3; k++) change[`m${r.int(n)}/go.mod`] = goModFor(r, k, n).replace(/^module .*$/m, (line) => line);
      // Often another hash: old conflicts on lines moved to other versions, and new ones.
      change[`m${r.int(n)}/go.sum`] = goSumFor(r, 0.5);
      const bumped = `m${r.int(n)}/go.sum`;
      if (files[bumped] && change[bumped] === undefined) change[bumped] = bumpedSum(r, files[bumped]);
      if (seed % 2 === 0) change[`m${r.int(n)}/go.mod`] = 'module example.com/mono/broken\n\nrequire (\n';
      if (seed % 3 === 0) change[`m${n - 1}/go.mod`] = null;
      change[`m${n}/go.mod`] = goModFor(r, n, n + 1);
      // The cycle's m1 changed (its cycle is old news), and a new cycle of m3 and m4 (m3 changed).
      if (seed % 3 === 2) {
        change['m1/go.mod'] = `${change['m1/go.mod'] ?? files['m1/go.mod']!}\n// touched\n`;
        change['m3/go.mod'] = withSibling(change['m3/go.mod'] ?? files['m3/go.mod']!, 4);
        change['m4/go.mod'] = withSibling(change['m4/go.mod'] ?? files['m4/go.mod']!, 3);
      }
      // A module's graph moves with its go.mod, or on its own (a dependency's upgrade).
      const moved = `m${r.int(n)}`;
      change[`${moved}/graph.txt`] = graphFor(r, change[`${moved}/go.mod`] ?? files[`${moved}/go.mod`]!);
      if (files['go.work'] && seed % 8 === 1) change['go.work'] = goWorkFor(r, n);
      if (files['go.work.sum'] && seed % 8 === 5) change['go.work.sum'] = goSumFor(rw, 0.6);
      if (more) {
        const rm = rng(seed * 7919);
        const some = () => `m${rm.int(n)}`;
        const goModOf = (m: string) => change[`${m}/go.mod`] ?? files[`${m}/go.mod`];
        // A module path renamed (siblings still require the old one).
        if (rm.next() < 0.4) { const m = some(); const t = goModOf(m); if (t) change[`${m}/go.mod`] = t.replace(/^module (\S+)/m, 'module $1/renamed'); }
        if (rm.next() < 0.4) { const m = some(); if (files[`${m}/go.sum`]) change[`${m}/go.sum`] = null; }
        if (rm.next() < 0.4) { const m = some(); if (files[`${m}/graph.txt`]) change[`${m}/graph.txt`] = null; }
        // A module moved to another directory.
        if (rm.next() < 0.3) {
          const m = some();
          for (const name of ['go.mod', 'go.sum', 'graph.txt']) {
            const t = change[`${m}/${name}`] ?? files[`${m}/${name}`];
            if (t) { change[`${m}x/${name}`] = t; change[`${m}/${name}`] = null; }
          }
        }
        if (files['go.work'] && rm.next() < 0.3) change['go.work'] = null;
        if (!files['go.work'] && rm.next() < 0.15) change['go.work'] = goWorkFor(rm, n);
        if (rm.next() < 0.3) { const m = some(); const t = goModOf(m); if (t) change[`${m}/go.mod`] = withSibling(t, rm.int(n)); }
        if (rm.next() < 0.2) { const m = some(); const t = goModOf(m); if (t) change[`${m}/go.mod`] = `${t}\nreplace github.com/tail/p${rm.int(12)} => ../vendor/x\n`; }
      }
      repo.write(change);
      if (seed % 2 === 1) repo.commit('change', '2026-01-02T12:00:00Z');
      writeFileSync(path.join(repo.dir, `m${r.int(n)}/go.mod`), goModFor(r, 0, n));

      const plain = await prJson(repo.dir, { cache: false }, GRAPH);
      const cold = await prJson(repo.dir, { cacheDir }, GRAPH);
      assert.match(cold.stderr, /kept facts .*: 0 files found, \d+ read \(no pack this modguard can read there: none yet, [^)]*\); wrote \d+/, cold.stderr);
      assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.pack')).length, 1);
      const warm = await prJson(repo.dir, { cacheDir }, GRAPH);
      assert.match(warm.stderr, /kept facts .*: [1-9]\d* files found, 0 read; sibling links of [1-9]\d* modules kept/, warm.stderr);
      assert.doesNotMatch(warm.stderr, /no pack this modguard can read/);
      // The modules the change does not affect are built from facts, and their requirements counted
      // from the pack's tally (with those of the modules the change touched taken out of it).
      const affected = /(\d+) of (\d+) modules affected/.exec(JSON.parse(plain.json).notices.join('\n'));
      const outside = affected ? Number(affected[2]) - Number(affected[1]) : 0;
      if (outside > 0) assert.match(warm.stderr, new RegExp(`; requirements of ${outside} modules counted[;\\n]`), warm.stderr);
      assert.equal(cold.json, plain.json);
      assert.equal(warm.json, plain.json);
      assert.equal(cold.code, plain.code);
      assert.equal(warm.code, plain.code);
      const nightly = await prJson(repo.dir, { cacheDir: nightlyDir }, GRAPH);
      assert.match(nightly.stderr, /the base's findings: those a full check kept/, nightly.stderr);
      if (outside > 0) assert.match(nightly.stderr, new RegExp(`; requirements of ${outside} modules counted[;\\n]`), nightly.stderr);
      assert.equal(nightly.json, plain.json, 'with the pack and the findings of a full check at the base');

      // The result is the full checks' of head and base, judged per finding.
      await assertLikeFullChecks(repo, plain.json, `seed ${seed}`, GRAPH);
      // Shards build the modules they do not report on from the same pack: merged, they give the
      // full check's result.
      const shards = await shardsMerged(repo.dir, nightlyDir, GRAPH);
      assert.match(shards.stderr, /kept facts .*: [1-9]\d* files found.*; requirements of [1-9]\d* modules counted/, shards.stderr);
      assert.equal(shards.merged, shards.whole);
    });
  }

  it('shards with a pack whose module graph is of another shape link the modules before narrowing them, and write a pack that says so', async () => {
    // A cycle of m1 and m2 (by directory replaces), and modules none of them requires.
    const mod = (i: number, sibling?: number) => `module example.com/mono/m${i}\n\ngo 1.22\n${sibling ? `\nrequire example.com/mono/m${sibling} v0.0.0-00010101000000-000000000000\n\nreplace example.com/mono/m${sibling} => ../m${sibling}\n` : ''}`;
    const files: Record<string, string> = { 'm1/go.mod': mod(1, 2), 'm2/go.mod': mod(2, 1) };
    for (let i = 3; i <= 8; i++) files[`m${i}/go.mod`] = mod(i);
    repo.write(files);
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /findings kept for/);
    // A module added since: the pack's graph is of another shape, so links are made anew.
    repo.write({ 'm9/go.mod': mod(9) });
    for (let round = 0; round < 2; round++) {
      // The first round reads a stale graph (and writes a pack); the second reads that pack's.
      const shards = await shardsMerged(repo.dir, cacheDir, []);
      assert.equal(shards.merged, shards.whole, `round ${round}`);
      assert.equal((JSON.parse(shards.whole) as { findings: Array<{ rule: string }> }).findings.filter((f) => f.rule === 'module-cycle').length, 2);
    }
  });

  it('a full check with --cache-dir keeps the facts of the files that match HEAD, and PR mode reads only the changed ones', async () => {
    const r = rng(42);
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      files[`m${i}/go.mod`] = goModFor(r, i, 10);
      const sum = goSumFor(r);
      if (sum) files[`m${i}/go.sum`] = sum;
    }
    repo.write(files);
    repo.commit('base');
    // An uncommitted edit: its facts must not be kept under the committed blob.
    repo.write({ 'm1/go.mod': goModFor(r, 1, 10).replace('go 1.', 'go 1.2') });
    const out = await runFull(repo.dir, cacheDir);
    assert.match(out, /kept facts .*; wrote \d+/, out);
    assert.match(out, /findings not kept: 1 file differs from HEAD \(m1\/go\.mod\)/, out);
    repo.git('checkout', '-q', '--', '.');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'm2/go.mod': goModFor(r, 2, 10) });
    const warm = await prJson(repo.dir, { cacheDir });
    // Every unchanged file came from the pack but m1/go.mod (edited when the pack was written).
    assert.match(warm.stderr, /kept facts .*: [1-9]\d* files found, 1 read/, warm.stderr);
    assert.equal(warm.json, (await prJson(repo.dir, { cache: false })).json);
    // Nothing is missing now: a second full check writes nothing.
    repo.git('checkout', '-q', 'main');
    assert.doesNotMatch(await runFull(repo.dir, cacheDir), /wrote/);
    // A pack whose requirement tally leaves go.mod files out (one a PR run wrote may) is written
    // again, whole, by the next full check.
    const packFile = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.pack'))!);
    const bytes = readFileSync(packFile);
    const headerLength = bytes.readUInt32LE(8);
    const header = headerOf(bytes.subarray(bytes.length - headerLength)) as { tally?: { dirs: string[]; blobs: string[] } };
    // Every go.mod but m2's (changed in the work tree).
    assert.deepEqual(header.tally?.dirs, ['m0', 'm1', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
    header.tally!.dirs.pop();
    header.tally!.blobs.pop();
    writeFileSync(packFile, packBytes(header, bytes.subarray(16, bytes.length - headerLength)));
    assert.match(await runFull(repo.dir, cacheDir), /wrote \d+/);
    assert.doesNotMatch(await runFull(repo.dir, cacheDir), /wrote/);
  });

  it('the corpus monorepos in one repository: the same PR result with no pack, a cold one and a warm one, and as full checks judge it', async function () {
    if (!hasShared()) this.skip();
    const files: Record<string, string> = {};
    for (const f of corpusFiles()) {
      files[f] = readFileSync(path.join(CORPUS, f), 'utf8');
      const sum = f.replace(/go\.mod$/, 'go.sum');
      try { files[sum] = readFileSync(path.join(CORPUS, sum), 'utf8'); } catch { /* a module without go.sum */ }
    }
    repo.write(files);
    repo.commit('corpus');
    repo.git('checkout', '-q', '-b', 'feature');
    const nightlyDir = path.join(cacheDir, 'nightly');
    assert.match(await runFull(repo.dir, nightlyDir), /findings kept for [0-9a-f]{12}/);
    // Three changes: a new requirement, a version moved, a go.sum line with another hash.
    const mods = Object.keys(files).filter((f) => f.endsWith('go.mod') && /\n\t\S+ v\d/.test(files[f]!)).sort();
    const [a, b, c] = [mods[3]!, mods[Math.floor(mods.length / 2)]!, mods[mods.length - 5]!];
    const sumOfC = c.replace(/go\.mod$/, 'go.sum');
    repo.write({
      [a]: `${files[a]}\nrequire example.com/added v1.0.0\n`,
      [b]: files[b]!.replace(/(\n\t\S+ )v(\d+)\./, (_, head: string, major: string) => `${head}v${major}.9999.`),
      ...(files[sumOfC] ? { [sumOfC]: files[sumOfC]!.replace(/h1:./, 'h1:Z') } : {}),
    });
    repo.commit('change', '2026-01-02T12:00:00Z');
    const plain = await prJson(repo.dir, { cache: false });
    const cold = await prJson(repo.dir, { cacheDir });
    const warm = await prJson(repo.dir, { cacheDir });
    assert.match(warm.stderr, /kept facts .*: [1-9]\d\d+ files found, (\d+) read(?: \(\1 never kept\))?[;\n]/, warm.stderr);
    assert.doesNotMatch(warm.stderr, /wrote/, 'a warm run writes no pack');
    assert.ok(JSON.parse(plain.json).findings.length > 0, 'the change is judged with findings');
    assert.equal(cold.json, plain.json);
    assert.equal(warm.json, plain.json);
    const nightly = await prJson(repo.dir, { cacheDir: nightlyDir });
    assert.match(nightly.stderr, /the base's findings: those a full check kept/, nightly.stderr);
    assert.equal(nightly.json, plain.json, 'with the pack and the findings of a full check at the base');
    await assertLikeFullChecks(repo, plain.json, 'corpus');
  });

  it('finds the modules depending on a changed one through the sibling links kept in the pack', async () => {
    const mod = (name: string, body = '') => `module example.com/mono/${name}\n\ngo 1.22\n${body}`;
    const sibling = (name: string) => `\nrequire example.com/mono/${name} v0.0.0-00010101000000-000000000000\n\nreplace example.com/mono/${name} => ../${name}\n`;
    repo.write({
      'lib/go.mod': mod('lib'), 'mid/go.mod': mod('mid', sibling('lib')), 'app/go.mod': mod('app', sibling('mid')),
      'other/go.mod': mod('other'), 'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./mid\n)\n',
    });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'lib/go.mod': mod('lib', '\nrequire golang.org/x/net v0.0.0-20240101000000-aaaaaaaaaaaa\n') });
    const warm = await prJson(repo.dir, { cacheDir });
    assert.match(warm.stderr, /sibling links of 3 modules kept/, warm.stderr);
    assert.match(JSON.parse(warm.json).notices[0], /3 of 4 modules affected/);
    assert.equal(warm.json, (await prJson(repo.dir, { cache: false })).json);
    // Another shape (a go.work that uses one module more): the kept links are not used.
    repo.write({ 'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./mid\n\t./other\n)\n' });
    const other = await prJson(repo.dir, { cacheDir });
    assert.doesNotMatch(other.stderr, /sibling links/);
    assert.equal(other.json, (await prJson(repo.dir, { cache: false })).json);
  });

  it('a go.mod text in two directories: one record, both counted by the tally, and a second full check writes nothing', async () => {
    const text = 'module example.com/mono/twin\n\ngo 1.22\n\nrequire github.com/a/lib v1.0.0\n';
    repo.write({ 'a/go.mod': text, 'b/go.mod': text, 'c/go.mod': 'module example.com/mono/c\n\ngo 1.22\n\nrequire github.com/a/lib v1.1.0\n' });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote \d+/);
    assert.doesNotMatch(await runFull(repo.dir, cacheDir), /wrote/);
    const packFile = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.pack'))!);
    const bytes = readFileSync(packFile);
    const header = headerOf(bytes.subarray(bytes.length - bytes.readUInt32LE(8))) as unknown as { mods: string[]; tally: { dirs: string[] } };
    assert.equal(header.mods.length, 2);
    assert.deepEqual(header.tally.dirs, ['a', 'b', 'c']);
  });

  it('counts the other modules from the tally, but not when pseudo-version-conflict is to list releases too', async () => {
    const mod = (name: string, body: string) => `module example.com/mono/${name}\n\ngo 1.22\n\n${body}\n`;
    const files: Record<string, string> = {
      'app/go.mod': mod('app', 'require (\n\tgithub.com/x/y v0.0.0-20240101000000-aaaaaaaaaaaa\n\tgithub.com/a/lib v1.0.0\n)'),
      'b/go.mod': mod('b', 'require (\n\tgithub.com/x/y v1.2.0\n\tgithub.com/a/lib v1.1.0\n\tgithub.com/a/lib/v2 v2.0.0\n)'),
      'c/go.mod': mod('c', 'require (\n\tgithub.com/x/y v0.0.0-20240202000000-bbbbbbbbbbbb // indirect\n\tgithub.com/a/lib v1.1.0\n)'),
    };
    repo.write(files);
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'app/go.mod': mod('app', 'require (\n\tgithub.com/x/y v0.0.0-20240303000000-cccccccccccc\n\tgithub.com/a/lib v1.0.0\n)') });
    repo.commit('change');
    for (const options of [undefined, { flagReleaseMix: true }]) {
      if (options) {
        // The configuration on the default branch, merged: not part of the change.
        repo.git('checkout', '-q', 'main');
        repo.write({ 'modguard.json': JSON.stringify({ rules: { 'pseudo-version-conflict': { options } } }) });
        repo.commit('configuration');
        repo.git('checkout', '-q', 'feature');
        repo.git('merge', '-q', '--no-edit', 'main');
      }
      await prJson(repo.dir, { cacheDir });
      const warm = await prJson(repo.dir, { cacheDir });
      const plain = await prJson(repo.dir, { cache: false });
      assert.equal(warm.json, plain.json);
      assert.match(warm.stderr, /1 of 3 modules affected|files found, 0 read/, warm.stderr);
      const findings = JSON.parse(warm.json).findings as { rule: string; data: { involved?: { version: string }[] } }[];
      for (const rule of ['pseudo-version-conflict', 'version-divergence', 'multiple-majors']) assert.ok(findings.some((f) => f.rule === rule), `${rule}: ${warm.json}`);
      const listed = findings.find((f) => f.rule === 'pseudo-version-conflict')!.data.involved!.map((u) => u.version);
      if (options) {
        // Releases are listed too (v1.2.0 of b), so every requirement of the compared paths is made.
        assert.deepEqual(listed, ['v0.0.0-20240303000000-cccccccccccc', 'v1.2.0', 'v0.0.0-20240202000000-bbbbbbbbbbbb']);
        assert.doesNotMatch(warm.stderr, /modules counted/, warm.stderr);
      } else {
        assert.deepEqual(listed, ['v0.0.0-20240303000000-cccccccccccc', 'v0.0.0-20240202000000-bbbbbbbbbbbb']);
        assert.match(warm.stderr, /; requirements of 2 modules counted/, warm.stderr);
      }
    }
  });

  it('keeps the replaces of the paths the reported modules require: a replaced requirement elsewhere is no conflict', async () => {
    const mod = (name: string, body: string) => `module example.com/mono/${name}\n\ngo 1.22\n\n${body}\n`;
    repo.write({
      'app/go.mod': mod('app', 'require github.com/x/y v0.0.0-20240101000000-aaaaaaaaaaaa'),
      // Another commit of x/y, but replaced by a release of a fork: what is built is not that commit.
      'fork/go.mod': mod('fork', 'require github.com/x/y v0.0.0-20240202000000-bbbbbbbbbbbb\n\nreplace github.com/x/y => github.com/fork/y v1.0.0'),
      'plain/go.mod': mod('plain', 'require golang.org/x/net v0.1.0'),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'app/go.mod': mod('app', 'require (\n\tgithub.com/x/y v0.0.0-20240101000000-aaaaaaaaaaaa\n\tgolang.org/x/net v0.2.0\n)') });
    await prJson(repo.dir, { cacheDir });
    const warm = await prJson(repo.dir, { cacheDir });
    assert.match(warm.stderr, /files found, 0 read/, warm.stderr);
    assert.equal(warm.json, (await prJson(repo.dir, { cache: false })).json);
    assert.ok(!JSON.parse(warm.json).findings.some((f: { rule: string }) => f.rule === 'pseudo-version-conflict'), warm.json);
  });

  it('keeps every replace of the modules a go.work uses: broken-workspace compares them, of whatever path', async () => {
    const mod = (name: string, body = '') => `module example.com/mono/${name}\n\ngo 1.22\n${body}`;
    repo.write({
      'app/go.mod': mod('app', '\nrequire golang.org/x/net v0.1.0\n'),
      // Two other members replace one path (that app does not require) by different targets.
      'b/go.mod': mod('b', '\nrequire github.com/x/y v1.0.0\n\nreplace github.com/x/y => github.com/fork/y v1.0.0\n'),
      'c/go.mod': mod('c', '\nrequire github.com/x/y v1.0.0\n\nreplace github.com/x/y => github.com/other/y v1.0.0\n'),
      'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./b\n\t./c\n)\n',
    });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'app/go.mod': mod('app', '\nrequire golang.org/x/net v0.2.0\n') });
    const plain = await prJson(repo.dir, { cache: false });
    assert.match(plain.json, /conflicting replacements for github\.com\/x\/y/, plain.json);
    const warm = await prJson(repo.dir, { cacheDir });
    assert.match(warm.stderr, /1 of 3 modules affected|files found, 0 read/, warm.stderr);
    assert.match(warm.stderr, /requirements of 2 modules counted/, warm.stderr);
    assert.equal(warm.json, plain.json);
  });

  it('checks every module of a workspace when a used module changes its replaces (they are the workspace\'s), only the changed one otherwise', async () => {
    // Both graphs are the workspace's: x/y at v1.9.0, which a's replace makes v1.8.0 for the whole workspace.
    const graph = 'example.com/mono/a example.com/dep@v1.0.0\nexample.com/mono/b example.com/dep@v1.0.0\nexample.com/dep@v1.0.0 github.com/x/y@v1.9.0\n';
    const mod = (name: string, body = '') => `module example.com/mono/${name}\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n${body}`;
    const REPLACE = '\nreplace github.com/x/y v1.9.0 => github.com/x/y v1.8.0\n';
    repo.write({
      'anchor.lock': 'anchor github.com/x/y v1.8.0\nallow-replace github.com/x/y\n',
      'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
      'a/go.mod': mod('a', REPLACE), 'a/graph.txt': graph,
      'b/go.mod': mod('b'), 'b/graph.txt': graph,
    });
    repo.commit('base');
    assert.deepEqual(await fullFindings(repo.dir, GRAPH), []);
    assert.match(await runFull(repo.dir, cacheDir, GRAPH), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');

    // A change that keeps the replaces: the changed module only.
    repo.write({ 'a/go.mod': mod('a', `${REPLACE}\nrequire golang.org/x/text v0.14.0\n`) });
    const sameReplaces = [await prJson(repo.dir, { cache: false }, GRAPH), await prJson(repo.dir, { cacheDir }, GRAPH)];
    for (const r of sameReplaces) assert.match(r.json, /1 of 2 modules affected/, r.json);
    assert.equal(sameReplaces[1]!.json, sameReplaces[0]!.json);

    // Without the replace, both modules build x/y v1.9.0: b is checked too, whether or not facts were kept.
    repo.write({ 'a/go.mod': mod('a') });
    const plain = await prJson(repo.dir, { cache: false }, GRAPH);
    const warm = await prJson(repo.dir, { cacheDir }, GRAPH);
    assert.match(plain.json, /2 of 2 modules affected/, plain.json);
    const drifted = (json: string) => (JSON.parse(json) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'anchor-drift').map((f) => [f.file, f.isNew]);
    assert.deepEqual(drifted(plain.json), [['a/go.mod', true], ['b/go.mod', true]]);
    assert.equal(warm.json, plain.json);
    assert.deepEqual((await fullFindings(repo.dir, GRAPH)).filter((f) => f.rule === 'anchor-drift').map((f) => f.file), ['a/go.mod', 'b/go.mod']);
  });

  it('checks the siblings of a module the change renamed or removed, which may require its old path', async () => {
    const mod = (dir: string, body = '') => `module example.com/${dir}\n\ngo 1.22\n${body}`;
    repo.write({
      'modguard.json': '{"rules": {"version-divergence": "error"}}',
      'libs/b/go.mod': mod('libs/b'),
      'svc/x/go.mod': mod('svc/x', '\nrequire example.com/libs/b v1.0.0\n'),
      'svc/z/go.mod': mod('svc/z', '\nrequire example.com/libs/b v1.1.0\n'),
    });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');
    const divergence = (json: string) => (JSON.parse(json) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'version-divergence').map((f) => [f.file, f.isNew]);
    for (const change of [() => repo.write({ 'libs/b/go.mod': mod('libs/b2') }), () => repo.git('rm', '-q', 'libs/b/go.mod')]) {
      change();
      const full = (await fullFindings(repo.dir)).filter((f) => f.rule === 'version-divergence').map((f) => f.file);
      // Two versions of a path no module declares any more: the less used one is reported.
      assert.deepEqual(full, ['svc/x/go.mod']);
      const plain = await prJson(repo.dir, { cache: false });
      assert.deepEqual(divergence(plain.json), [['svc/x/go.mod', true]]);
      assert.equal(plain.code, 1);
      assert.equal((await prJson(repo.dir, { cacheDir })).json, plain.json);
      repo.git('checkout', '-q', 'HEAD', '--', 'libs/b/go.mod');
    }
  });

  it('reports on a go.work the change touched even when its use lines name no module of the repository', async () => {
    repo.write({ 'a/go.mod': 'module example.com/mono/a\n\ngo 1.22\n', 'go.work': 'go 1.22\n\nuse ./a\n' });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'go.work': 'go 1.22\n\nuse ./gone\n' });
    const plain = await prJson(repo.dir, { cache: false });
    const warm = await prJson(repo.dir, { cacheDir });
    const broken = (json: string) => (JSON.parse(json) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'broken-workspace').map((f) => [f.file, f.line, f.isNew]);
    assert.deepEqual(broken(plain.json), [['go.work', 3, true]]);
    assert.equal(plain.code, 1);
    assert.equal(warm.json, plain.json);
  });

  /** prShardJson is prJson of one shard (`--shard k/n`). */
  const prShardJson = (k: number, n: number, cacheArgs: { cache?: boolean; cacheDir?: string }, extra: readonly string[] = []) =>
    prJson(repo.dir, cacheArgs, ['--shard', `${k}/${n}`, ...extra]);
  /** sameShards asserts that each of n shards reports with the cache what it reports without. */
  async function sameShards(n: number, cacheDir: string, extra: readonly string[] = []): Promise<string[]> {
    const plain: string[] = [];
    for (let k = 1; k <= n; k++) {
      const without = await prShardJson(k, n, { cache: false }, extra);
      const withPack = await prShardJson(k, n, { cacheDir }, extra);
      assert.equal(withPack.json, without.json, `shard ${k}/${n}`);
      assert.equal(withPack.code, without.code, `shard ${k}/${n}`);
      plain.push(without.json);
    }
    return plain;
  }
  const Z = 'v0.0.0-00010101000000-000000000000';
  const plainMod = (path: string, body = '') => `module ${path}\n\ngo 1.22\n${body}`;

  it('links the base\'s modules by all their statements where the change renamed a module: a cycle of the base stays old news', async () => {
    repo.write({
      'f/go.mod': plainMod('example.com/f', `\nrequire example.com/g ${Z}\n`),
      'g/go.mod': plainMod('example.com/g', `\nrequire example.com/l ${Z}\n`),
      'l/go.mod': plainMod('example.com/l', `\nrequire example.com/f ${Z}\n`),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    // f renamed and g now requiring it: the head's cycle is f <-> g; l (unchanged) is built from facts.
    repo.write({ 'f/go.mod': plainMod('example.com/f2', `\nrequire example.com/g ${Z}\n`), 'g/go.mod': plainMod('example.com/g', `\nrequire example.com/f2 ${Z}\n`) });
    const plain = await prJson(repo.dir, { cache: false });
    const cycle = (JSON.parse(plain.json).findings as JsonFinding[]).find((f) => f.rule === 'module-cycle' && f.file === 'f/go.mod');
    assert.equal(cycle?.isNew, false, plain.json);
    await prJson(repo.dir, { cacheDir });
    const warm = await prJson(repo.dir, { cacheDir });
    assert.match(warm.stderr, /files found/, warm.stderr);
    assert.equal(warm.json, plain.json);
    // In shards too, with a module added (the repository's shape changes with it).
    repo.write({ 'd/go.mod': plainMod('example.com/d') });
    await prJson(repo.dir, { cacheDir });
    await sameShards(2, cacheDir);
  });

  it('gives a shard\'s base the base\'s go.sum of a module built from facts whose go.sum the change touched', async () => {
    repo.write({
      'a/go.mod': plainMod('example.com/a', '\nrequire github.com/x/y v1.0.0\n'),
      'a/go.sum': `github.com/x/y v1.0.0 h1:${'A'.repeat(43)}=\n`,
      'b/go.mod': plainMod('example.com/b', '\nrequire github.com/x/y v1.0.0\n'),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    // b's go.sum is new, with another hash: the conflict is new, wherever b is built from.
    repo.write({ 'a/go.mod': plainMod('example.com/a', '\nrequire github.com/x/y v1.0.0\n\n// touched\n'), 'b/go.sum': `github.com/x/y v1.0.0 h1:${'B'.repeat(43)}=\n` });
    await prJson(repo.dir, { cacheDir });
    const shards = await sameShards(2, cacheDir);
    const conflicts = shards.flatMap((j) => (JSON.parse(j).findings as JsonFinding[]).filter((f) => f.rule === 'gosum-hash-conflict'));
    assert.ok(conflicts.length > 0 && conflicts.every((f) => f.isNew === true), JSON.stringify(conflicts));
  });

  it('finds a shard\'s affected modules before the modules built from facts are narrowed: a replace of a removed module\'s directory', async () => {
    repo.write({
      'a/go.mod': plainMod('example.com/a'),
      'b/go.mod': plainMod('example.com/b', '\nrequire github.com/x/y v0.0.0-20240101000000-aaaaaaaaaaaa\n\nreplace example.com/a => ../a\n'),
      'c/go.mod': plainMod('example.com/c', '\nrequire github.com/x/y v0.0.0-20240101000000-bbbbbbbbbbbb\n'),
      'e/go.mod': plainMod('example.com/e', `\nrequire (\n\texample.com/b ${Z}\n\tgithub.com/x/y v0.0.0-20240101000000-cccccccccccc\n)\n\nreplace example.com/b => ../b\n`),
    });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /wrote/);
    repo.git('checkout', '-q', '-b', 'feature');
    rmSync(path.join(repo.dir, 'a/go.mod'));
    const shards = await sameShards(2, cacheDir);
    const notices = shards.flatMap((j) => JSON.parse(j).notices as string[]).join('\n');
    // A removed module's siblings may require its path: every module is checked, in one shard or the other.
    assert.match(notices, /3 of 3 modules affected/, notices);
    assert.ok(shards.some((j) => /pseudo-version-conflict/.test(j)));
  });

  it('runs the rules that need a module graph at the base when the graph files lie outside the focus, as at the head', async () => {
    repo.write({
      'a/go.mod': plainMod('example.com/a', '\nrequire (\n\t// modguard:ignore anchor-drift accepted for the test\n\tgithub.com/x/y v1.0.0\n)\n'),
      'b/go.mod': plainMod('example.com/b', '\nrequire github.com/x/y v1.0.0\n'),
      'b/graph.txt': 'example.com/b github.com/x/y@v1.0.0\n',
    });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir, GRAPH), /findings kept/);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a/go.mod': plainMod('example.com/a', '\nrequire (\n\t// modguard:ignore anchor-drift accepted for the test\n\tgithub.com/x/y v1.1.0\n)\n') });
    const plain = await prJson(repo.dir, { cache: false }, GRAPH);
    const unused = (JSON.parse(plain.json).findings as JsonFinding[]).find((f) => f.rule === 'suppression-unused');
    assert.equal(unused?.isNew, false, plain.json);
    assert.equal((await prJson(repo.dir, { cacheDir }, GRAPH)).json, plain.json);
  });

  it('reports at the base on the go.work files the head reports on, whichever modules the base\'s go.work uses', async () => {
    repo.write({ 'm3/go.mod': 'module example.com/mono/m3/v2\n', 'go.work': 'use (\n\t.\n)\n' });
    repo.commit('base');
    assert.match(await runFull(repo.dir, cacheDir), /findings kept/);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'go.work': 'use (\n\t./m3\n\t./m7\n)\n' });
    const plain = await prJson(repo.dir, { cache: false });
    assert.equal((await prJson(repo.dir, { cacheDir })).json, plain.json);
    assert.ok((JSON.parse(plain.json).findings as JsonFinding[]).some((f) => f.file === 'go.work' && f.isNew === false), plain.json);
    await sameShards(2, cacheDir);
  });

  it('reads a file again when its content changed in the work tree since the run that kept its facts', async () => {
    const lib = 'module example.com/mono/lib\n\ngo 1.22\n\nrequire golang.org/x/net v0.0.0-20240101000000-aaaaaaaaaaaa\n';
    repo.write({ 'lib/go.mod': lib, 'app/go.mod': 'module example.com/mono/app\n\ngo 1.22\n', 'tool/go.mod': 'module example.com/mono/tool\n\ngo 1.22\n' });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'app/go.mod': 'module example.com/mono/app\n\ngo 1.22\n\nrequire golang.org/x/net v0.0.0-20240202000000-bbbbbbbbbbbb\n' });
    await prJson(repo.dir, { cacheDir });
    // lib now differs from the base in the work tree: its kept facts (of the base's blob) must not be used.
    repo.write({ 'lib/go.mod': lib.replace('aaaaaaaaaaaa', 'cccccccccccc') });
    const warm = await prJson(repo.dir, { cacheDir });
    const plain = await prJson(repo.dir, { cache: false });
    assert.equal(warm.json, plain.json);
    assert.match(warm.json, /cccccccccccc/);
  });

  /**
   * packOfPrRun commits `base` on main, writes `head` on a branch and runs PR mode with the cache:
   * the pack that run wrote (of b's go.mod, unchanged), its path and bytes.
   */
  async function packOfPrRun(b: string, aAtHead: string): Promise<{ packPath: string; bytes: Buffer }> {
    repo.write({ 'a/go.mod': 'module example.com/mono/a\n\ngo 1.22\n', 'b/go.mod': b });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a/go.mod': `module example.com/mono/a\n\ngo 1.22\n\n${aAtHead}` });
    await prJson(repo.dir, { cacheDir });
    const packPath = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.pack'))!);
    return { packPath, bytes: readFileSync(packPath) };
  }

  it('ignores a damaged pack and replaces it with a whole one', async () => {
    const { packPath, bytes } = await packOfPrRun('module example.com/mono/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.1.0\n', 'require golang.org/x/net v0.2.0\n');
    writeFileSync(packPath, bytes.subarray(0, bytes.length - 8));
    const damaged = await prJson(repo.dir, { cacheDir });
    const plain = await prJson(repo.dir, { cache: false });
    assert.equal(damaged.json, plain.json);
    assert.equal(damaged.code, plain.code);
    assert.ok(decodePack(readFileSync(packPath), FACTS_TOOL), 'a whole pack was written again');
    writeFileSync(packPath, 'not a pack at all');
    assert.equal((await prJson(repo.dir, { cacheDir })).json, plain.json);
  });

  it('reads no facts from a pack damaged since it was written, even where its numbers stay in range, and gives the result of a run without it', async () => {
    const { packPath, bytes } = await packOfPrRun(
      'module example.com/mono/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.0.0-20240101000000-aaaaaaaaaaaa\n',
      'require golang.org/x/net v0.0.0-20240202000000-bbbbbbbbbbbb\n',
    );
    const pack = decodePack(bytes, FACTS_TOOL)!;
    const at = pack.mods.get(repo.git('rev-parse', 'main:b/go.mod').trim())!;
    assert.ok(at !== undefined, 'b\'s go.mod is kept');
    const plain = await prJson(repo.dir, { cache: false });
    assert.match(plain.json, /pseudo-version-conflict/);
    // b's first requirement (after the record's header of 6 + 3 * 3 numbers): its version made
    // another string of the pack (in range: b would require x/net at `1.22`, its go version, and
    // the conflict of the two commits would be gone), or one past the strings.
    const version = pack.strings.indexOf('1.22');
    assert.ok(version >= 0);
    for (const id of [version, pack.strings.length + 7]) {
      const damaged = Buffer.from(bytes);
      damaged.writeUInt32LE(id, 16 + 4 * (at + 6 + 3 * 3 + 1));
      writeFileSync(packPath, damaged);
      const run = await prJson(repo.dir, { cacheDir });
      assert.equal(run.json, plain.json, String(id));
      assert.match(run.stderr, /kept facts .*: 0 files found, \d+ read .*\(no pack this modguard can read there: none yet, one of another version, or one damaged since it was written\)/);
      writeFileSync(packPath, bytes);
    }
  });
});
