import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runModules } from '../../src/commands/modules-run.ts';
import { UsageError } from '../../src/commands/context.ts';
import { fakeContext } from '../support/context.ts';

const SIB = 'v0.0.0-00010101000000-000000000000';

describe('modguard modules', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'modguard-modules-'));
    const files: Record<string, string> = {
      'lib/go.mod': 'module x/lib\n',
      'mid/go.mod': `module x/mid\n\nrequire x/lib ${SIB}\n\nreplace x/lib => ../lib\n`,
      'app/go.mod': `module x/app\n\nrequire x/mid ${SIB}\n\nreplace x/mid => ../mid\n`,
      'tool/go.mod': 'module x/tool\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists each module with its sibling dependencies and dependents', async () => {
    const ctx = fakeContext(root);
    assert.equal(await runModules({ root, json: true }, ctx), 0);
    const out = JSON.parse(ctx.out());
    assert.deepEqual(out.modules.map((m: { dir: string; dependsOn: string[]; dependents: string[] }) => [m.dir, m.dependsOn, m.dependents]), [
      ['app', ['mid'], []], ['lib', [], ['mid']], ['mid', ['lib'], ['app']], ['tool', [], []],
    ]);
    assert.deepEqual(out.cycles, []);
  });

  it('--dependents gives what a change to a module affects, by dir or module path', async () => {
    // A module path, or the directory from the root or from the current directory, written any way.
    for (const [which, cwd] of [['lib', root], ['x/lib', root], ['./lib/', root], ['../lib', path.join(root, 'app')], [path.join(root, 'lib'), '/']] as const) {
      const ctx = fakeContext(cwd);
      await runModules({ root, json: true, dependents: which }, ctx);
      assert.deepEqual(JSON.parse(ctx.out()).modules.map((m: { dir: string }) => m.dir), ['app', 'lib', 'mid'], `${which} from ${cwd}`);
    }
    await assert.rejects(runModules({ root, dependents: 'nope' }, fakeContext(root)), UsageError);
  });

  it('prints a text table ending with the counts', async () => {
    const ctx = fakeContext(root);
    await runModules({ root }, ctx);
    assert.match(ctx.out(), /^mid +x\/mid\n +depends on: lib; depended on by 1$/m);
    assert.match(ctx.out(), /4 modules, 0 cycles\n$/);
  });
});
