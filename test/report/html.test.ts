import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml, esc } from '../../src/report/html.ts';
import { diffSnapshots } from '../../src/report/delta.ts';
import type { Snapshot } from '../../src/report/snapshot.ts';
import { today, yesterday } from './fixtures.ts';
import { findChromium, openPage } from './chromium.ts';

/** series returns n daily snapshots ending with today's fixture, with varying numbers. */
function series(n: number): Snapshot[] {
  const out: Snapshot[] = [];
  for (let i = n - 1; i >= 1; i--) {
    const s = yesterday();
    s.date = new Date(Date.parse('2026-03-10T02:00:00.000Z') - i * 86_400_000).toISOString();
    s.headline = { ...s.headline, errors: 3 + (i % 3), warnings: 1 + (i % 2), infos: i % 4 };
    s.headline.findings = s.headline.errors + s.headline.warnings + s.headline.infos;
    out.push(s);
  }
  out.push(today());
  return out;
}

function page(history = series(6)): string {
  const t = history[history.length - 1]!;
  return renderHtml({ snapshot: t, delta: diffSnapshots(history[history.length - 2], t), history, title: 'shop <main>' });
}

describe('report/html', () => {
  it('escapes everything that comes from the repository', () => {
    const html = page();
    assert.ok(!html.includes('<script>alert(1)</script>'), 'the module path with markup is escaped');
    assert.ok(html.includes('example.com/&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('shop &lt;main&gt;'));
    assert.equal(esc(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('is self-contained: no external URL, a CSP that forbids loading anything', () => {
    const html = page();
    assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /@import|url\(/i);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    assert.equal((html.match(/<script>/g) ?? []).length, 1);
  });

  it('draws one trend point per day of history and one bar segment per version', () => {
    const html = page();
    assert.equal((html.match(/<circle class="pt"[^>]* data-point="/g) ?? []).length, 6);
    assert.equal((html.match(/data-segment="/g) ?? []).length, 3);
    const single = page([today()]);
    assert.equal((single.match(/data-point="/g) ?? []).length, 1);
    assert.match(single, /One snapshot so far/);
  });

  it('draws a second bar for versions selected through the module graph, and folds converged anchors', () => {
    const t = today();
    const grpc = t.anchors[0]!;
    grpc.graph = { on: 1, below: 0, above: 2, versions: [
      { version: 'v1.66.0', relation: 'above', modules: ['example.com/svc/a'] },
      { version: 'v1.65.0', relation: 'above', modules: ['example.com/svc/b'] },
      { version: 'v1.64.0', relation: 'on', modules: ['example.com/svc/c'] },
    ] };
    t.graphs = true;
    const html = renderHtml({ snapshot: t, delta: diffSnapshots(undefined, t), history: [t] });
    assert.equal((html.match(/data-view="graph"/g) ?? []).length, 1);
    assert.equal((html.match(/data-segment="/g) ?? []).length, 6, '2 required + 3 selected for grpc, 1 for x/net');
    assert.match(html, /2 modules off pin/, 'a and b are off in both views and count once');
    assert.match(html, /<details class="converged"><summary>1 converged anchor: golang\.org\/x\/net<\/summary>/);
    // Above-pin segments get darker the further they are above the pin.
    const colours = [...html.matchAll(/data-view="graph">.*?<\/svg>/gs)][0]![0].match(/fill="(#[0-9a-f]{6})" data-segment="v1\.6[56]\.0"/g);
    assert.equal(colours?.length, 2);
    assert.notEqual(colours![0], colours![1]);
  });

  it('renders in headless Chromium without console errors or requests, with its charts and a screenshot', async function () {
    const browser = findChromium();
    if (!browser) {
      this.skip(); // chromium is not installed here (apt-get install -y chromium); the page is still checked above
      return;
    }
    this.timeout(60_000);
    const outDir = path.resolve('test-output', 'report');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'report.html');
    writeFileSync(file, page(series(14)));
    const run = await openPage(browser, pathToFileURL(file).href, {
      points: `document.querySelectorAll('svg[data-chart="trend"] [data-point]').length`,
      segments: `document.querySelectorAll('[data-chart="drift"] [data-segment]').length`,
      anchors: `document.querySelectorAll('[data-anchor-row]').length`,
      headline: `document.querySelector('.kpi .value').textContent`,
      // Sorting: click "Module" once (ascending by name), then read the first row.
      sorted: `(function(){var t=document.querySelectorAll('table[data-sortable]')[1];t.querySelector('th button').click();return t.tBodies[0].rows[0].cells[0].textContent;})()`,
      widthFits: `document.documentElement.scrollWidth <= window.innerWidth`,
    });
    writeFileSync(path.join(outDir, 'report.png'), run.screenshot);
    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, []);
    assert.equal(run.values.points, 14);
    assert.equal(run.values.segments, 3);
    assert.equal(run.values.anchors, 2);
    assert.equal(run.values.headline, '5');
    assert.equal(run.values.sorted, 'lib/d', 'sorted by name; the shared example.com/ prefix is said once above the table');
    assert.equal(run.values.widthFits, true, 'nothing overflows the page horizontally');
    assert.ok(run.screenshot.length > 10_000 && run.screenshot.subarray(1, 4).toString() === 'PNG');
  });
});
