import { strict as assert } from 'node:assert';
import {
  applyTextEdits, editAddRequire, editDropReplace, editSetGo, editSetRequire, editSetToolchain, formatFile, parseModFile,
  setRequire,
} from '../../src/gomod/index.ts';
import type { ModFile, TextEdit } from '../../src/gomod/index.ts';

function mod(text: string): ModFile {
  const r = parseModFile(text, 'go.mod');
  assert.ok(r.ok, r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

function edit(text: string, f: (m: ModFile) => TextEdit[]): string {
  return applyTextEdits(text, f(mod(text)));
}

/** Edits of a canonical file must leave a canonical file (what x/mod's reprint would write). */
function assertCanonical(text: string): void {
  assert.equal(formatFile(mod(text).syntax), text);
}

const BASE = `module example.com/m

go 1.22

require (
\tgithub.com/a/b v1.0.0
\tgithub.com/c/d v1.1.0 // keep me
)

require (
\tgithub.com/x/y v0.3.0 // indirect
\tgolang.org/x/net v0.20.0 // indirect
)

replace github.com/a/b => ../b
`;

describe('applyTextEdits', () => {
  it('applies edits given in any order and keeps same-offset insertions in order', () => {
    assert.equal(applyTextEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 1, text: 'A' }, { start: 2, end: 2, text: '1' }, { start: 2, end: 2, text: '2' }]), 'Ab12cdEf');
  });
  it('refuses overlapping edits', () => {
    assert.throws(() => applyTextEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]), /overlapping/);
  });
  it('ends the lines it writes as a CRLF file ends its lines, and leaves other files\' breaks as given', () => {
    const crlf = 'module m\r\n\r\nrequire a v1.0.0\r\n';
    const added = applyTextEdits(crlf, [{ start: crlf.length, end: crlf.length, text: '\ngo 1.22\nrequire (\r\n\tb v1.0.0\n)\n' }]);
    assert.equal(added, `${crlf}\r\ngo 1.22\r\nrequire (\r\n\tb v1.0.0\r\n)\r\n`);
    const mixed = 'module m\r\nrequire a v1.0.0\n';
    assert.equal(applyTextEdits(mixed, [{ start: mixed.length, end: mixed.length, text: 'go 1.22\n' }]), `${mixed}go 1.22\n`);
    assert.equal(applyTextEdits('module m\n', [{ start: 9, end: 9, text: 'go 1.22\n' }]), 'module m\ngo 1.22\n');
  });
  it('as editSetGo adds a go line to a CRLF go.mod', () => {
    const text = 'module example.com/a\r\n\r\nrequire golang.org/x/net v0.20.0\r\n';
    const out = edit(text, (m) => editSetGo(m, '1.22'));
    assert.match(out, /go 1\.22\r\n/);
    assert.equal(out.replace(/\r\n/g, '').includes('\n'), false, JSON.stringify(out));
  });
});

