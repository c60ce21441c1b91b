import assert from 'node:assert/strict';
import { rule } from '../../rules/gosum-hash-conflict.ts';
import { buildRepository, ruleTester, runRule } from '../support/rule-tester.ts';

const H1 = 'h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=';
const H2 = `h1:${'A'.repeat(43)}=`;
const H3 = `h1:${'B'.repeat(43)}=`;
const GOMOD = 'h1:sQa+5VfnBLbULrhU5e+gk9PSEOODh/aX1fLXFzffLeA=';

const mod = (name: string) => `module example.com/${name}\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'the same hash in many go.sum files',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngithub.com/google/uuid v1.6.0/go.mod ${GOMOD}\n`,
        'b/go.mod': mod('b'),
        'b/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngithub.com/google/uuid v1.6.0/go.mod ${GOMOD}\n`,
      },
    },
    {
      name: 'a version and its /go.mod entry have different hashes by nature',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngithub.com/google/uuid v1.6.0/go.mod ${H2}\n`,
      },
    },
    {
      name: 'different versions have different hashes',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
        'b/go.sum': `github.com/google/uuid v1.5.0 ${H2}\n`,
      },
    },
    {
      name: 'a duplicated line with the same hash is no conflict',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngithub.com/google/uuid v1.6.0 ${H1}\n`,
      },
    },
    {
      name: 'a conflict between modules outside the focus',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
        'b/go.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
        'c/go.mod': mod('c'),
      },
      focus: ['c'],
    },
    {
      name: 'a go.work.sum that agrees with the modules',
      files: {
        'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
        'go.work.sum': `github.com/google/uuid v1.6.0 ${H1}\ngolang.org/x/net v0.24.0 ${H3}\n`,
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
      },
    },
    {
      name: 'a go.work.sum beside no go.work is not the workspace\'s (Go reads it only beside go.work)',
      files: {
        'go.work.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
      },
    },
    {
      name: 'a conflict between go.work.sum and a module outside the focus of a workspace outside it too',
      files: {
        'ws/go.work': 'go 1.22\n\nuse ./a\n',
        'ws/go.work.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
        'ws/a/go.mod': mod('a'),
        'ws/a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'c/go.mod': mod('c'),
      },
      focus: ['c'],
    },
  ],
  invalid: [
    {
      name: 'go.work.sum against a module\'s go.sum: both lines, the workspace one with its own remedy',
      files: {
        'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
        'go.work.sum': `golang.org/x/net v0.24.0 ${H3}\ngithub.com/google/uuid v1.6.0 ${H2}\n`,
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
      },
      errors: [
        { messageId: 'conflict', file: 'a/go.sum', line: 1, column: 31, dependency: 'github.com/google/uuid',
          data: { entry: 'github.com/google/uuid v1.6.0', hash: H1, otherHash: H2, otherFile: 'go.work.sum', otherLine: 2 } },
        { messageId: 'conflictInWorkspace', file: 'go.work.sum', line: 2, column: 31, dependency: 'github.com/google/uuid',
          data: { hash: H2, otherHash: H1, otherFile: 'a/go.sum', otherLine: 1 } },
      ],
    },
    {
      name: 'go.work.sum findings follow the focus of the modules the workspace uses',
      files: {
        'go.work': 'go 1.22\n\nuse ./b\n',
        'go.work.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
      },
      focus: ['b'],
      errors: [{ messageId: 'conflictInWorkspace', file: 'go.work.sum', line: 1, column: 31, data: { otherFile: 'a/go.sum' } }],
    },
    {
      name: 'twice within one go.work.sum',
      files: {
        'go.work': 'go 1.22\n\nuse ./a\n',
        'go.work.sum': `github.com/google/uuid v1.6.0 ${H1}\ngithub.com/google/uuid v1.6.0 ${H3}\n`,
        'a/go.mod': mod('a'),
      },
      errors: [
        { messageId: 'conflictInWorkspace', file: 'go.work.sum', line: 1, column: 31, data: { otherFile: 'go.work.sum', otherLine: 2 } },
        { messageId: 'conflictInWorkspace', file: 'go.work.sum', line: 2, column: 31, data: { otherFile: 'go.work.sum', otherLine: 1 } },
      ],
    },
    {
      name: 'two files, two hashes: both lines, at the hash token',
      files: {
        'services/cart/go.mod': mod('cart'),
        'services/cart/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'services/search/go.mod': mod('search'),
        'services/search/go.sum': `github.com/google/uuid v1.6.0/go.mod ${GOMOD}\ngithub.com/google/uuid v1.6.0 ${H2}\n`,
      },
      errors: [
        { messageId: 'conflict', file: 'services/cart/go.sum', line: 1, column: 31, dependency: 'github.com/google/uuid',
          data: { entry: 'github.com/google/uuid v1.6.0', hash: H1, otherHash: H2, otherFile: 'services/search/go.sum', otherLine: 2 } },
        { messageId: 'conflict', file: 'services/search/go.sum', line: 2, column: 31,
          data: { hash: H2, otherHash: H1, otherFile: 'services/cart/go.sum', otherLine: 1 } },
      ],
    },
    {
      name: '/go.mod entries conflict on their own',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0/go.mod ${GOMOD}\n`,
        'b/go.mod': mod('b'),
        'b/go.sum': `github.com/google/uuid v1.6.0/go.mod ${H3}\n`,
      },
      errors: [
        { messageId: 'conflict', file: 'a/go.sum', line: 1, column: 38, data: { entry: 'github.com/google/uuid v1.6.0/go.mod' } },
        { messageId: 'conflict', file: 'b/go.sum', line: 1, column: 38 },
      ],
    },
    {
      name: 'twice within one file',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngolang.org/x/net v0.24.0 ${H3}\ngithub.com/google/uuid v1.6.0 ${H2}\n`,
      },
      errors: [
        { messageId: 'conflict', file: 'a/go.sum', line: 1, column: 31, data: { otherFile: 'a/go.sum', otherLine: 3 } },
        { messageId: 'conflict', file: 'a/go.sum', line: 3, column: 31, data: { otherFile: 'a/go.sum', otherLine: 1 } },
      ],
    },
    {
      name: 'focus narrows the findings, not the comparison',
      files: {
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'),
        'b/go.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
      },
      focus: ['b'],
      errors: [{ messageId: 'conflict', file: 'b/go.sum', line: 1, column: 31, data: { otherFile: 'a/go.sum' } }],
    },
  ],
});

