// report.html: one self-contained page. No network at all (a Content-Security-Policy forbids it),
// no external fonts or scripts; charts are inline SVG drawn here. Every text that comes from the
// repository (module paths, versions, messages, comments) goes through esc().
import { createHash } from 'node:crypto';
import type { AnchorDrift, AnchorVersionGroup, DriftView, Snapshot, SnapshotFinding } from './snapshot.ts';
import type { SnapshotDelta } from './delta.ts';
import { dayOf, groupFindings, mergeHistory, trendSeries, type TrendPoint } from './delta.ts';
import { suggestActions } from './actions.ts';

export interface HtmlInput {
  snapshot: Snapshot;
  delta: SnapshotDelta;
  /** Earlier snapshots (any order; the current one may be included). */
  history: Snapshot[];
  /** A name for the repository shown in the title (e.g. the root folder name). */
  title?: string;
}

/** esc makes text safe in HTML content and in quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** escPath escapes a module path and lets it wrap after each slash rather than inside a name. */
export function escPath(value: string): string {
  return esc(value).replace(/\//g, '/<wbr>');
}

/** commonPrefix is the longest `a/b/` prefix shared by every path (empty for fewer than two). */
export function commonPrefix(paths: readonly string[]): string {
  if (paths.length < 2) return '';
  let prefix = paths[0]!;
  for (const p of paths) {
    while (prefix && !p.startsWith(prefix)) prefix = prefix.slice(0, prefix.length - 1);
  }
  const cut = prefix.lastIndexOf('/');
  return cut < 0 ? '' : prefix.slice(0, cut + 1);
}

const nf = new Intl.NumberFormat('en-US');
const num = (n: number) => nf.format(n);
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// Colours: chosen for contrast on white (text ≥ 4.5:1) and to stay apart for common colour-vision
// deficiencies: on-pin teal, below-pin amber to rust, above-pin violet.
const BELOW = ['#f2b33d', '#e08a1e', '#c2620f', '#9a4a0b'];
const ABOVE = ['#8f6bf2', '#6a43d8', '#4c2ba8'];

function segmentColour(view: DriftView, g: AnchorVersionGroup): string {
  if (g.relation === 'on') return 'var(--on)';
  // versions are highest first: below-pin groups further down get darker, above-pin further up too.
  const same = view.versions.filter((v) => v.relation === g.relation);
  const i = same.indexOf(g);
  if (g.relation === 'below') return BELOW[Math.min(i, BELOW.length - 1)]!;
  return ABOVE[Math.min(same.length - 1 - i, ABOVE.length - 1)]!;
}

// ---------------------------------------------------------------------------------------------
// Trend chart: findings per severity stacked over time, one dot per snapshot on the total.

function niceMax(n: number): number {
  if (n <= 4) return 4;
  const mag = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * mag >= n) return step * mag;
  return 10 * mag;
}