describe('editSetRequire', () => {
  it('changes only the version token of an existing requirement, comments kept', () => {
    const out = edit(BASE, (m) => editSetRequire(m, 'github.com/c/d', 'v1.2.0'));
    assert.equal(out, BASE.replace('github.com/c/d v1.1.0 // keep me', 'github.com/c/d v1.2.0 // keep me'));
  });

  it('separates a quoted path from the version it touched once the path is unquoted', () => {
    for (const [line, want] of [['require "quoted.io/x"v1.0.0', 'require quoted.io/x v1.9.9'], ['require (\n\t"quoted.io/x"v1.0.0 // indirect\n)', 'require (\n\tquoted.io/x v1.9.9 // indirect\n)']]) {
      const out = edit(`module m\n\n${line}\n`, (m) => editSetRequire(m, 'quoted.io/x', 'v1.9.9'));
      assert.equal(out, `module m\n\n${want}\n`);
      assert.equal(parseModFile(out, 'go.mod').value!.require[0]!.mod.version, 'v1.9.9');
    }
  });

  it('keeps // indirect on the line it edits', () => {
    const out = edit(BASE, (m) => editSetRequire(m, 'golang.org/x/net', 'v0.24.0'));
    assert.equal(out, BASE.replace('golang.org/x/net v0.20.0 // indirect', 'golang.org/x/net v0.24.0 // indirect'));
  });

  it('gives no edit when the version is already set', () => {
    assert.deepEqual(editSetRequire(mod(BASE), 'github.com/a/b', 'v1.0.0'), []);
  });

  it('edits a single-line require and unquotes a quoted path as x/mod reprints it', () => {
    const text = 'module m\n\nrequire "x.y/z" v1.0.0 // why\n';
    assert.equal(setRequire(text, 'go.mod', 'x.y/z', 'v1.1.0'), 'module m\n\nrequire x.y/z v1.1.0 // why\n');
  });

  it('keeps the first of duplicate requirements and deletes the others with their comments', () => {
    const text = 'module m\n\nrequire (\n\tx.y/z v1.0.0\n\ta.b/c v1.0.0\n\n\t// old pin\n\tx.y/z v0.9.0\n)\n';
    const out = setRequire(text, 'go.mod', 'x.y/z', 'v1.2.0');
    assert.equal(out, 'module m\n\nrequire (\n\tx.y/z v1.2.0\n\ta.b/c v1.0.0\n)\n');
    assertCanonical(out);
  });

  it('collapses a block left with one requirement into a single line, as x/mod Cleanup does', () => {
    const text = 'module m\n\nrequire (\n\tx.y/z v1.0.0 // first\n\tx.y/z v0.9.0\n)\n';
    assert.equal(setRequire(text, 'go.mod', 'x.y/z', 'v1.2.0'), 'module m\n\nrequire x.y/z v1.2.0 // first\n');
  });

  it('adds a missing requirement to the direct block in sorted position', () => {
    const out = edit(BASE, (m) => editSetRequire(m, 'github.com/b/a', 'v2.0.0+incompatible'));
    assert.equal(out, BASE.replace('\tgithub.com/c/d v1.1.0', '\tgithub.com/b/a v2.0.0+incompatible\n\tgithub.com/c/d v1.1.0'));
    assertCanonical(out);
  });

  it('adds after the last line of the block when it sorts last', () => {
    const out = edit(BASE, (m) => editSetRequire(m, 'gopkg.in/yaml.v3', 'v3.0.1'));
    assert.equal(out, BASE.replace('\tgithub.com/c/d v1.1.0 // keep me\n', '\tgithub.com/c/d v1.1.0 // keep me\n\tgopkg.in/yaml.v3 v3.0.1\n'));
  });

  it('turns a single require line into a sorted block when adding beside it (its comments move with it)', () => {
    const text = 'module m\n\ngo 1.22\n\n// deps\nrequire x.y/z v1.0.0\n';
    const out = setRequire(text, 'go.mod', 'a.b/c', 'v0.1.0');
    assert.equal(out, 'module m\n\ngo 1.22\n\nrequire (\n\ta.b/c v0.1.0\n\t// deps\n\tx.y/z v1.0.0\n)\n');
    assertCanonical(out);
  });

  it('adds a require line at the end of a file without requirements', () => {
    assert.equal(setRequire('module m\n\ngo 1.22\n', 'go.mod', 'x.y/z', 'v1.0.0'), 'module m\n\ngo 1.22\n\nrequire x.y/z v1.0.0\n');
    assert.equal(setRequire('module m', 'go.mod', 'x.y/z', 'v1.0.0'), 'module m\n\nrequire x.y/z v1.0.0\n');
  });

  it('puts a new direct requirement before a file whose only requirements are indirect', () => {
    const text = 'module m\n\ngo 1.22\n\nrequire x.y/z v1.0.0 // indirect\n';
    const out = setRequire(text, 'go.mod', 'a.b/c', 'v1.0.0');
    assert.equal(out, 'module m\n\ngo 1.22\n\nrequire a.b/c v1.0.0\n\nrequire x.y/z v1.0.0 // indirect\n');
    assertCanonical(out);
  });

  it('throws with x/mod errors when the text is not a go.mod', () => {
    assert.throws(() => setRequire('module m\nrequire (\n', 'go.mod', 'x.y/z', 'v1.0.0'), /go\.mod:3: syntax error/);
  });
});

