// Synthetic repositories for the review screen: realistic findings in any number, with in-memory
// services, so the screen can be measured at 10,000 findings and tried without a monorepo at hand.
import type { Finding, Severity } from '../engine/types.ts';
import { unifiedDiff } from '../fix/diff.ts';
import type { FilePatch } from '../fix/types.ts';
import { findingKey } from './state/list.ts';
import type { ActionOutcome, FindingDetail, FixProposal, ReviewData, ReviewServices } from './types.ts';
import { mulberry32 as random } from '../util/prng.ts';

const TEAMS = ['payments', 'search', 'ads', 'infra', 'identity', 'media', 'growth', 'risk'];
const NAMES = ['api', 'worker', 'gateway', 'indexer', 'scheduler', 'billing', 'auth', 'ingest', 'feed', 'cache', 'relay', 'store'];
const DEPS: Array<[string, string, string]> = [
  ['golang.org/x/net', 'v0.24.0', 'v0.21.0'],
  ['google.golang.org/grpc', 'v1.64.0', 'v1.60.1'],
  ['github.com/stretchr/testify', 'v1.9.0', 'v1.8.4'],
  ['github.com/bytedance/sonic', 'v1.11.6', 'v1.10.2'],
  ['go.uber.org/zap', 'v1.27.0', 'v1.26.0'],
  ['github.com/prometheus/client_golang', 'v1.19.1', 'v1.18.0'],
  ['golang.org/x/sys', 'v0.20.0', 'v0.19.0'],
  ['google.golang.org/protobuf', 'v1.34.1', 'v1.33.0'],
  ['github.com/redis/go-redis/v9', 'v9.5.1', 'v9.4.0'],
  ['github.com/spf13/cobra', 'v1.8.0', 'v1.7.0'],
];
const RULES: Array<{ rule: string; severity: Severity; weight: number }> = [
  { rule: 'anchor-mismatch', severity: 'error', weight: 40 },
  { rule: 'anchor-drift', severity: 'error', weight: 15 },
  { rule: 'replace-directive', severity: 'error', weight: 5 },
  { rule: 'pseudo-version-conflict', severity: 'error', weight: 4 },
  { rule: 'go-version-drift', severity: 'warning', weight: 12 },
  { rule: 'multiple-majors', severity: 'warning', weight: 6 },
  { rule: 'version-divergence', severity: 'info', weight: 18 },
];


interface DemoModule { dir: string; path: string; text: string; lineOf: Map<string, number> }

function moduleFor(i: number): DemoModule {
  const team = TEAMS[i % TEAMS.length]!;
  const name = `${NAMES[Math.floor(i / TEAMS.length) % NAMES.length]}${i >= TEAMS.length * NAMES.length ? Math.floor(i / (TEAMS.length * NAMES.length)) + 1 : ''}`;
  const dir = `svc/${team}/${name}`;
  const path = `github.com/acme/mono/${dir}`;
  const lines = [`module ${path}`, '', 'go 1.22', '', 'require ('];
  const lineOf = new Map<string, number>();
  for (const [dep, , old] of DEPS) {
    lines.push(`\t${dep} ${old}`);
    lineOf.set(dep, lines.length);
  }
  lines.push(')', '');
  return { dir, path, text: lines.join('\n'), lineOf };
}

