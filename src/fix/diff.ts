// A unified diff of two texts, line by line, with Myers' O(ND) algorithm: go.mod edits touch a few
// lines of a few hundred, so D stays tiny and the diff is close to linear.

type Op = { kind: ' ' | '-' | '+'; text: string; noEol: boolean };

interface Side { lines: string[]; noEol: boolean }

function split(text: string): Side {
  if (text === '') return { lines: [], noEol: false };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
    return { lines, noEol: false };
  }
  return { lines, noEol: true };
}

type Script = Array<{ kind: ' ' | '-' | '+'; ai: number; bi: number }>;

/**
 * diffLines returns the shortest edit script from a to b as keep/delete/insert operations. Fixes
 * change a few lines of a file, so the common head and tail are matched directly and Myers runs
 * only on what lies between.
 */
function diffLines(a: string[], b: string[]): Script {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: Script = [];
  for (let i = 0; i < head; i++) out.push({ kind: ' ', ai: i, bi: i });
  for (const o of myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) {
    out.push({ kind: o.kind, ai: o.ai + head, bi: o.bi + head });
  }
  for (let i = tail; i > 0; i--) out.push({ kind: ' ', ai: a.length - i, bi: b.length - i });
  return out;
}

function myers(a: string[], b: string[]): Script {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
  }
  // Walk the trace backwards to recover the path.
  const ops: Array<{ kind: ' ' | '-' | '+'; ai: number; bi: number }> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (d === 0) prevK = 0;
    else prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { x--; y--; ops.push({ kind: ' ', ai: x, bi: y }); }
    if (d > 0) {
      if (x === prevX) { y--; ops.push({ kind: '+', ai: x, bi: y }); } else { x--; ops.push({ kind: '-', ai: x, bi: y }); }
    }
  }
  return ops.reverse();
}

function range(start: number, count: number): string {
  // An empty range names the line before it, as diff and git print it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/**
 * unifiedDiff returns a standard unified diff (`--- a/FILE`, `+++ b/FILE`, hunks with 3 lines of
 * context, `\ No newline at end of file` where needed); '' when the texts are equal.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = split(before);
  const b = split(after);
  // A last line without a newline differs from the same text with one.
  const key = (s: Side, i: number): string => (s.noEol && i === s.lines.length - 1 ? `${s.lines[i]}\u0000` : s.lines[i]!);
  const ak = a.lines.map((_, i) => key(a, i));
  const bk = b.lines.map((_, i) => key(b, i));
  const script = diffLines(ak, bk);
  const ops: Op[] = script.map((o) => o.kind === '+'
    ? { kind: '+', text: b.lines[o.bi]!, noEol: b.noEol && o.bi === b.lines.length - 1 }
    : { kind: o.kind, text: a.lines[o.ai]!, noEol: a.noEol && o.ai === a.lines.length - 1 });
  // Positions (1-based) of each op in a and b.
  const pos: Array<{ a: number; b: number }> = [];
  let ai = 1;
  let bi = 1;
  for (const o of ops) {
    pos.push({ a: ai, b: bi });
    if (o.kind !== '+') ai++;
    if (o.kind !== '-') bi++;
  }
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [`--- a/${file}`, `+++ b/${file}`];
  let h = 0;
  while (h < changed.length) {
    let start = Math.max(0, changed[h]! - context);
    let end = changed[h]!;
    while (h + 1 < changed.length && changed[h + 1]! - end <= 2 * context) end = changed[++h]!;
    end = Math.min(ops.length - 1, end + context);
    h++;
    let aCount = 0;
    let bCount = 0;
    const body: string[] = [];
    for (let i = start; i <= end; i++) {
      const o = ops[i]!;
      if (o.kind !== '+') aCount++;
      if (o.kind !== '-') bCount++;
      body.push(`${o.kind}${o.text}`);
      if (o.noEol) body.push('\\ No newline at end of file');
    }
    const aStart = pos[start]!.a;
    const bStart = pos[start]!.b;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`, ...body);
    start = end + 1;
  }
  return out.join('\n') + '\n';
}