function shortDate(date: string): string {
  const d = dayOf(date);
  const t = Date.parse(`${d}T00:00:00Z`);
  if (Number.isNaN(t)) return d;
  return new Date(t).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function trendChart(points: TrendPoint[]): string {
  const max = niceMax(Math.max(0, ...points.map((p) => p.findings)));
  // Room for the widest tick label (about 8 units per character at this size).
  const W = 1080, H = 270, L = 16 + 8 * num(max).length, R = 24, T = 16, B = 34;
  const pw = W - L - R, ph = H - T - B;
  const x = (i: number) => L + (points.length === 1 ? pw / 2 : (pw * i) / (points.length - 1));
  const y = (v: number) => T + ph - (ph * v) / max;
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="trend-title trend-desc" data-chart="trend">`);
  parts.push(`<title id="trend-title">Findings over time</title><desc id="trend-desc">${esc(`${points.length} snapshots from ${points.length ? dayOf(points[0]!.date) : ''} to ${points.length ? dayOf(points[points.length - 1]!.date) : ''}`)}</desc>`);
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
    parts.push(`<text class="axis" x="${L - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${num(Math.round(v * 10) / 10)}</text>`);
  }
  // Stacked areas, bottom up: errors, warnings, info.
  const layers: Array<{ cls: string; value: (p: TrendPoint) => number }> = [
    { cls: 'error', value: (p) => p.errors },
    { cls: 'warning', value: (p) => p.errors + p.warnings },
    { cls: 'info', value: (p) => p.errors + p.warnings + p.infos },
  ];
  if (points.length > 1) {
    for (let li = layers.length - 1; li >= 0; li--) {
      const top = points.map((p, i) => `${x(i).toFixed(1)},${y(layers[li]!.value(p)).toFixed(1)}`);
      const d = `M${top.join(' L')} L${x(points.length - 1).toFixed(1)},${y(0).toFixed(1)} L${x(0).toFixed(1)},${y(0).toFixed(1)} Z`;
      parts.push(`<path class="area ${layers[li]!.cls}" d="${d}"/>`);
    }
    parts.push(`<polyline class="total" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p.findings).toFixed(1)}`).join(' ')}"/>`);
  }
  // Date labels: at most eight, always the first and the last.
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    if (i !== points.length - 1 && points.length - 1 - i < Math.max(1, every * 0.75)) return;
    const anchor = points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    parts.push(`<text class="axis" x="${x(i).toFixed(1)}" y="${H - 10}" text-anchor="${anchor}">${esc(shortDate(p.date))}</text>`);
  });
  points.forEach((p, i) => {
    const label = `${dayOf(p.date)}${p.commit ? ` (${p.commit.slice(0, 10)})` : ''}: ${plural(p.findings, 'finding')}, ${plural(p.errors, 'error')}, ${plural(p.warnings, 'warning')}, ${num(p.infos)} info`;
    parts.push(`<circle class="pt" cx="${x(i).toFixed(1)}" cy="${y(p.findings).toFixed(1)}" r="4" data-point="${i}" data-date="${esc(dayOf(p.date))}" data-findings="${p.findings}"><title>${esc(label)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Drift per anchor: one stacked bar per anchor, one segment per version, width by module count.

function driftBar(a: AnchorDrift, view: DriftView, kind: 'direct' | 'graph', scale: number): string {
  const total = view.on + view.below + view.above;
  const parts: string[] = [`<svg class="bar" viewBox="0 0 1000 18" preserveAspectRatio="none" role="img" aria-label="${esc(`${a.path}: ${total} modules, ${view.on} on the pin ${a.pin}, ${view.below} below, ${view.above} above (${kind === 'direct' ? 'required' : 'selected through the module graph'})`)}" data-anchor="${esc(a.path)}" data-view="${kind}">`];
  parts.push(`<rect class="track" x="0" y="0" width="1000" height="18" rx="0"/>`);
  let at = 0;
  // Draw pin first, then below-pin (nearest first), then above-pin, so the bar reads left to right
  // from "done" to "to do".
  const ordered = [
    ...view.versions.filter((g) => g.relation === 'on'),
    ...view.versions.filter((g) => g.relation === 'below'),
    ...view.versions.filter((g) => g.relation === 'above').reverse(),
  ];
  for (const g of ordered) {
    const w = (1000 * g.modules.length) / scale;
    const title = `${a.path} ${g.version}: ${plural(g.modules.length, 'module')} (${g.relation === 'on' ? 'on the pin' : `${g.relation} the pin ${a.pin}`})`;
    parts.push(`<rect class="seg" x="${at.toFixed(2)}" y="0" width="${Math.max(w, 0).toFixed(2)}" height="18" fill="${segmentColour(view, g)}" data-segment="${esc(g.version)}" data-relation="${g.relation}" data-modules="${g.modules.length}"><title>${esc(title)}</title></rect>`);
    at += w;
  }
  parts.push('</svg>');
  return parts.join('');
}

function chips(a: AnchorDrift, view: DriftView): string {
  return view.versions.map((g) => `<span class="chip ${g.relation}"><i style="background:${segmentColour(view, g)}"></i>${esc(g.version)} <b>${num(g.modules.length)}</b>${g.relation === 'on' ? ' <em>pin</em>' : ''}</span>`).join('');
}

/** offPinModules counts the modules off the pin in either view (a module drifting both ways counts once). */
function offPinModules(a: AnchorDrift): number {
  const off = new Set<string>();
  for (const view of [a.direct, a.graph]) {
    for (const g of view?.versions ?? []) if (g.relation !== 'on') for (const m of g.modules) off.add(m);
  }
  return off.size;
}

function driftRow(a: AnchorDrift, scale: number): string {
  const total = a.direct.on + a.direct.below + a.direct.above;
  const off = offPinModules(a);
  const status = a.converged ? '<span class="badge ok">converged</span>'
    : `<span class="badge warn">${plural(off, 'module')} off pin</span>`;
  let html = `<div class="drift-row" data-anchor-row="${esc(a.path)}">`;
  html += `<div class="drift-label"><div class="path" title="${esc(a.path)}">${esc(a.path)}</div><div class="meta">pin <code>${esc(a.pin)}</code> · ${plural(total, 'module')}${a.comment ? ` · ${esc(a.comment)}` : ''} ${status}</div></div>`;
  html += `<div class="drift-bars"><div class="bar-line"><span class="bar-kind">required</span>${driftBar(a, a.direct, 'direct', scale)}</div>`;
  const graphOff = a.graph ? a.graph.below + a.graph.above : 0;
  if (a.graph && a.graph.on + graphOff > 0) {
    html += `<div class="bar-line"><span class="bar-kind">selected</span>${driftBar(a, a.graph, 'graph', scale)}</div>`;
  }
  html += `<div class="chips">${chips(a, a.direct)}</div>`;
  if (a.graph && graphOff > 0) html += `<div class="chips"><span class="chips-kind">selected:</span>${chips(a, a.graph)}</div>`;
  html += '</div></div>';
  return html;
}

export function driftChart(anchors: AnchorDrift[]): string {
  if (anchors.length === 0) return '<p class="empty">No anchors: add pins to anchor.lock to follow drift here.</p>';
  const scale = Math.max(1, ...anchors.map((a) => Math.max(a.direct.on + a.direct.below + a.direct.above,
    a.graph ? a.graph.on + a.graph.below + a.graph.above : 0)));
  // Worst first: most modules off the pin, then by path. Converged anchors fold away below.
  const drifted = anchors.filter((a) => !a.converged).sort((a, b) => offPinModules(b) - offPinModules(a) || (a.path < b.path ? -1 : 1));
  const converged = anchors.filter((a) => a.converged).sort((a, b) => (a.path < b.path ? -1 : 1));
  let html = `<div class="drift" data-chart="drift">${drifted.map((a) => driftRow(a, scale)).join('')}`;
  if (drifted.length === 0) html += '<p class="all-good">Every anchor is converged: all modules are on their pins.</p>';
  if (converged.length > 0) {
    html += `<details class="converged"${drifted.length === 0 ? ' open' : ''}><summary>${plural(converged.length, 'converged anchor')}: ${converged.slice(0, 4).map((a) => esc(a.path)).join(', ')}${converged.length > 4 ? ', …' : ''}</summary>${converged.map((a) => driftRow(a, scale)).join('')}</details>`;
  }
  return `${html}</div>`;
}

// ---------------------------------------------------------------------------------------------
// Tables.

function th(label: string, type: 'text' | 'num', extra = ''): string {
  return `<th scope="col" data-type="${type}"${extra}><button type="button">${esc(label)}<span class="arrow" aria-hidden="true"></span></button></th>`;
}

function spreadTable(s: Snapshot, limit = 12): string {
  if (s.spread.length === 0) return '<p class="empty">Every unanchored dependency is required at a single version.</p>';
  const rows = s.spread.slice(0, limit).map((d) => {
    const most = Math.max(...d.versions.map((v) => v.modules.length));
    const mini = `<svg class="mini" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">${(() => {
      let at = 0;
      return d.versions.map((v, i) => {
        const w = (100 * v.modules.length) / d.modules;
        const r = `<rect x="${at.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="10" fill="${i % 2 === 0 ? 'var(--spread-a)' : 'var(--spread-b)'}"/>`;
        at += w;
        return r;
      }).join('');
    })()}</svg>`;
    const list = d.versions.slice(0, 6).map((v) => `<span><code${v.modules.length === most ? ' class="most"' : ''}>${esc(v.version)}</code>&nbsp;${num(v.modules.length)}</span>`).join(' · ')
      + (d.versions.length > 6 ? ` · +${d.versions.length - 6} more` : '');
    return `<tr><td class="path">${escPath(d.path)}</td><td class="num" data-sort="${d.versions.length}">${num(d.versions.length)}</td><td class="num" data-sort="${d.modules}">${num(d.modules)}</td><td>${mini}<div class="versions">${list}</div></td></tr>`;
  });
  const more = s.spread.length > limit ? `<p class="more">and ${plural(s.spread.length - limit, 'more dependency', 'more dependencies')}</p>` : '';
  return `<table class="sortable spread" data-sortable><thead><tr>${th('Dependency', 'text')}${th('Versions', 'num', ' aria-sort="descending"')}${th('Modules', 'num')}<th scope="col">Distribution</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function modulesTable(s: Snapshot, limit = 15): string {
  const withFindings = s.modules.filter((m) => m.findings.length > 0)
    .sort((a, b) => b.errors - a.errors || b.findings.length - a.findings.length || (a.path < b.path ? -1 : 1));
  if (withFindings.length === 0) return '<p class="empty">No module has a finding.</p>';
  const prefix = commonPrefix(s.modules.map((m) => m.path));
  const rows = withFindings.slice(0, limit).map((m) => `<tr><td class="path" title="${esc(`${m.path} (${m.dir})`)}">${escPath(m.path.slice(prefix.length) || m.path)}</td><td class="num sev-error" data-sort="${m.errors}">${num(m.errors)}</td><td class="num sev-warning" data-sort="${m.warnings}">${num(m.warnings)}</td><td class="num sev-info" data-sort="${m.infos}">${num(m.infos)}</td><td class="num" data-sort="${m.findings.length}"><b>${num(m.findings.length)}</b></td></tr>`);
  const more = withFindings.length > limit ? `<p class="more">and ${plural(withFindings.length - limit, 'more module')} with findings</p>` : '';
  const note = prefix ? `<p class="hint">Module paths below <code>${esc(prefix)}</code>.</p>` : '';
  return `${note}<table class="sortable" data-sortable><thead><tr>${th('Module', 'text')}${th('Errors', 'num', ' aria-sort="descending"')}${th('Warnings', 'num')}${th('Info', 'num')}${th('Total', 'num')}</tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function rulesTable(s: Snapshot): string {
  const entries = Object.entries(s.rules).sort((a, b) => b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return '<p class="empty">No findings.</p>';
  const max = Math.max(...entries.map(([, r]) => r.total));
  return `<ul class="rules">${entries.map(([rule, r]) => {
    const sev = r.error > 0 ? 'error' : r.warning > 0 ? 'warning' : 'info';
    return `<li><code>${esc(rule)}</code><span class="rule-bar"><span class="fill ${sev}" style="width:${Math.max(1.5, (100 * r.total) / max).toFixed(1)}%"></span></span><b>${num(r.total)}</b></li>`;
  }).join('')}</ul>`;
}

function findingItems(list: SnapshotFinding[], limit: number, emptyText: string): string {
  if (list.length === 0) return `<p class="empty">${esc(emptyText)}</p>`;
  const groups = groupFindings(list);
  const items = groups.slice(0, limit).map((g) => {
    const first = g.findings[0]!;
    const n = g.findings.length;
    const head = `<code>${esc(g.rule)}</code>${g.dependency ? ` <span class="dep">${escPath(g.dependency)}</span>` : ''}`
      + (n === 1 ? ` <span class="loc">${esc(first.file)}:${first.line}</span>` : ` <span class="count">× ${num(n)}</span>`);
    const files = n === 1 ? '' : `<details class="files"><summary>${plural(n, 'file')}</summary><ul>${g.findings.slice(0, 100).map((f) => `<li class="loc">${esc(f.file)}:${f.line}</li>`).join('')}${n > 100 ? `<li>… and ${num(n - 100)} more</li>` : ''}</ul></details>`;
    return `<li data-group-size="${n}"><span class="sev ${g.severity}">${esc(g.severity)}</span><div class="finding-body"><div class="finding-head">${head}</div><div class="msg" title="${esc(first.message)}">${esc(first.message)}</div>${files}</div></li>`;
  });
  return `<ul class="findings">${items.join('')}</ul>${groups.length > limit ? `<p class="more">and ${plural(groups.length - limit, 'more group')} (see report.json)</p>` : ''}`;
}

// ---------------------------------------------------------------------------------------------

const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#17202e;--muted:#566173;--line:#e3e7ee;--grid:#edf0f4;
--on:#14956b;--error:#c9302c;--warning:#b7791f;--info:#2f6fd6;--error-a:#f3b8b5;--warning-a:#f6dba5;--info-a:#c5d8f7;
--spread-a:#5b7bd5;--spread-b:#a9bbea;--accent:#3b5bdb;--track:#eef1f5}
@media (prefers-color-scheme:dark){:root{--bg:#0f141b;--card:#171e28;--ink:#e8edf4;--muted:#9aa6b8;--line:#263142;--grid:#202a38;
--on:#2fbf8f;--error:#f07167;--warning:#f0b13d;--info:#6ea8fe;--error-a:#5a2a2a;--warning-a:#5a4520;--info-a:#23385e;
--spread-a:#7d98e8;--spread-b:#3f5187;--accent:#8aa2ff;--track:#222c3a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
code,.loc,.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.86em}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px;margin-bottom:20px}
header.top h1{font-size:26px;line-height:1.2;margin:0;letter-spacing:-.01em}
header.top h1 .brand{color:var(--accent)}
header.top .sub{color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:14px;margin-bottom:18px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px}
.kpi .label{color:var(--muted);font-size:13px;font-weight:600;text-transform:uppercase;letter-spacing:.05em}
.kpi .value{font-size:32px;font-weight:700;line-height:1.15;margin-top:4px}
.kpi .value small{font-size:18px;color:var(--muted);font-weight:600}
.kpi .detail{color:var(--muted);font-size:13px;margin-top:4px}
.kpi .detail b{color:var(--ink)}
.delta-up{color:var(--error);font-weight:600}.delta-down{color:var(--on);font-weight:600}.delta-flat{color:var(--muted)}
.progress{height:6px;background:var(--track);border-radius:3px;margin-top:8px;overflow:hidden}
.progress span{display:block;height:100%;background:var(--on)}
.sevbar{display:flex;height:6px;border-radius:3px;overflow:hidden;margin-top:8px;background:var(--track)}
.sevbar span.error{background:var(--error)}.sevbar span.warning{background:var(--warning)}.sevbar span.info{background:var(--info)}
section.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin-bottom:18px}
section.card h2{font-size:17px;margin:0 0 4px}
section.card .hint{color:var(--muted);font-size:13px;margin:0 0 12px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:18px}
.grid2>section.card{margin-bottom:0}
.grid2{margin-bottom:18px}
svg.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:var(--grid);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:13px}
.chart .area.error{fill:var(--error-a)}.chart .area.warning{fill:var(--warning-a)}.chart .area.info{fill:var(--info-a)}
.chart .total{fill:none;stroke:var(--ink);stroke-width:2;stroke-linejoin:round}
.chart .pt{fill:var(--card);stroke:var(--ink);stroke-width:2}
.chart .pt:hover{fill:var(--accent)}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:13px;color:var(--muted);margin-top:8px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.drift-row{display:grid;grid-template-columns:minmax(220px,320px) minmax(0,1fr);gap:8px 18px;padding:12px 0;border-top:1px solid var(--line)}
.drift-row:first-child{border-top:0;padding-top:4px}
.drift-label .path{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.drift-label .meta{color:var(--muted);font-size:13px}
.bar-line{display:flex;align-items:center;gap:8px;margin-bottom:5px}
.bar-kind{flex:0 0 58px;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
svg.bar{flex:1 1 0;min-width:0;width:100%;height:18px;border-radius:4px;display:block;overflow:hidden}
svg.bar .track{fill:var(--track)}
svg.bar .seg{stroke:var(--card);stroke-width:2;vector-effect:non-scaling-stroke}
.chips{display:flex;flex-wrap:wrap;gap:6px 12px;font-size:12.5px;color:var(--muted);margin-left:66px}
.chips+.chips{margin-top:2px}
.chips-kind{font-size:11px;text-transform:uppercase;letter-spacing:.04em}
details.converged{margin-top:6px;border-top:1px solid var(--line);padding-top:10px}
details.converged summary{cursor:pointer;color:var(--muted);font-size:14px}
details.converged summary:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
details.converged[open] summary{margin-bottom:4px}
.all-good{color:var(--on);font-weight:600;margin:4px 0}
.chip i{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:5px}
.chip b{color:var(--ink)}
.chip em{font-style:normal;color:var(--on);font-weight:600}
.badge{display:inline-block;font-size:11.5px;font-weight:600;padding:1px 8px;border-radius:10px;margin-left:4px}
.badge.ok{background:color-mix(in srgb,var(--on) 16%,transparent);color:var(--on)}
.badge.warn{background:color-mix(in srgb,var(--warning) 18%,transparent);color:var(--warning)}
table{width:100%;border-collapse:collapse;font-size:14px}
th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:1px solid var(--line);padding:0 8px 6px;white-space:nowrap}
th button{all:unset;cursor:pointer}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px;border-radius:3px}
th[aria-sort=ascending] .arrow::after{content:" ▲"}th[aria-sort=descending] .arrow::after{content:" ▼"}
td{padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:hover{background:color-mix(in srgb,var(--accent) 5%,transparent)}
td.num,th[data-type=num]{text-align:right}
td.path{font-weight:500;overflow-wrap:anywhere}
td.sev-error{color:var(--error)}td.sev-warning{color:var(--warning)}td.sev-info{color:var(--info)}
table.spread{table-layout:fixed}
table.spread th:nth-child(1){width:34%}table.spread th:nth-child(2){width:11%}table.spread th:nth-child(3){width:11%}
.versions span{white-space:nowrap}
svg.mini{width:100%;max-width:320px;height:8px;border-radius:2px;display:block;margin:5px 0 4px}
.versions{font-size:12.5px;color:var(--muted)}
.versions code.most{color:var(--ink);font-weight:700}
.rules{list-style:none;margin:0;padding:0}
.rules li{display:grid;grid-template-columns:minmax(140px,190px) 1fr 56px;align-items:center;gap:12px;padding:5px 0}
.rules li b{text-align:right}
.rule-bar{height:8px;background:var(--track);border-radius:4px;overflow:hidden}
.rule-bar .fill{display:block;height:100%}
.fill.error{background:var(--error)}.fill.warning{background:var(--warning)}.fill.info{background:var(--info)}
.findings{list-style:none;margin:0;padding:0}
.findings li{display:flex;gap:10px;padding:8px 0;border-top:1px solid var(--line)}
.findings li:first-child{border-top:0}
.sev{flex:0 0 74px;text-align:center;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:2px 0;height:fit-content;color:#fff}
.sev.error{background:var(--error)}.sev.warning{background:var(--warning)}.sev.info{background:var(--info)}
.finding-head .loc{color:var(--muted)}
.finding-body{min-width:0;flex:1}
.finding-head .dep{font-weight:600;overflow-wrap:anywhere}
.finding-head .count{color:var(--muted);font-weight:600;white-space:nowrap}
.msg{font-size:13.5px;word-break:break-word;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
details.files summary{cursor:pointer;color:var(--muted);font-size:12.5px;margin-top:2px}
details.files ul{margin:4px 0 0;padding-left:18px;font-size:12.5px;color:var(--muted);max-height:220px;overflow:auto}
ol.actions{margin:0;padding-left:22px}
ol.actions li{padding:4px 0}
ol.actions li::marker{color:var(--accent);font-weight:700}
.kind{display:inline-block;font-size:11px;font-weight:600;color:var(--muted);border:1px solid var(--line);border-radius:10px;padding:0 7px;margin-left:6px}
.empty{color:var(--muted);margin:4px 0}
.more{color:var(--muted);font-size:13px;margin:8px 0 0}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:24px}
@media (max-width:640px){.drift-row{grid-template-columns:1fr}.chips{margin-left:0}.grid2{grid-template-columns:1fr}}
@media print{body{background:#fff}section.card,.kpi{break-inside:avoid}}
`;

// Sorts any table[data-sortable] by a clicked header; numbers come from data-sort attributes.
const SCRIPT = `(function(){
document.querySelectorAll('table[data-sortable]').forEach(function(table){
  var heads=table.querySelectorAll('th[data-type]');
  heads.forEach(function(th){
    var button=th.querySelector('button');
    if(!button)return;
    button.addEventListener('click',function(){
      var index=Array.prototype.indexOf.call(th.parentNode.children,th);
      var numeric=th.getAttribute('data-type')==='num';
      var dir=th.getAttribute('aria-sort')==='descending'?'ascending':'descending';
      if(!th.hasAttribute('aria-sort')&&!numeric)dir='ascending';
      heads.forEach(function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir);
      var body=table.tBodies[0];
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[index],y=b.cells[index];
        var c=numeric?Number(x.getAttribute('data-sort'))-Number(y.getAttribute('data-sort')):x.textContent.localeCompare(y.textContent);
        return dir==='ascending'?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
})();`;

function deltaSpan(n: number, goodWhenDown: boolean, since: string | undefined): string {
  if (since === undefined) return '<span class="delta-flat">first snapshot</span>';
  if (n === 0) return `<span class="delta-flat">no change since ${esc(since)}</span>`;
  const worse = goodWhenDown ? n > 0 : n < 0;
  return `<span class="${worse ? 'delta-up' : 'delta-down'}">${n > 0 ? '▲' : '▼'} ${num(Math.abs(n))}</span> since ${esc(since)}`;
}

/** renderHtml writes the whole page. */
export function renderHtml(input: HtmlInput): string {
  const { snapshot: s, delta } = input;
  const h = s.headline;
  const history = mergeHistory([...input.history.filter((x) => dayOf(x.date) !== dayOf(s.date)), s]);
  const points = trendSeries(history);
  const since = delta.previous ? shortDate(delta.previous.date) : undefined;
  const title = input.title ? `${input.title}: modguard drift report` : 'modguard drift report';
  const scriptHash = createHash('sha256').update(SCRIPT).digest('base64');
  const sevTotal = Math.max(1, h.findings);
  const actions = suggestActions(s).slice(0, 8);

  const kpis = `<div class="kpis">
<div class="kpi"><div class="label">Modules</div><div class="value">${num(h.modules)}</div><div class="detail"><b>${num(h.modulesOffPin)}</b> off an anchor pin</div></div>
<div class="kpi"><div class="label">Findings</div><div class="value">${num(h.findings)}</div><div class="detail"><b class="sev-text">${num(h.errors)}</b> errors · <b>${num(h.warnings)}</b> warnings · <b>${num(h.infos)}</b> info</div><div class="sevbar" aria-hidden="true"><span class="error" style="width:${((100 * h.errors) / sevTotal).toFixed(1)}%"></span><span class="warning" style="width:${((100 * h.warnings) / sevTotal).toFixed(1)}%"></span><span class="info" style="width:${((100 * h.infos) / sevTotal).toFixed(1)}%"></span></div><div class="detail">${deltaSpan(delta.change.findings, true, since)}</div></div>
<div class="kpi"><div class="label">Anchors converged</div><div class="value">${num(h.anchorsConverged)}<small> / ${num(h.anchors)}</small></div><div class="progress" aria-hidden="true"><span style="width:${h.anchors ? ((100 * h.anchorsConverged) / h.anchors).toFixed(1) : 0}%"></span></div><div class="detail">${deltaSpan(delta.change.anchorsConverged, false, since)}</div></div>
<div class="kpi"><div class="label">Since previous</div><div class="value">${delta.previous ? `<span class="${delta.newFindings.length ? 'delta-up' : 'delta-flat'}">+${num(delta.newFindings.length)}</span> <span class="${delta.resolvedFindings.length ? 'delta-down' : 'delta-flat'}">−${num(delta.resolvedFindings.length)}</span>` : '<span class="delta-flat">—</span>'}</div><div class="detail">${delta.previous ? `new · resolved since ${esc(since!)}` : 'first snapshot: nothing to compare'}</div></div>
</div>`;

  const trend = `<section class="card" aria-labelledby="h-trend"><h2 id="h-trend">Findings over time</h2><p class="hint">${points.length === 1 ? 'One snapshot so far: keep a history (<code>--history DIR</code>) or build one from git (<code>--since 30d</code>) to see a trend.' : `${plural(points.length, 'snapshot')}, ${esc(dayOf(points[0]!.date))} to ${esc(dayOf(points[points.length - 1]!.date))}`}</p>${trendChart(points)}<div class="legend"><span><i style="background:var(--error-a);border:1px solid var(--error)"></i>errors</span><span><i style="background:var(--warning-a);border:1px solid var(--warning)"></i>warnings</span><span><i style="background:var(--info-a);border:1px solid var(--info)"></i>info</span><span><i style="background:var(--card);border:2px solid var(--ink);border-radius:50%"></i>total</span></div></section>`;

  const drift = `<section class="card" aria-labelledby="h-drift"><h2 id="h-drift">Drift per anchor</h2><p class="hint">Modules on each version of every pinned dependency, most drifted first.${s.graphs ? ' “Selected” is the version minimal version selection picks through the module graph.' : ''}</p>${driftChart(s.anchors)}<div class="legend"><span><i style="background:var(--on)"></i>on the pin</span><span><i style="background:${BELOW[0]}"></i>below the pin (darker: further below)</span><span><i style="background:${ABOVE[0]}"></i>above the pin</span></div></section>`;

  const actionList = actions.length === 0 ? '<p class="empty">Nothing to do: every anchor is converged and no finding is open.</p>'
    : `<ol class="actions">${actions.map((a) => `<li>${esc(a.text)}<span class="kind">${esc(a.kind.replace(/-/g, ' '))}</span></li>`).join('')}</ol>`;

  const changes = `<div class="grid2">
<section class="card" aria-labelledby="h-new"><h2 id="h-new">New${since ? ` since ${esc(since)}` : ''} <span class="delta-up">${delta.previous ? num(delta.newFindings.length) : ''}</span></h2>${delta.previous ? findingItems(delta.newFindings, 20, 'Nothing new.') : '<p class="empty">First snapshot: nothing to compare with.</p>'}</section>
<section class="card" aria-labelledby="h-resolved"><h2 id="h-resolved">Resolved${since ? ` since ${esc(since)}` : ''} <span class="delta-down">${delta.previous ? num(delta.resolvedFindings.length) : ''}</span></h2>${delta.previous ? findingItems(delta.resolvedFindings, 20, 'Nothing resolved.') : '<p class="empty">First snapshot: nothing to compare with.</p>'}</section>
</div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="modguard report (schema ${s.schemaVersion})">
<title>${esc(title)}, ${esc(dayOf(s.date))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="top"><h1><span class="brand">modguard</span> drift report${input.title ? ` · ${esc(input.title)}` : ''}</h1><span class="sub">${esc(dayOf(s.date))}${s.commit ? ` · commit <code>${esc(s.commit.slice(0, 12))}</code>` : ''}</span></header>
${kpis}
<section class="card" aria-labelledby="h-actions"><h2 id="h-actions">Top actions</h2><p class="hint">Most urgent first: integrity and bans, then modules off their pins, then versions worth anchoring.</p>${actionList}</section>
${trend}
${drift}
${changes}
<section class="card" aria-labelledby="h-spread"><h2 id="h-spread">Widest version spread</h2><p class="hint">Dependencies no anchor pins, required at several versions. Click a column to sort.</p>${spreadTable(s)}</section>
<div class="grid2">
<section class="card" aria-labelledby="h-modules"><h2 id="h-modules">Modules with most findings</h2>${modulesTable(s)}</section>
<section class="card" aria-labelledby="h-rules"><h2 id="h-rules">Findings by rule</h2>${rulesTable(s)}</section>
</div>
<footer>Generated by modguard from snapshot schema ${s.schemaVersion} · ${esc(s.date)}</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