/** syntheticFindings returns `n` findings spread over about n/10 modules, like a large monorepo's first run. */
export function syntheticFindings(n: number, seed = 1): Finding[] {
  const rnd = random(seed);
  const total = RULES.reduce((s, r) => s + r.weight, 0);
  const modules = Math.max(1, Math.ceil(n / 10));
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < n; i++) {
    const m = moduleFor(Math.floor(rnd() * modules));
    let pick = rnd() * total;
    const r = RULES.find((x) => (pick -= x.weight) < 0) ?? RULES[0]!;
    const [dep, pin, old] = DEPS[Math.floor(rnd() * DEPS.length)]!;
    const line = r.rule === 'go-version-drift' ? 3 : m.lineOf.get(dep)!;
    const key = `${m.dir}|${r.rule}|${dep}|${i >= n * 4 ? i : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message = r.rule === 'anchor-mismatch' ? `requires ${dep} ${old}, but anchor.lock pins ${pin}`
      : r.rule === 'anchor-drift' ? `selects ${dep} ${old} through its dependencies, but anchor.lock pins ${pin}`
        : r.rule === 'replace-directive' ? `replace of ${dep} is not allowed by anchor.lock (add allow-replace ${dep} or drop the replace)`
          : r.rule === 'pseudo-version-conflict' ? `requires ${dep} at a pseudo-version naming a different commit than 3 other modules`
            : r.rule === 'go-version-drift' ? 'go 1.22 differs from the anchor.lock go line 1.23'
              : r.rule === 'multiple-majors' ? `${dep} is used at 2 major versions across the repository`
                : `${dep} is required at 3 versions across the repository (suggested anchor ${pin})`;
    out.push({
      rule: r.rule, severity: r.severity, file: `${m.dir}/go.mod`, line, column: r.rule === 'go-version-drift' ? 1 : 2,
      messageId: r.rule, message, module: m.path, dependency: r.rule === 'go-version-drift' ? '' : dep,
      data: { pin, actual: old },
    });
  }
  return out;
}

/**
 * demoServices serves synthetic findings from memory: fixes and suppressions change the in-memory
 * go.mod texts and drop the findings they resolve, as the real services do on disk.
 */
export function demoServices(n: number, opts: { seed?: number; loadDelayMs?: number } = {}): ReviewServices & { texts: Map<string, string> } {
  let findings = syntheticFindings(n, opts.seed);
  const texts = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (let k = 0; k < Math.max(1, Math.ceil(n / 10)); k++) {
    const m = moduleFor(k);
    dirs.set(`${m.dir}/go.mod`, m.text);
  }
  const textOf = (file: string): string => texts.get(file) ?? dirs.get(file) ?? '';
  const patchFor = (f: Finding): FilePatch | undefined => {
    if (f.rule !== 'anchor-mismatch') return undefined;
    const before = textOf(f.file);
    const lines = before.split('\n');
    const pin = String(f.data.pin);
    lines[f.line - 1] = lines[f.line - 1]!.replace(/ v\S+$/, ` ${pin}`);
    const after = lines.join('\n');
    return { file: f.file, before, after, edits: 1, descriptions: [`require ${f.dependency} ${String(f.data.actual)} -> ${pin}`], findings: [f] };
  };
  const remove = (done: Finding[]) => {
    const gone = new Set(done.map(findingKey));
    findings = findings.filter((f) => !gone.has(findingKey(f)));
  };
  return {
    texts,
    async load(onProgress) {
      const modules = new Set(findings.map((f) => f.file)).size;
      if (opts.loadDelayMs) {
        for (let i = 1; i <= 4; i++) {
          onProgress({ phase: 'parsing go.mod files', modulesParsed: Math.round((modules * i) / 4), modulesTotal: modules });
          await new Promise((r) => setTimeout(r, opts.loadDelayMs! / 4));
        }
      }
      const data: ReviewData = { repository: '/src/acme/mono (synthetic)', moduleCount: modules, findings: [...findings], notices: [] };
      return data;
    },
    describe(f): FindingDetail {
      const lines = textOf(f.file).split('\n');
      const excerpt = [];
      for (let l = Math.max(1, f.line - 3); l <= Math.min(lines.length, f.line + 3); l++) excerpt.push({ line: l, text: lines[l - 1]!, isTarget: l === f.line });
      const patch = patchFor(f);
      const dir = f.file.replace(/\/go\.mod$/, '');
      return {
        excerpt,
        anchor: f.dependency ? `anchor.lock:${3 + DEPS.findIndex((d) => d[0] === f.dependency)}  anchor ${f.dependency} ${String(f.data.pin)}` : undefined,
        why: f.rule === 'anchor-drift' ? `${f.module} -> github.com/acme/kit@v1.4.0 requires ${f.dependency}@${String(f.data.actual)}` : undefined,
        fix: patch ? patch.descriptions : [`${f.rule} has no automatic fix`],
        commands: patch ? [`modguard fix --rule ${f.rule} --module ${dir}`, `go mod edit -require=${f.dependency}@${String(f.data.pin)}`] : [],
      };
    },
    planFix(selected, title): FixProposal {
      const byFile = new Map<string, FilePatch>();
      const skipped: FixProposal['skipped'] = [];
      for (const f of selected) {
        const p = patchFor(f);
        if (!p) { skipped.push({ finding: f, reason: `${f.rule} has no automatic fix` }); continue; }
        const prev = byFile.get(f.file);
        if (!prev) { byFile.set(f.file, p); continue; }
        const lines = prev.after.split('\n');
        lines[f.line - 1] = lines[f.line - 1]!.replace(/ v\S+$/, ` ${String(f.data.pin)}`);
        byFile.set(f.file, { ...prev, after: lines.join('\n'), edits: prev.edits + 1, descriptions: [...prev.descriptions, ...p.descriptions], findings: [...prev.findings, f] });
      }
      const patches = [...byFile.values()];
      return {
        title, patches, skipped, diff: patches.map((p) => unifiedDiff(p.file, p.before, p.after)).join(''),
        followUp: patches.map((p) => `(cd ${p.file.replace(/\/go\.mod$/, '')} && go mod tidy)`),
      };
    },
    async applyFix(proposal): Promise<ActionOutcome> {
      const resolved: Finding[] = [];
      for (const p of proposal.patches) {
        if (textOf(p.file) !== p.before) continue;
        texts.set(p.file, p.after);
        resolved.push(...p.findings);
      }
      remove(resolved);
      return { ok: true, message: `Fixed ${resolved.length} finding${resolved.length === 1 ? '' : 's'} in ${proposal.patches.length} file${proposal.patches.length === 1 ? '' : 's'}.`, resolved };
    },
    async addIgnore(f, reason): Promise<ActionOutcome> {
      const lines = textOf(f.file).split('\n');
      lines[f.line - 1] += ` // modguard:ignore ${f.rule} ${reason}`;
      texts.set(f.file, lines.join('\n'));
      remove([f]);
      return { ok: true, message: `Ignored ${f.rule} at ${f.file}:${f.line}.`, resolved: [f] };
    },
  };
}
