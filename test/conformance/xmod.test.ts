// Conformance with Go's x/mod over ../shared: the corpus, the edge cases, the printer goldens and
// the `go mod edit -require` vectors. Skips with a message when ../shared is absent.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFORMANCE, CORPUS, corpusFiles, hasShared } from './shared.ts';
import {
  applyTextEdits, editAddRequire, editDropReplace, editSetGo, editSetRequire, editSetToolchain, formatFile, formatParseError,
  parseModFile, parseSyntax, parseWorkFile, setRequire, toXmodJson,
} from '../../src/gomod/index.ts';
import type { ModFile, TextEdit } from '../../src/gomod/index.ts';

const SKIP = '../shared (corpus and conformance data) is absent: x/mod conformance not checked';

function skipAll(title: string): void {
  describe(title, () => {
    it('needs ../shared', function () {
      this.skip();
    });
  });
  // eslint-disable-next-line no-console
  console.log(`  ${title}: ${SKIP}`);
}

if (!hasShared()) {
  skipAll('x/mod conformance');
} else {
  describe('x/mod conformance: corpus (typed parse and Format)', () => {
    const files = corpusFiles();
    it('has the 287 corpus files', () => {
      assert.equal(files.length, 287);
    });
    for (const rel of files) {
      it(rel, () => {
        const text = readFileSync(path.join(CORPUS, rel), 'utf8');
        const expected = JSON.parse(readFileSync(path.join(CORPUS, `${rel}.expected.json`), 'utf8'));
        const r = parseModFile(text, 'go.mod');
        assert.equal(r.ok, expected.ok, r.errors.map(formatParseError).join('\n'));
        assert.ok(r.value);
        assert.deepStrictEqual(toXmodJson(r.value), expected.mod);
        assert.equal(formatFile(r.value.syntax), expected.formatted);
      });
    }
  });

  describe('x/mod conformance: edge cases (strict and lax)', () => {
    const cases = JSON.parse(readFileSync(path.join(CONFORMANCE, 'edge-cases.json'), 'utf8')) as Array<{
      name: string; input: string;
      strict: { ok: boolean; error?: string; mod?: unknown; formatted?: string };
      lax: { ok: boolean; error: string | null };
    }>;
    it('has the 85 cases', () => {
      assert.equal(cases.length, 85);
    });
    for (const c of cases) {
      it(c.name, () => {
        const strict = parseModFile(c.input, 'go.mod');
        assert.equal(strict.ok, c.strict.ok, `strict verdict; errors: ${strict.errors.map(formatParseError).join('; ')}`);
        if (strict.ok) {
          assert.deepStrictEqual(toXmodJson(strict.value), c.strict.mod);
          assert.equal(formatFile(strict.value.syntax), c.strict.formatted);
        } else {
          assert.equal(strict.errors.map(formatParseError).join('\n'), c.strict.error);
        }
        const lax = parseModFile(c.input, 'go.mod', { lax: true });
        assert.equal(lax.ok, c.lax.ok, `lax verdict; errors: ${lax.errors.map(formatParseError).join('; ')}`);
        if (!lax.ok) assert.equal(lax.errors.map(formatParseError).join('\n'), c.lax.error);
      });
    }
  });

  describe('x/mod conformance: printer goldens', () => {
    for (const sub of ['', 'work']) {
      const dir = path.join(CONFORMANCE, 'xmod-format', sub);
      if (!existsSync(dir)) continue;
      const isWork = sub === 'work';
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.in') || f.endsWith('.golden')).sort()) {
        const golden = path.join(dir, name.replace(/\.(in|golden)$/, '.golden'));
        if (!existsSync(golden)) continue;
        it(`${sub ? sub + '/' : ''}${name} prints to its golden`, () => {
          const text = readFileSync(path.join(dir, name), 'utf8');
          const want = readFileSync(golden, 'utf8');
          // As x/mod's test: the typed parse's (canonicalizing) tree when the file is valid,
          // else the syntax tree.
          const syntax = parseSyntax(text, name);
          assert.deepEqual(syntax.errors, []);
          const typed = isWork ? parseWorkFile(text, name) : parseModFile(text, name);
          assert.equal(formatFile(typed.ok ? typed.value.syntax : syntax.syntax), want);
          if (name.endsWith('.golden')) assert.equal(formatFile(syntax.syntax), want, 'a golden prints to itself at the syntax level');
        });
      }
    }
  });

  describe('x/mod conformance: go mod edit -require vectors', () => {
    const lines = readFileSync(path.join(CONFORMANCE, 'require-edits.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    it('has the 284 vectors', () => {
      assert.equal(lines.length, 284);
    });
    for (const l of lines) {
      const v = JSON.parse(l) as { file: string; edits: Array<{ path: string; from: string; to: string }>; want: string };
      it(v.file, () => {
        let text = readFileSync(path.join(CORPUS, v.file), 'utf8');
        for (const e of v.edits) text = setRequire(text, 'go.mod', e.path, e.to);
        assert.equal(text, v.want);
      });
    }
  });

  describe('edits keep every corpus file canonical (what x/mod would print after the same edit)', () => {
    const files = corpusFiles();
    it('drop each replace, set go and toolchain, add direct, indirect and new requirements', () => {
      const problems: string[] = [];
      for (const rel of files) {
        const text = readFileSync(path.join(CORPUS, rel), 'utf8');
        const fresh = (): ModFile => parseModFile(text, 'go.mod').value!;
        const edits: Array<[string, TextEdit[]]> = [
          ['go', editSetGo(fresh(), '1.99.0')],
          ['toolchain', editSetToolchain(fresh(), 'go1.99.1')],
          ['indirect', editAddRequire(fresh(), 'zz.io/new', 'v1.0.0', true)],
          ['direct', editAddRequire(fresh(), 'aa.io/new', 'v1.0.0', false)],
          ['set new', editSetRequire(fresh(), 'mm.io/new', 'v1.0.0')],
          ...fresh().replace.map((r): [string, TextEdit[]] => [`drop ${r.old.path}`, editDropReplace(fresh(), r.old.path, r.old.version)]),
        ];
        for (const [what, e] of edits) {
          const out = applyTextEdits(text, e);
          const r = parseModFile(out, 'go.mod');
          if (!r.ok) problems.push(`${rel} ${what}: ${r.errors.map(formatParseError).join('; ')}`);
          else if (formatFile(r.value.syntax) !== out) problems.push(`${rel} ${what}: not canonical`);
        }
      }
      assert.deepEqual(problems, []);
    });
  });
}