describe('gosum-hash-conflict extra data', () => {
  it('lists every occurrence of the conflicting entry', () => {
    const repo = buildRepository({
      files: {
        'a/go.mod': mod('a'), 'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'b/go.mod': mod('b'), 'b/go.sum': `github.com/google/uuid v1.6.0 ${H1}\n`,
        'c/go.mod': mod('c'), 'c/go.sum': `github.com/google/uuid v1.6.0 ${H2}\n`,
      },
    });
    const reports = runRule(rule, repo);
    assert.equal(reports.length, 3);
    const occurrences = reports[0]!.extra!.occurrences as Array<{ file: string; hash: string }>;
    assert.deepEqual(occurrences.map((o) => `${o.file} ${o.hash}`).sort(), [`a/go.sum ${H1}`, `b/go.sum ${H1}`, `c/go.sum ${H2}`]);
    // The lone hash names the first file of the majority hash; the majority names the lone one.
    assert.deepEqual(reports.map((r) => r.data!.otherFile), ['c/go.sum', 'c/go.sum', 'a/go.sum']);
  });
});

describe('gosum-hash-conflict over interned and plain go.sum data', () => {
  it('reports the same findings whether the go.sum files share a table or not', async () => {
    const { parseGoSum } = await import('../../src/gosum/parse.ts');
    const H4 = `h1:${'C'.repeat(43)}=`;
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      files[`m${i}/go.mod`] = mod(`m${i}`);
      const lines = [
        `github.com/google/uuid v1.6.0 ${[H1, H2, H3][i % 3]}`,
        `github.com/google/uuid v1.6.0/go.mod ${i === 7 ? H4 : GOMOD}`,
        `golang.org/x/net v0.${i % 4}.0 ${i === 5 ? H3 : H1}`,
        `golang.org/x/text v0.1.0  ${i % 2 ? H2 : H4}`,
      ];
      files[`m${i}/go.sum`] = lines.join('\n') + '\n';
    }
    const repo = buildRepository({ files });
    assert.ok(repo.sumTable && repo.modules.every((m) => m.sum?.compact?.table === repo.sumTable));
    const interned = runRule(rule, repo);
    // The same repository with plain go.sum parses (as a caller building modules by hand has).
    const plain = { ...repo, sumTable: undefined, modules: repo.modules.map((m) => ({ ...m, sum: parseGoSum(m.sumText!, m.sum!.file) })) };
    const reports = runRule(rule, plain);
    assert.ok(interned.length > 10);
    assert.deepEqual(interned, reports);
  });

  it('reads a go.work.sum from either kind of data alike', async () => {
    const { parseGoSum } = await import('../../src/gosum/parse.ts');
    const repo = buildRepository({
      files: {
        'go.work': 'go 1.22\n\nuse ./a\n',
        'go.work.sum': `github.com/google/uuid v1.6.0 ${H2}\ngolang.org/x/net v0.24.0 ${H1}\n`,
        'a/go.mod': mod('a'),
        'a/go.sum': `github.com/google/uuid v1.6.0 ${H1}\ngolang.org/x/net v0.24.0 ${H3}\n`,
      },
    });
    assert.equal(repo.workFiles[0]!.sum?.compact?.table, repo.sumTable);
    const interned = runRule(rule, repo);
    const plainSum = (s: { file: string }, text: string) => parseGoSum(text, s.file);
    const plain = {
      ...repo, sumTable: undefined,
      modules: repo.modules.map((m) => ({ ...m, sum: plainSum(m.sum!, m.sumText!) })),
      workFiles: repo.workFiles.map((w) => ({ ...w, sum: plainSum(w.sum!, w.sumText!) })),
    };
    assert.equal(interned.length, 4);
    assert.deepEqual(runRule(rule, plain), interned);
    assert.deepEqual(interned.map((r) => `${r.file}:${r.line} ${r.messageId}`), [
      'a/go.sum:1 conflict', 'go.work.sum:1 conflictInWorkspace', 'a/go.sum:2 conflict', 'go.work.sum:2 conflictInWorkspace',
    ]);
  });
});

