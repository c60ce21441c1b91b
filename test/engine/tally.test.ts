// Requirement tallies (engine/tally.ts): counts by path, version and kind, a module's requirements
// counted in and taken out, and the rules that count from a tally giving what they give from the
// requirements themselves.
import { strict as assert } from 'node:assert';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { check } from '../../src/engine/run.ts';
import { isTallied, requirementKind, RequireTally, TALLY_INDIRECT, TALLY_REPLACED, TALLY_SELF } from '../../src/engine/tally.ts';
import type { Config, ModuleInfo, Repository } from '../../src/engine/types.ts';
import { replacedVersions } from '../../rules/support/syntax.ts';
import { mulberry32 } from '../../src/util/prng.ts';

function entries(t: RequireTally): string[] {
  const out: string[] = [];
  t.forEach((path, version, kind, n) => out.push(`${path} ${version} ${kind} ${n}`));
  return out.sort();
}

const A = `module example.com/m/a

go 1.22

require (
\tgithub.com/x/y v1.2.3
\tgolang.org/x/net v0.1.0 // indirect
\texample.com/m/a v1.0.0
\tgithub.com/c/old v1.0.0
)

replace github.com/c/old => github.com/c/new v1.0.0
`;

describe('engine/tally: requirement counts by path, version and kind', () => {
  const repo = assembleRepository({ root: '/r', files: new Map([['a/go.mod', A]]) });
  const a = repo.modules[0]!;

  it('gives each requirement its kind: indirect, replaced by its module, its own module path', () => {
    const replaced = replacedVersions(a);
    assert.deepEqual(a.mod!.require.map((r) => requirementKind(r, a.modulePath, replaced)), [0, TALLY_INDIRECT, TALLY_SELF, TALLY_REPLACED]);
  });

  it('counts a module in and takes it out again; taking out more than it holds fails and changes nothing', () => {
    const t = new RequireTally();
    assert.ok(t.addModule(a.modulePath, a.mod!, 1));
    assert.ok(t.addModule(a.modulePath, a.mod!, 1));
    assert.deepEqual(entries(t), [
      'example.com/m/a v1.0.0 4 2', 'github.com/c/old v1.0.0 2 2', 'github.com/x/y v1.2.3 0 2', 'golang.org/x/net v0.1.0 1 2',
    ]);
    assert.ok(t.addModule(a.modulePath, a.mod!, -1));
    assert.ok(t.addModule(a.modulePath, a.mod!, -1));
    assert.deepEqual(entries(t), []);
    assert.equal(t.take('github.com/x/y', 'v1.2.3', 0, 1), false);
    t.add('github.com/x/y', 'v1.2.3', 0, 1);
    assert.equal(t.take('github.com/x/y', 'v1.2.3', 0, 2), false);
    assert.equal(t.take('github.com/x/y', 'v1.2.3', TALLY_INDIRECT, 1), false);
    assert.deepEqual(entries(t), ['github.com/x/y v1.2.3 0 1']);
    const u = new RequireTally();
    u.merge(t);
    u.merge(t);
    assert.deepEqual(entries(u), ['github.com/x/y v1.2.3 0 2']);
  });

  it('tallies no go.mod that requires one path twice', () => {
    const twice = assembleRepository({ root: '/r', files: new Map([['b/go.mod', 'module example.com/m/b\n\nrequire (\n\tgithub.com/x/y v1.0.0\n\tgithub.com/x/y v2.0.0+incompatible\n)\n']]) });
    assert.equal(isTallied(twice.modules[0]!.mod!), false);
    assert.equal(isTallied(a.mod!), true);
  });
});

