// Lazy properties (util/lazy.ts): made once when first read, an assignment before that wins, and
// objects given the same lazy properties keep one hidden class (checked in a node of its own with
// V8's natives syntax, which the test process does not have).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineLazy } from '../../src/util/lazy.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('util/lazy: properties made when first read', () => {
  it('makes the value once, on the first read, and keeps it', () => {
    let made = 0;
    const o = { a: 1 } as { a: number; b?: string };
    defineLazy(o, 'b', () => `made ${++made}`);
    assert.equal(made, 0);
    assert.equal(o.b, 'made 1');
    assert.equal(o.b, 'made 1');
    assert.equal(made, 1);
    assert.deepEqual(Object.keys(o), ['a', 'b']);
    assert.deepEqual({ ...o }, { a: 1, b: 'made 1' });
  });

  it('keeps a value assigned before the first read, never makes one, and says so', () => {
    let made = 0;
    let told = 0;
    const o = {} as { b?: string };
    defineLazy(o, 'b', () => `made ${++made}`, () => told++);
    o.b = 'assigned';
    assert.equal(o.b, 'assigned');
    assert.equal(made, 0);
    assert.equal(told, 1);
    // Each object its own value, through the one shared accessor.
    const p = {} as { b?: string };
    defineLazy(p, 'b', () => 'other');
    assert.equal(p.b, 'other');
    assert.equal(o.b, 'assigned');
  });

  it('gives objects with the same lazy properties one hidden class, with fast properties', () => {
    const code = `
      const { defineLazy } = await import(${JSON.stringify(path.join(ROOT, 'src/util/lazy.ts'))});
      const objects = Array.from({ length: 50 }, (_, i) => {
        const o = { dir: 'd' + i, errors: [] };
        defineLazy(o, 'text', () => 'text ' + i);
        defineLazy(o, 'sum', () => i);
        return o;
      });
      const same = objects.every((o) => %HaveSameMap(o, objects[0]));
      const fast = objects.every((o) => %HasFastProperties(o));
      console.log(JSON.stringify({ same, fast, text: objects[7].text, sum: objects[9].sum }));`;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { same: true, fast: true, text: 'text 7', sum: 9 });
  });

  it('keeps one hidden class for the modules built from kept facts, their copies and their go.sum parses', () => {
    const src = (f: string) => JSON.stringify(path.join(ROOT, 'src', f));
    const code = `
      const { liteModule, liteCopy, PackWriter, decodePack, FACTS_TOOL } = await import(${src('engine/facts.ts')});
      const { assembleRepository, setDeferredSum, setLazySumText } = await import(${src('engine/assemble.ts')});
      const { parseGoSumBytes, SumTable } = await import(${src('gosum/parse.ts')});
      const h = 'h1:' + 'a'.repeat(43) + '=';
      const files = new Map();
      for (let i = 0; i < 6; i++) files.set('m' + i + '/go.mod', 'module example.com/m' + i + '\\n\\nrequire x.y/z v1.' + i + '.0\\n');
      const repo = assembleRepository({ root: '/r', files });
      const table = new SumTable();
      const sums = repo.modules.map((m, i) => parseGoSumBytes(Buffer.from('x.y/z v1.' + i + '.0 ' + h + '\\n'), m.dir + '/go.sum', table));
      repo.modules.forEach((m, i) => setLazySumText(m, sums[i], () => 'text'));
      const w = new PackWriter();
      repo.modules.forEach((m, i) => w.addMod('b' + i, m, false));
      const pack = decodePack(w.bytes(FACTS_TOOL), FACTS_TOOL);
      const lite = repo.modules.map((m, i) => liteModule(m.goModFile, m.dir, pack.mod('b' + i, m.goModFile), '/nowhere'));
      lite.forEach((m, i) => setDeferredSum(m, () => sums[i]));
      const copies = lite.map(liteCopy);
      const one = (list) => list.every((o) => %HaveSameMap(o, list[0]) && %HasFastProperties(o));
      console.log(JSON.stringify({ parsed: one(repo.modules), sums: one(sums), lite: one(lite), copies: one(copies), entries: sums[3].entries.length }));`;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { parsed: true, sums: true, lite: true, copies: true, entries: 1 });
  });
});