describe('gosum-hash-conflict in a focused check with what kept go.sum facts agree on', () => {
  // PR mode builds the modules it does not report on from a pack of facts (engine/facts.ts), whose
  // go.sum lines it decodes only when the rule asks: the rule compares the reported go.sum files
  // with what the pack's lines agree on, and with the lines it keeps of keys they disagree on.
  it('reports what it reports reading every go.sum, and reads the others only for a doubt the pack cannot settle', async () => {
    const { PackWriter, decodePack, FactsSession, FACTS_TOOL } = await import('../../src/engine/facts.ts');
    const { assembleRepository } = await import('../../src/engine/assemble.ts');
    const { mulberry32 } = await import('../../src/util/prng.ts');
    const hashes = [H1, H2, H3, `h1:${'C'.repeat(43)}=`];
    const keys = ['github.com/google/uuid v1.6.0', 'github.com/google/uuid v1.6.0/go.mod', 'golang.org/x/net v0.24.0', 'golang.org/x/text v0.14.0', 'example.com/lib v1.0.0'];
    let settled = 0;
    let read = 0;
    let found = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const random = mulberry32(seed);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      // Mostly one hash per key, sometimes another: conflicts old (in the pack) and new (in the change).
      const usual = keys.map(() => pick(hashes));
      const sumText = (odd: number) => keys.filter(() => random() < 0.7).map((k) => `${k} ${random() < odd ? pick(hashes) : usual[keys.indexOf(k)]}`).join('\n') + '\n';
      const n = 4 + Math.floor(random() * 6);
      const base: Record<string, string> = {};
      for (let i = 0; i < n; i++) {
        base[`m${i}/go.mod`] = mod(`m${i}`);
        if (random() < 0.9) base[`m${i}/go.sum`] = sumText(0.15);
      }
      if (random() < 0.3) {
        base['go.work'] = `go 1.22\n\nuse ./m0\n`;
        base['go.work.sum'] = sumText(0.2);
      }
      // The change: go.sum files of one to three modules, which are reported.
      const focus = new Set<string>();
      const head = { ...base };
      for (let c = 1 + Math.floor(random() * 3); c > 0; c--) {
        const dir = `m${Math.floor(random() * n)}`;
        focus.add(dir);
        if (random() < 0.7) head[`${dir}/go.sum`] = sumText(0.1);
      }
      const changed = new Set([...focus].map((d) => `${d}/go.sum`).filter((f) => head[f] !== base[f]));

      // The pack a full check of the base keeps, each go.sum under a blob id of its own.
      const blobs = new Map<string, string>();
      const baseRepo = assembleRepository({ root: '/repo', files: new Map(Object.entries(base)) });
      const writer = new PackWriter();
      for (const m of baseRepo.modules) {
        if (!m.sum) continue;
        blobs.set(m.sum.file, `blob-${m.sum.file}`);
        writer.addSum(`blob-${m.sum.file}`, m);
      }
      writer.agreeSums();
      const pack = decodePack(writer.bytes(FACTS_TOOL), FACTS_TOOL)!;
      let decoded = 0;
      const decode = pack.sum.bind(pack);
      pack.sum = (blob, file) => { decoded++; return decode(blob, file); };
      const session = new FactsSession(pack, blobs, changed, '/repo', '/nowhere/pack');

      // The head as PR mode has it: changed go.sum files read, the others' from the pack.
      const files = new Map(Object.entries(head).filter(([f]) => !(f.endsWith('/go.sum') && blobs.has(f) && !changed.has(f))));
      const repo = assembleRepository({ root: '/repo', files, sumTable: session.sumTable()! });
      session.attachSums(repo.modules, (m) => `${m.dir}/go.sum`, repo.sumTable!);
      repo.sumAgreement = session.sumAgreement(repo.sumTable!);
      assert.ok(repo.sumAgreement, `seed ${seed}`);
      repo.focus = focus;
      const reports = runRule(rule, repo);

      const plain = buildRepository({ files: head, focus: [...focus] });
      assert.deepEqual(reports, runRule(rule, plain), `seed ${seed}`);
      if (decoded === 0) settled++;
      else read++;
      if (decoded === 0 && reports.length > 0) found++;
    }
    // Both ways were taken, and findings came without reading the others' go.sum files.
    assert.ok(settled > 30 && read > 5 && found > 10, `settled ${settled}, read ${read}, found ${found}`);
  });
});
