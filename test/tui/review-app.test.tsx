import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { render, cleanup } from 'ink-testing-library';
import { ReviewApp, type ExitRequest } from '../../src/tui/components/ReviewApp.tsx';
import { findingKey } from '../../src/tui/state/list.ts';
import { demoServices } from '../../src/tui/demo.ts';
import type { ActionOutcome, FixProposal, ReviewServices } from '../../src/tui/types.ts';
import type { Finding } from '../../src/engine/types.ts';
import { FINDINGS } from './fixtures.ts';

const KEYS = { down: '\u001b[B', up: '\u001b[A', enter: '\r', esc: '\u001b', tab: '\t', backspace: '\u007f', pageDown: '\u001b[6~' };

/** fakeServices serves FINDINGS from memory and records what the screen asked for. */
function fakeServices() {
  let findings = [...FINDINGS];
  const calls = { loads: 0, planned: [] as Finding[][], applied: [] as FixProposal[], ignored: [] as Array<[Finding, string]> };
  const drop = (done: Finding[]) => {
    const gone = new Set(done.map(findingKey));
    findings = findings.filter((f) => !gone.has(findingKey(f)));
  };
  const services: ReviewServices = {
    async load(onProgress) {
      calls.loads++;
      onProgress({ modulesParsed: 3, modulesTotal: 3 });
      return { repository: '/repo', moduleCount: 3, findings: [...findings], notices: [] };
    },
    describe(f) {
      return {
        excerpt: [{ line: f.line - 1, text: 'require (', isTarget: false }, { line: f.line, text: `\t${f.dependency} v0.0.1`, isTarget: true }],
        anchor: f.dependency ? `anchor.lock:4  ${f.dependency} v0.24.0` : undefined,
        fix: [`set ${f.dependency || 'go'}`], commands: [`modguard fix --rule ${f.rule}`],
      };
    },
    planFix(selected, title) {
      calls.planned.push(selected);
      const fixable = selected.filter((f) => f.rule === 'anchor-mismatch');
      return {
        title,
        patches: fixable.map((f) => ({ file: f.file, before: 'a\n', after: 'b\n', edits: 1, descriptions: ['x'], findings: [f] })),
        diff: fixable.map((f) => `--- a/${f.file}\n+++ b/${f.file}\n@@ -1 +1 @@\n-\t${f.dependency} old\n+\t${f.dependency} new\n`).join(''),
        skipped: selected.filter((f) => f.rule !== 'anchor-mismatch').map((finding) => ({ finding, reason: `${finding.rule} has no automatic fix` })),
        followUp: [],
      };
    },
    async applyFix(p): Promise<ActionOutcome> {
      calls.applied.push(p);
      const resolved = p.patches.flatMap((x) => x.findings);
      drop(resolved);
      return { ok: true, message: `Fixed ${resolved.length} finding(s).`, resolved };
    },
    async addIgnore(f, reason): Promise<ActionOutcome> {
      calls.ignored.push([f, reason]);
      drop([f]);
      return { ok: true, message: `Ignored ${f.rule}.`, resolved: [f] };
    },
  };
  return { services, calls };
}

async function mount(services: ReviewServices, size = { columns: 100, rows: 24 }) {
  const exits: ExitRequest[] = [];
  const app = render(<ReviewApp services={services} size={size} onExit={(r) => exits.push(r)} />);
  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  // Wait for the first load (bounded: a screen that never loads fails the assertions that follow).
  for (let i = 0; i < 100 && !frame().includes('modguard review '); i++) await delay(20);
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      await delay(20);
      app.stdin.write(k);
      await delay(20);
    }
  };
  return { app, frame, press, exits };
}

function selectedLine(frame: string): string {
  return frame.split('\n').find((l) => l.includes('›')) ?? '';
}