describe('editAddRequire', () => {
  it('adds an indirect requirement with // indirect to the indirect block', () => {
    const out = edit(BASE, (m) => editAddRequire(m, 'golang.org/x/text', 'v0.14.0', true));
    assert.equal(out, BASE.replace('\tgolang.org/x/net v0.20.0 // indirect\n', '\tgolang.org/x/net v0.20.0 // indirect\n\tgolang.org/x/text v0.14.0 // indirect\n'));
    assertCanonical(out);
  });

  it('adds an indirect requirement as a new line when there is no indirect one', () => {
    const out = edit('module m\n\nrequire a.b/c v1.0.0\n', (m) => editAddRequire(m, 'x.y/z', 'v1.0.0', true));
    assert.equal(out, 'module m\n\nrequire a.b/c v1.0.0\n\nrequire x.y/z v1.0.0 // indirect\n');
  });

  it('adds a direct requirement to the direct block', () => {
    const out = edit(BASE, (m) => editAddRequire(m, 'github.com/a/c', 'v1.0.0', false));
    assert.equal(out, BASE.replace('\tgithub.com/c/d', '\tgithub.com/a/c v1.0.0\n\tgithub.com/c/d'));
  });
});

describe('editSetGo / editSetToolchain', () => {
  it('replaces the go version in place', () => {
    assert.equal(edit(BASE, (m) => editSetGo(m, '1.23.4')), BASE.replace('go 1.22', 'go 1.23.4'));
  });
  it('adds a go line after module when missing', () => {
    assert.equal(edit('module m\n\nrequire x.y/z v1.0.0\n', (m) => editSetGo(m, '1.22.0')), 'module m\n\ngo 1.22.0\n\nrequire x.y/z v1.0.0\n');
    assert.equal(edit('module m', (m) => editSetGo(m, '1.22.0')), 'module m\n\ngo 1.22.0\n');
  });
  it('rejects a version a go directive cannot hold', () => {
    assert.throws(() => editSetGo(mod(BASE), 'v1.22'), /invalid language version/);
  });
  it('adds a toolchain line after go, or replaces it', () => {
    const added = edit(BASE, (m) => editSetToolchain(m, 'go1.22.5'));
    assert.equal(added, BASE.replace('go 1.22\n', 'go 1.22\n\ntoolchain go1.22.5\n'));
    assertCanonical(added);
    assert.equal(edit(added, (m) => editSetToolchain(m, 'go1.23.0')), BASE.replace('go 1.22\n', 'go 1.22\n\ntoolchain go1.23.0\n'));
  });
});

describe('editDropReplace', () => {
  it('removes a single replace line and the blank line it leaves', () => {
    const out = edit(BASE, (m) => editDropReplace(m, 'github.com/a/b', ''));
    assert.equal(out, BASE.replace('\nreplace github.com/a/b => ../b\n', ''));
    assertCanonical(out);
  });
  it('matches the old version exactly', () => {
    assert.deepEqual(editDropReplace(mod(BASE), 'github.com/a/b', 'v1.0.0'), []);
  });
  it('removes a block that becomes empty', () => {
    const text = 'module m\n\nreplace (\n\ta.b/c => ../c\n)\n\nrequire x.y/z v1.0.0\n';
    const out = edit(text, (m) => editDropReplace(m, 'a.b/c', ''));
    assert.equal(out, 'module m\n\nrequire x.y/z v1.0.0\n');
  });
  it('collapses a block left with one line', () => {
    const text = 'module m\n\nreplace (\n\ta.b/c v1.0.0 => ../c\n\td.e/f => ../f // local\n)\n';
    const out = edit(text, (m) => editDropReplace(m, 'a.b/c', 'v1.0.0'));
    assert.equal(out, 'module m\n\nreplace d.e/f => ../f // local\n');
  });
  it('removes one line of a larger block', () => {
    const text = 'module m\n\nreplace (\n\ta.b/c => ../c\n\td.e/f => ../f\n\tg.h/i => ../i\n)\n';
    assert.equal(edit(text, (m) => editDropReplace(m, 'd.e/f', '')), 'module m\n\nreplace (\n\ta.b/c => ../c\n\tg.h/i => ../i\n)\n');
  });
});
