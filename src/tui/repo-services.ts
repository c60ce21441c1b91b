// The review's services over a real repository: details from the loaded files, fixes through the
// fix planner, suppressions written atomically. The repository is reloaded after each write, so
// every plan is computed from what is on disk now and a file changed meanwhile is refused.
import * as nodePath from 'node:path';
import type { CheckResult, Finding, ModuleInfo, Repository } from '../engine/types.ts';
import { planDiff, planFixes } from '../fix/plan.ts';
import { applyPatches } from '../fix/apply.ts';
import { formatFollowUp } from '../fix/followup.ts';
import { ConflictError, ReadOnlyError, writeFileAtomic } from '../io/atomic.ts';
import { shortestPath, formatChain } from '../graph/why.ts';
import { addSuppression } from './ignore-edit.ts';
import type { ActionOutcome, ExcerptLine, FindingDetail, FixProposal, LoadProgress, ReviewData, ReviewServices } from './types.ts';

/** Loaded is one load of the repository with its check. */
export interface Loaded {
  repo: Repository;
  result: CheckResult;
}

export type Loader = (onProgress: (p: LoadProgress) => void) => Promise<Loaded>;

const EXCERPT_CONTEXT = 3;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./@=:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** excerptOf returns the lines around `line` of `text`, the line itself marked. */
export function excerptOf(text: string, line: number, context = EXCERPT_CONTEXT): ExcerptLine[] {
  if (line < 1) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: ExcerptLine[] = [];
  for (let l = Math.max(1, line - context); l <= Math.min(lines.length, line + context); l++) {
    out.push({ line: l, text: lines[l - 1]!.replace(/\r$/, ''), isTarget: l === line });
  }
  return out;
}

export interface RepositoryServices extends ReviewServices {
  /** The repository of the latest load (undefined before the first). */
  current(): Repository | undefined;
}

/** createRepositoryServices serves the review from `load`, which reads and checks the repository. */
export function createRepositoryServices(load: Loader): RepositoryServices {
  let repo: Repository | undefined;
  let byFile = new Map<string, ModuleInfo>();

  const need = (): Repository => {
    if (!repo) throw new Error('the repository is not loaded yet');
    return repo;
  };

  const textOf = (file: string): string | undefined => {
    const r = need();
    const m = byFile.get(file);
    if (m) return m.text;
    if (r.anchors && r.anchors.file === file) return r.anchors.text;
    const w = r.workFiles.find((x) => x.file === file);
    if (w) return w.text;
    const ws = r.workFiles.find((x) => x.sum?.file === file);
    if (ws) return ws.sumText;
    const s = r.modules.find((x) => x.sum && x.sum.file === file);
    return s?.sumText;
  };

  const whyOf = (f: Finding): string | undefined => {
    if (typeof f.data.chain === 'string' && f.data.chain !== '') return f.data.chain;
    if (f.rule !== 'anchor-drift' || !f.dependency) return undefined;
    const graph = byFile.get(f.file)?.graph;
    if (!graph) return undefined;
    const chain = shortestPath(graph, f.dependency, typeof f.data.selected === 'string' ? f.data.selected : undefined);
    return chain ? formatChain(chain) : undefined;
  };

  return {
    current: () => repo,

    async load(onProgress): Promise<ReviewData> {
      const loaded = await load(onProgress);
      repo = loaded.repo;
      byFile = new Map(loaded.repo.modules.map((m) => [m.goModFile, m]));
      return {
        repository: loaded.repo.root,
        moduleCount: loaded.repo.modules.length,
        findings: loaded.result.findings,
        notices: loaded.result.notices,
      };
    },

    describe(f): FindingDetail {
      const r = need();
      const text = textOf(f.file);
      const detail: FindingDetail = { excerpt: text === undefined ? [] : excerptOf(text, f.line), fix: [], commands: [] };
      const anchor = f.dependency ? r.anchors?.anchors.get(f.dependency) : undefined;
      if (anchor && r.anchors) {
        detail.anchor = `${r.anchors.file}:${anchor.line}  ${anchor.path} ${anchor.version}${anchor.comment ? `  // ${anchor.comment}` : ''}`;
      }
      const why = whyOf(f);
      if (why) detail.why = why;
      const plan = planFixes(r, [f], { rules: [f.rule] });
      const patch = plan.patches[0];
      if (patch) {
        detail.fix = patch.descriptions;
        detail.commands.push(`modguard fix --rule ${f.rule} --module ${shellWord(dirOf(f.file))}`);
        const pin = typeof f.data.pin === 'string' ? f.data.pin : anchor?.version;
        if (f.rule === 'anchor-mismatch' && pin && f.dependency) {
          const edit = `go mod edit -require=${f.dependency}@${pin}`;
          detail.commands.push(dirOf(f.file) === '.' ? edit : `(cd ${shellWord(dirOf(f.file))} && ${edit})`);
        }
        for (const c of plan.followUp) detail.commands.push(formatFollowUp(c));
      } else if (plan.skipped[0]) {
        detail.fix = [`no automatic fix: ${plan.skipped[0].reason}`];
      } else {
        detail.fix = ['nothing to change: the file already has what the fix would write'];
      }
      return detail;
    },

    planFix(findings, title): FixProposal {
      const rules = [...new Set(findings.map((f) => f.rule))];
      const plan = planFixes(need(), findings, { rules });
      return {
        title, patches: plan.patches, diff: planDiff(plan), skipped: plan.skipped,
        followUp: [...new Set(plan.followUp.map(formatFollowUp))],
      };
    },

    async applyFix(proposal): Promise<ActionOutcome> {
      const r = need();
      const result = await applyPatches(r.root, proposal.patches);
      const written = new Set(result.written);
      const resolved = proposal.patches.filter((p) => written.has(p.file)).flatMap((p) => p.findings);
      const parts: string[] = [];
      if (result.written.length > 0) parts.push(`Fixed ${plural(resolved.length, 'finding')} in ${result.written.join(', ')}.`);
      for (const c of result.conflicts) parts.push(`${c.file} ${c.reason}.`);
      if (result.written.length > 0 && proposal.followUp.length > 0) parts.push(`Then: ${proposal.followUp.join('; ')}`);
      return { ok: result.conflicts.length === 0, message: parts.join(' '), resolved };
    },

    async addIgnore(f, reason): Promise<ActionOutcome> {
      const r = need();
      // go.mod files, and go.work files for their own findings.
      const module: { text: string } | undefined = byFile.get(f.file) ?? repo?.workFiles.find((w) => w.file === f.file);
      if (!module) {
        return { ok: false, message: `Suppressions live in go.mod and go.work files; ${f.file} is not one (see the rule's documentation for its own options).`, resolved: [] };
      }
      let after: string;
      try {
        after = addSuppression(module.text, f.line, f.rule, reason);
      } catch (e) {
        return { ok: false, message: `Cannot add a suppression to ${f.file}:${f.line}: ${(e as Error).message}.`, resolved: [] };
      }
      try {
        await writeFileAtomic(nodePath.resolve(r.root, ...f.file.split('/')), after, { expected: module.text, within: r.root });
      } catch (e) {
        const why = e instanceof ConflictError ? 'it changed since it was read; left alone (the list is reloaded, try again)'
          : e instanceof ReadOnlyError ? 'it is read-only; left alone (make it writable to add the suppression)' : (e as Error).message;
        return { ok: false, message: `${f.file} not written: ${why}.`, resolved: [] };
      }
      return { ok: true, message: `Ignored ${f.rule} at ${f.file}:${f.line} (// modguard:ignore ${f.rule} ${reason}).`, resolved: [f] };
    },
  };
}