describe('tui/ReviewApp', () => {
  afterEach(() => cleanup());

  it('shows the header, the grouped list with counts and the footer keys', async () => {
    const { frame } = await mount(fakeServices().services);
    const lines = frame().split('\n');
    assert.equal(lines.length, 23, 'one line less than the terminal, so Ink never clears the screen');
    assert.match(lines[0]!, /modguard review\s+\/repo · 3 modules · ✖ 3 errors {2}▲ 1 warning {2}● 1 info/);
    assert.match(lines[1]!, /grouped by rule · severity ≥ info · 5 findings/);
    assert.match(lines[2]!, /^› ▾ anchor-mismatch {2}3 {2}✖ 3/);
    assert.match(lines[3]!, /^ {4}✖ svc\/a\/go\.mod:5 +golang\.org\/x\/net +requires golang\.org\/x\/net v0\.21\.0/);
    assert.match(frame(), /▾ go-version-drift {2}1 {2}▲ 1/);
    assert.match(frame(), /▾ version-divergence {2}1 {2}● 1/);
    assert.equal(lines[22], '↑↓ move · f fix · i ignore · o edit · / filter · ⏎ fold · Tab group · s severity · ? help · q quit');
    for (const l of lines) assert.ok(l.length <= 100, `line wider than the terminal: ${JSON.stringify(l)}`);
  });

  it('moves with j/k and arrows; the detail pane follows the selection', async () => {
    const { frame, press } = await mount(fakeServices().services);
    await press('j', 'j', KEYS.down, 'k');
    assert.match(selectedLine(frame()), /› ✖ svc\/b\/go\.mod:7/);
    assert.match(frame(), /✖ error {2}anchor-mismatch {2}svc\/b\/go\.mod:7:2/);
    assert.match(frame(), /requires golang\.org\/x\/net v0\.20\.0, but anchor\.lock pins v0\.24\.0/);
    assert.match(frame(), /› +7 │ {5}golang\.org\/x\/net v0\.0\.1/);
    assert.match(frame(), /anchor +anchor\.lock:4 {2}golang\.org\/x\/net v0\.24\.0/);
    assert.match(frame(), /run +modguard fix --rule anchor-mismatch/);
    assert.match(frame(), /─ 3\/8$/m);
    await press('G');
    assert.match(selectedLine(frame()), /svc\/c\/go\.mod:6/);
    await press('g');
    assert.match(selectedLine(frame()), /› ▾ anchor-mismatch/);
  });

  it('Enter collapses and expands a group; Tab changes the grouping', async () => {
    const { frame, press } = await mount(fakeServices().services);
    await press(KEYS.enter);
    assert.match(frame(), /› ▸ anchor-mismatch {2}3/);
    assert.doesNotMatch(frame(), /svc\/a\/go\.mod:5/);
    await press(KEYS.enter, KEYS.tab);
    assert.match(frame(), /grouped by module/);
    assert.match(frame(), /▾ example\.com\/svc\/b {2}2 {2}✖ 2/);
    await press(KEYS.tab);
    assert.match(frame(), /grouped by dependency/);
    assert.match(frame(), /▾ golang\.org\/x\/net {2}2/);
  });

  it('/ filters as typed, Esc restores, Enter keeps; s cycles the severity', async () => {
    const { frame, press } = await mount(fakeServices().services);
    await press('/', 'g', 'r', 'p', 'c');
    assert.match(frame(), /\/ grpc/);
    assert.match(frame(), /1 of 5 findings shown/);
    await press(KEYS.esc);
    assert.match(frame(), /· 5 findings/);
    await press('/', 'svc/b x', KEYS.backspace, KEYS.backspace, KEYS.enter);
    assert.match(frame(), /filter "svc\/b" · 2 of 5 findings shown/);
    assert.match(frame(), /↑↓ move/, 'back to the list keys');
    await press('/', '\u0015', KEYS.enter, 's');
    assert.match(frame(), /severity ≥ warning · 4 of 5 findings shown/);
    assert.doesNotMatch(frame(), /version-divergence/);
  });

  it('f shows the diff, y applies it: the finding disappears and the counts update', async () => {
    const { services, calls } = fakeServices();
    const { frame, press } = await mount(services);
    await press('j', 'f');
    assert.match(frame(), /Apply fix: anchor-mismatch at svc\/a\/go\.mod:5 — 1 edit in 1 file\?/);
    assert.match(frame(), /- {4}golang\.org\/x\/net old/);
    assert.match(frame(), /\+ {4}golang\.org\/x\/net new/);
    assert.match(frame(), /y apply · n\/Esc cancel/);
    await press('y');
    await delay(50);
    assert.equal(calls.applied.length, 1);
    assert.match(frame(), /Fixed 1 finding\(s\)\./);
    assert.match(frame(), /✖ 2 errors/);
    assert.match(frame(), /▾ anchor-mismatch {2}2/);
    assert.doesNotMatch(frame(), /svc\/a\/go\.mod:5/);
    assert.equal(calls.loads, 2, 'reloaded after the write');
  });

  it('f on a group plans every finding of it; n cancels without writing', async () => {
    const { services, calls } = fakeServices();
    const { frame, press } = await mount(services);
    await press('f');
    assert.equal(calls.planned[0]!.length, 3);
    assert.match(frame(), /3 edits in 3 files/);
    await press('n');
    assert.equal(calls.applied.length, 0);
    assert.match(frame(), /▾ anchor-mismatch {2}3/);
  });

  it('f on a finding without a fix says why and writes nothing', async () => {
    const { services, calls } = fakeServices();
    const { frame, press } = await mount(services);
    await press('G', 'f');
    assert.match(frame(), /No automatic fix: version-divergence has no automatic fix/);
    assert.equal(calls.applied.length, 0);
  });

  it('i asks for a reason (required) and writes the suppression', async () => {
    const { services, calls } = fakeServices();
    const { frame, press } = await mount(services);
    await press('G', 'i');
    assert.match(frame(), /reason to ignore version-divergence at svc\/c\/go\.mod:6:/);
    await press(KEYS.enter);
    assert.match(frame(), /a reason is required/);
    assert.equal(calls.ignored.length, 0);
    await press('kept for the v2 migration', KEYS.enter);
    await delay(50);
    assert.deepEqual(calls.ignored.map(([f, r]) => [f.rule, r]), [['version-divergence', 'kept for the v2 migration']]);
    assert.match(frame(), /Ignored version-divergence\./);
    assert.match(frame(), /● 0 info/);
  });

  it('o asks to open the editor at the line; q quits; ? shows the help', async () => {
    const { frame, press, exits } = await mount(fakeServices().services);
    await press('?');
    assert.match(frame(), /Keys/);
    assert.match(frame(), /open the go\.mod at the line in \$EDITOR/);
    await press('x');
    assert.match(frame(), /↑↓ move/);
    await press('j', 'j', 'o');
    assert.deepEqual(exits, [{ kind: 'edit', file: 'svc/b/go.mod', line: 7 }]);
  });

  it('q and Esc quit', async () => {
    const a = await mount(fakeServices().services);
    await a.press('q');
    assert.deepEqual(a.exits, [{ kind: 'quit' }]);
    cleanup();
    const b = await mount(fakeServices().services);
    await b.press(KEYS.esc);
    await delay(30);
    assert.deepEqual(b.exits, [{ kind: 'quit' }]);
  });

  it('keys that arrive in one chunk act one after the other', async () => {
    const { frame, press } = await mount(fakeServices().services);
    await press('jjj');
    assert.match(selectedLine(frame()), /svc\/b\/go\.mod:8/);
  });

  it('lays out again for another size', async () => {
    const { services } = fakeServices();
    const exits: ExitRequest[] = [];
    const app = render(<ReviewApp services={services} size={{ columns: 60, rows: 12 }} onExit={(r) => exits.push(r)} />);
    await delay(30);
    let lines = stripVTControlCharacters(app.lastFrame() ?? '').split('\n');
    assert.equal(lines.length, 11);
    for (const l of lines) assert.ok(l.length <= 60, `too wide: ${l}`);
    app.rerender(<ReviewApp services={services} size={{ columns: 140, rows: 40 }} onExit={(r) => exits.push(r)} />);
    await delay(30);
    lines = stripVTControlCharacters(app.lastFrame() ?? '').split('\n');
    assert.equal(lines.length, 39);
    assert.match(lines.join('\n'), /── details ─/);
  });

  it('in a short terminal the detail pane keeps the fix and its command before the excerpt', async () => {
    const { frame, press } = await mount(fakeServices().services, { columns: 100, rows: 20 });
    await press('j');
    const detail = frame().split('\n').slice(-7, -1);
    assert.equal(detail.length, 6);
    assert.match(detail[0]!, /── details ─+ 2\/8$/);
    assert.match(detail[1]!, /✖ error {2}anchor-mismatch {2}svc\/a\/go\.mod:5:2/);
    assert.match(detail[2]!, /^ {2}requires golang\.org\/x\/net v0\.21\.0/);
    assert.match(detail[3]!, /^ {2}anchor +anchor\.lock:4/);
    assert.match(detail[4]!, /^ {2}fix +set golang\.org\/x\/net$/);
    assert.match(detail[5]!, /^ {2}run +modguard fix --rule anchor-mismatch$/);
    assert.doesNotMatch(frame(), /│/, 'no room left for the excerpt');
  });

  it('shows the loading progress, then a load failure', async () => {
    let fail: (e: Error) => void = () => undefined;
    const services: ReviewServices = {
      ...fakeServices().services,
      load: (onProgress) => {
        onProgress({ phase: 'parsing go.mod files', modulesParsed: 120, modulesTotal: 1000 });
        return new Promise((_, reject) => { fail = reject; });
      },
    };
    const exits: ExitRequest[] = [];
    const app = render(<ReviewApp services={services} size={{ columns: 100, rows: 24 }} onExit={(r) => exits.push(r)} />);
    const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
    await delay(30);
    assert.match(frame(), /parsing go\.mod files · 120\/1000 modules parsed/);
    fail(new Error('--root nowhere: no such directory'));
    await delay(30);
    assert.match(frame(), /modguard review: --root nowhere: no such directory/);
    await delay(20);
    app.stdin.write('q');
    await delay(20);
    assert.deepEqual(exits, [{ kind: 'quit' }]);
  });

  it('renders only the rows that fit with 10,000 findings', async () => {
    const { frame, press } = await mount(demoServices(10_000), { columns: 120, rows: 30 });
    assert.equal(frame().split('\n').length, 29);
    assert.match(frame(), /10000 findings/);
    await press(KEYS.pageDown, KEYS.pageDown, 'G');
    assert.match(frame(), / (\d+)\/\1$/m, 'the last row is selected');
  });
});