// The counting rules with a tally standing for some modules (as PR mode gives them one) find what
// they find with every module's requirements, over generated repositories.
const DEPS = ['github.com/a/lib', 'github.com/a/lib/v2', 'github.com/a/lib/v3', 'gopkg.in/yaml.v2', 'gopkg.in/yaml.v3', 'github.com/b/util', 'github.com/c/old', 'example.com/m/m0'];
const VERSIONS = ['v1.0.0', 'v1.1.0', 'v0.9.0', 'v0.0.0-20240101000000-aaaaaaaaaaaa', 'v0.0.0-20240202000000-bbbbbbbbbbbb', 'v2.0.0+incompatible', 'v3.1.0+incompatible', 'vbad'];

function generated(seed: number): Map<string, string> {
  const next = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const files = new Map<string, string>();
  files.set('anchor.lock', next() < 0.5 ? 'go 1.22\nanchor github.com/b/util v1.1.0\n' : 'go 1.22\n');
  const n = 4 + Math.floor(next() * 10);
  for (let i = 0; i < n; i++) {
    const reqs: string[] = [];
    for (const dep of DEPS) {
      if (next() < 0.45) continue;
      let v = pick(VERSIONS);
      if (dep.endsWith('/v2')) v = pick(['v2.0.0', 'v2.1.0']);
      if (dep.endsWith('/v3') || dep.endsWith('.v3')) v = pick(['v3.0.0', 'v3.0.1']);
      reqs.push(`\t${dep} ${v}${next() < 0.3 ? ' // indirect' : ''}`);
    }
    if (next() < 0.15) reqs.push(`\texample.com/m/m${i} v1.0.0`);
    const replaces = next() < 0.3 ? `\nreplace github.com/c/old ${next() < 0.5 ? pick(VERSIONS) + ' ' : ''}=> github.com/c/new v1.0.0\n` : '';
    files.set(`m${i}/go.mod`, `module example.com/m/m${i}\n\ngo 1.22\n\nrequire (\n${reqs.join('\n')}\n)\n${replaces}`);
  }
  return files;
}

/** withTally gives repo a tally standing for the modules `counted` picks, whose requirements keep only pseudo-versions. */
function withTally(repo: Repository, counted: (m: ModuleInfo) => boolean): Repository {
  const tally = new RequireTally();
  const mods = new Set<ModuleInfo['mod']>();
  const modules = repo.modules.map((m) => {
    if (!m.mod || !counted(m) || !isTallied(m.mod)) return m;
    tally.addModule(m.modulePath, m.mod, 1);
    const mod = { ...m.mod, require: m.mod.require.filter((r) => /\d{14}-[0-9a-f]{12}$/.test(r.mod.version)) };
    mods.add(mod);
    return { ...m, mod };
  });
  return {
    ...repo, modules,
    requireTally: { covers: (m) => mods.has(m.mod), forEach: (fn) => tally.forEach(fn) },
  };
}

describe('engine/tally: version-divergence and multiple-majors count a tally as they count requirements', () => {
  const RULES = ['version-divergence', 'multiple-majors', 'pseudo-version-conflict'];
  for (const includeIndirect of [false, true]) {
    it(`200 generated repositories, some modules tallied, includeIndirect ${includeIndirect}: the same findings`, () => {
      let findings = 0;
      for (let seed = 1; seed <= 200; seed++) {
        const files = generated(seed);
        const config: Config = { file: '', ignore: [], rules: Object.fromEntries(RULES.map((id) => [id, id === 'pseudo-version-conflict' ? {} : { options: { includeIndirect } }])) };
        const repo = assembleRepository({ root: '/r', files, config });
        const pick = mulberry32(seed * 7);
        const focus = new Set(repo.modules.filter(() => pick() < 0.3).map((m) => m.dir));
        const plain = check({ ...repo, focus }, {}).findings.filter((f) => RULES.includes(f.rule));
        const counted = check({ ...withTally(repo, (m) => !focus.has(m.dir) && pick() < 0.8), focus }, {}).findings.filter((f) => RULES.includes(f.rule));
        assert.deepEqual(counted, plain, `seed ${seed}`);
        findings += plain.length;
      }
      assert.ok(findings > 200, `the generated repositories have findings of these rules (${findings})`);
    });
  }
});
