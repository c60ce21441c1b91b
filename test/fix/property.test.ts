// Property: for generated go.mod files and pins, the fix parses, changes only the targeted version
// tokens, and fixing again changes nothing.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseModFile } from '../../src/gomod/index.ts';
import { writeAnchorLock } from '../../anchors/edit.ts';
import { planFixes } from '../../src/fix/plan.ts';
import { findingsOf, repoFrom } from './helpers.ts';
import { checkModulePath } from '../../src/version/index.ts';

const seg = fc.stringMatching(/^[a-u][a-z0-9]{0,5}$/); // no v0/v1 elements: those are invalid paths
// Module paths the go command accepts: anchor.lock refuses others (a generated `aux` or `com1` is a
// name Windows reserves), and a refused pin is no pin.
const modPath = fc.tuple(seg, seg, seg).map(([a, b, c]) => `${a}.com/${b}/${c}`).filter((p) => checkModulePath(p) === undefined);
const version = fc.tuple(fc.integer({ min: 0, max: 1 }), fc.nat(30), fc.nat(30), fc.boolean())
  .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ? '-rc.1' : ''}`);
const comment = fc.constantFrom('', ' // indirect', ' // keep: see #12', ' //indirect');
const gap = fc.constantFrom('', '\n', '\t// a note\n');

interface Req { path: string; version: string; comment: string; gap: string }

const goModArb = fc.record({
  reqs: fc.uniqueArray(fc.record({ path: modPath, version, comment, gap }), { selector: (r) => r.path, minLength: 1, maxLength: 12 }),
  split: fc.nat(12),
  singles: fc.nat(3),
  header: fc.constantFrom('', '// Copyright\n\n'),
  indent: fc.constantFrom('\t', '    '),
});

function render(g: { reqs: Req[]; split: number; singles: number; header: string; indent: string }): string {
  const singles = g.reqs.slice(0, Math.min(g.singles, g.reqs.length));
  const rest = g.reqs.slice(singles.length);
  const cut = Math.min(g.split, rest.length);
  const blocks = [rest.slice(0, cut), rest.slice(cut)].filter((b) => b.length);
  let text = `${g.header}module example.com/gen\n\ngo 1.22\n`;
  for (const r of singles) text += `\nrequire ${r.path} ${r.version}${r.comment}\n`;
  for (const b of blocks) {
    text += '\nrequire (\n';
    for (const r of b) text += `${r.gap.replace('\t', g.indent)}${g.indent}${r.path} ${r.version}${r.comment}\n`;
    text += ')\n';
  }
  return text;
}

describe('fix properties', () => {
  it('fixed files parse, differ only in the pinned version tokens, and a second fix is a no-op', () => {
    fc.assert(fc.property(goModArb, fc.array(fc.tuple(fc.nat(20), version), { maxLength: 6 }), (g, picks) => {
      const text = render(g);
      const pins = new Map<string, string>();
      for (const [i, v] of picks) pins.set(g.reqs[i % g.reqs.length]!.path, v);
      const lock = writeAnchorLock({ anchors: [...pins].map(([p, v]) => ({ path: p, version: v })) });
      const repo = repoFrom({ 'anchor.lock': lock, 'm/go.mod': text });
      const plan = planFixes(repo, findingsOf(repo));
      const after = plan.patches[0]?.after ?? text;

      const parsed = parseModFile(after, 'm/go.mod');
      assert.ok(parsed.ok, JSON.stringify(parsed.errors));
      for (const r of parsed.value!.require) if (pins.has(r.mod.path)) assert.equal(r.mod.version, pins.get(r.mod.path));

      const before = text.split('\n');
      const got = after.split('\n');
      assert.equal(got.length, before.length);
      for (let i = 0; i < before.length; i++) {
        if (before[i] === got[i]) continue;
        const m = /^(\s*(?:require\s+)?)(\S+)(\s+)(\S+)(.*)$/.exec(before[i]!);
        assert.ok(m && pins.has(m[2]!), `line ${i + 1} changed: ${before[i]} -> ${got[i]}`);
        assert.equal(got[i], `${m[1]}${m[2]}${m[3]}${pins.get(m[2]!)}${m[5]}`);
      }

      const again = repoFrom({ 'anchor.lock': lock, 'm/go.mod': after });
      assert.deepEqual(planFixes(again, findingsOf(again)).patches, []);
    }), { numRuns: 200 });
  });
});
