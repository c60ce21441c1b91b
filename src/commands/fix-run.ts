// The body of `modguard fix`, imported only when the command runs.
import { UsageError, type CommandContext } from './context.ts';
import { loadRepository } from '../engine/load.ts';
import { check } from '../engine/run.ts';
import { FIXABLE_RULES, planDiff, planFixes } from '../fix/plan.ts';
import { applyPatches } from '../fix/apply.ts';
import { formatFollowUp, formatGraphCapture, runFollowUps } from '../fix/followup.ts';
import type { Repository } from '../engine/types.ts';
import { dirOf } from '../engine/assemble.ts';
import type { FixPlan } from '../fix/types.ts';
import { toLoadOptions } from './load-options.ts';

export interface FixOptions {
  rules: string[];
  modules: string[];
  dryRun: boolean;
  tidy: boolean;
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  /** Called between planning and writing (programmatic use: show the plan, ask, or test a race). */
  beforeApply?: (plan: FixPlan) => Promise<void>;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** leftLines says, per finding, what fix left and why; rules without a fix are only counted. */
function leftLines(plan: FixPlan): string[] {
  const lines: string[] = [];
  const unfixable = new Map<string, number>();
  for (const { finding, reason } of plan.skipped) {
    if (!(FIXABLE_RULES as readonly string[]).includes(finding.rule)) {
      unfixable.set(finding.rule, (unfixable.get(finding.rule) ?? 0) + 1);
      continue;
    }
    lines.push(`  ${finding.file}:${finding.line}:${finding.column}: ${finding.rule}${finding.dependency ? ` ${finding.dependency}` : ''}: ${reason}`);
  }
  if (unfixable.size) {
    const list = [...unfixable].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, n]) => `${rule} ${n}`).join(', ');
    lines.push(`  findings of rules without an automatic fix (see modguard check): ${list}`);
  }
  return lines;
}

export async function runFix(opts: FixOptions, ctx: CommandContext): Promise<number> {
  for (const rule of opts.rules) {
    if (!(FIXABLE_RULES as readonly string[]).includes(rule)) {
      throw new UsageError(`--rule ${rule}: modguard fix can fix ${FIXABLE_RULES.join(', ')}`);
    }
  }
  const repo = await loadRepository(toLoadOptions(opts, ctx));
  if (opts.modules.length) {
    const known = new Set(repo.modules.flatMap((m) => [m.dir, m.modulePath]));
    for (const m of opts.modules) {
      const dir = m.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
      if (!known.has(dir)) throw new UsageError(`--module ${m}: no go.mod in that directory of ${repo.root} (give a directory relative to the root)`);
    }
  }
  const result = check(repo);
  for (const notice of result.notices) ctx.stderr.write(`modguard fix: ${notice}\n`);
  const plan = planFixes(repo, result.findings, {
    ...(opts.rules.length ? { rules: opts.rules } : {}),
    ...(opts.modules.length ? { modules: opts.modules } : {}),
  });
  const edits = plan.patches.reduce((n, p) => n + p.edits, 0);
  const out = (s: string): void => { ctx.stdout.write(s); };

  if (opts.dryRun) {
    out(planDiff(plan));
    out(`${plural(plan.patches.length, 'file')} would change (${plural(edits, 'edit')}); nothing was written (--dry-run)\n`);
    const left = leftLines(plan);
    if (left.length) out(`left:\n${left.join('\n')}\n`);
    if (plan.followUp.length) out(`then run:\n${plan.followUp.map((f) => `  ${formatFollowUp(f)}`).join('\n')}\n`);
    recaptureGraphs(repo, new Set(plan.patches.map((p) => dirOf(p.file))), out);
    return 0;
  }

  if (opts.beforeApply) await opts.beforeApply(plan);
  const applied = await applyPatches(repo.root, plan.patches);
  const written = new Set(applied.written);
  for (const patch of plan.patches) {
    if (!written.has(patch.file)) continue;
    out(`fixed ${patch.file}:\n${patch.descriptions.map((d) => `  ${d}`).join('\n')}\n`);
  }
  const writtenEdits = plan.patches.filter((p) => written.has(p.file)).reduce((n, p) => n + p.edits, 0);
  out(`${plural(applied.written.length, 'file')} changed, ${plural(writtenEdits, 'edit')} made\n`);
  for (const c of applied.conflicts) ctx.stderr.write(`modguard fix: ${c.file}: ${c.reason}\n`);
  const left = leftLines(plan);
  if (left.length) out(`left:\n${left.join('\n')}\n`);

  const dirsWritten = new Set(plan.patches.filter((p) => written.has(p.file)).map((p) => dirOf(p.file)));
  const followUp = plan.followUp.filter((f) => dirsWritten.has(f.dir));
  let failed = applied.conflicts.length > 0;
  if (followUp.length) {
    if (!opts.tidy) {
      out(`go.sum needs the module proxy; run:\n${followUp.map((f) => `  ${formatFollowUp(f)}`).join('\n')}\n`);
    } else {
      const results = await runFollowUps(repo.root, followUp, { env: ctx.env });
      for (const r of results) {
        if (r.ok) out(`ran ${formatFollowUp(r)}\n`);
        else {
          failed = true;
          ctx.stderr.write(`modguard fix: ${formatFollowUp(r)} failed:\n${r.output.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
        }
      }
    }
  }
  recaptureGraphs(repo, dirsWritten, out);
  return failed ? 1 : 0;
}

/**
 * recaptureGraphs lists the graph files (`--graph-file`) of the modules whose go.mod the fix changes:
 * they are of the go.mod before it, and stale-graph reports them until they are captured again.
 */
function recaptureGraphs(repo: Repository, dirs: ReadonlySet<string>, out: (s: string) => void): void {
  const graphFile = repo.sources?.graphFile;
  if (graphFile === undefined) return;
  const stale = repo.modules.filter((m) => m.graph && dirs.has(m.dir));
  if (stale.length === 0) return;
  out(`then capture the module graph again (stale-graph reports it until then):\n${stale.map((m) => `  ${formatGraphCapture(m.dir, graphFile)}`).join('\n')}\n`);
}
