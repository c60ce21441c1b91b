// Planning fixes: from findings and the repository's typed models to new file contents. Planning
// is pure (no file system), so `--dry-run`, the review screen and the real write share one plan.
import type { Finding, ModuleInfo, Repository } from '../engine/types.ts';
import type { ModFile } from '../gomod/types.ts';
import {
  applyTextEdits, editAddRequire, editDropReplace, editSetGo, editSetRequire, editSetToolchain, parseModFile,
} from '../gomod/index.ts';
import type { TextEdit } from '../gomod/index.ts';
import { selectVersions } from '../graph/select.ts';
import { explainSelected } from '../graph/why.ts';
import { compareVersions, isValidVersion, sameVersion } from '../version/index.ts';
import type { FilePatch, FixPlan } from './types.ts';
import { unifiedDiff } from './diff.ts';

export { unifiedDiff };

/** FIXABLE_RULES are the rules `modguard fix` can fix; `replace-directive` only when named. */
export const FIXABLE_RULES = ['anchor-mismatch', 'anchor-drift', 'go-version-drift', 'replace-directive'] as const;
const ONLY_WHEN_SELECTED = new Set(['replace-directive']);

export interface PlanOptions {
  /** Only these rule ids (a rule in ONLY_WHEN_SELECTED is fixed only when listed here). */
  rules?: string[];
  /** Only modules in these directories (relative to the root, POSIX) or with these module paths. */
  modules?: string[];
}

type Outcome =
  | { kind: 'edit'; key: string; edits: TextEdit[]; description: string; followUp?: string[] }
  | { kind: 'skip'; reason: string }
  | { kind: 'none' };

function normalizeDir(dir: string): string {
  const d = dir.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  return d === '' ? '.' : d;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** pinOf returns the anchored version for a finding's dependency. */
function pinOf(repo: Repository, finding: Finding): string | undefined {
  return repo.anchors?.anchors.get(finding.dependency)?.version ?? str(finding.data.pin) ?? str(finding.data.expected);
}

/**
 * requireBlocker says why a go.mod cannot simply require dep at pin instead of the versions it
 * requires now: its own exclude of the pin (the go command drops a requirement of an excluded
 * version, so the edit would change nothing but the text), or a replace of a version it requires
 * now, which would stop applying (the module would quietly build dep itself instead of the
 * replacement). Undefined when neither.
 */
function requireBlocker(module: ModuleInfo, mod: ModFile, dep: string, pin: string): string | undefined {
  const excluded = mod.exclude.find((x) => x.mod.path === dep && sameVersion(x.mod.version, pin));
  if (excluded) {
    return `${module.goModFile}:${excluded.syntax.start.line} excludes ${dep} ${pin}, the pinned version, and the go command drops a requirement of it; ` +
      'remove the exclude, or move the anchor';
  }
  const current = mod.require.filter((r) => r.mod.path === dep).map((r) => r.mod.version);
  const replaced = mod.replace.find((r) => r.old.path === dep && r.old.version !== '' && !sameVersion(r.old.version, pin) && current.some((v) => sameVersion(v, r.old.version)));
  if (replaced) {
    const target = replaced.new.version ? `${replaced.new.path} ${replaced.new.version}` : replaced.new.path;
    return `${module.goModFile}:${replaced.syntax.start.line} replaces ${dep} ${replaced.old.version} => ${target}, which would no longer apply at ${pin} ` +
      `(the module would build ${dep} ${pin} itself); move that replace to ${pin} with the requirement, or drop it`;
  }
  return undefined;
}

function fixAnchorMismatch(repo: Repository, module: ModuleInfo, mod: ModFile, finding: Finding): Outcome {
  const dep = finding.dependency;
  const pin = pinOf(repo, finding);
  if (!pin || !isValidVersion(pin)) return { kind: 'skip', reason: `no valid anchor for ${dep} in anchor.lock` };
  const reqs = mod.require.filter((r) => r.mod.path === dep);
  if (reqs.length === 0) return { kind: 'skip', reason: `${module.goModFile} no longer requires ${dep}` };
  if (reqs.every((r) => r.mod.version === pin) && reqs.length === 1) return { kind: 'none' };
  const blocked = requireBlocker(module, mod, dep, pin);
  if (blocked) return { kind: 'skip', reason: blocked };
  const from = reqs.map((r) => r.mod.version).join(', ');
  // Lowering a requirement alone does not lower the build when a dependency requires more: `go mod
  // tidy` would raise it again. `go get dep@pin` downgrades what needs more, so it comes first.
  const downgrade = reqs.some((r) => isValidVersion(r.mod.version) && compareVersions(r.mod.version, pin) > 0);
  return {
    kind: 'edit', key: `require:${dep}`, edits: editSetRequire(mod, dep, pin),
    description: `require ${dep} ${from} -> ${pin}${downgrade ? ' (a downgrade)' : ''}`,
    ...(downgrade ? { followUp: ['go', 'get', `${dep}@${pin}`] } : {}),
  };
}

function fixAnchorDrift(repo: Repository, module: ModuleInfo, mod: ModFile, finding: Finding): Outcome {
  const dep = finding.dependency;
  const pin = pinOf(repo, finding);
  if (!pin || !isValidVersion(pin)) return { kind: 'skip', reason: `no valid anchor for ${dep} in anchor.lock` };
  let selected = str(finding.data.selected) ?? str(finding.data.actual);
  const graph = module.graph;
  if (!selected && graph) selected = selectVersions(graph).get(dep);
  if (!selected) return { kind: 'skip', reason: `the version ${module.dir} selects for ${dep} is unknown (give --graph-file or --go)` };
  if (selected === pin) return { kind: 'none' };
  const replacedBy = str(finding.data.replacedBy);
  if (replacedBy) {
    return { kind: 'skip', reason: `a replace directive makes ${module.dir} build ${dep} as ${replacedBy}; change or drop that replace` };
  }
  if (isValidVersion(selected) && compareVersions(selected, pin) > 0) {
    // Minimal version selection takes the highest requirement: a higher requirement of ours cannot lower it.
    const why = str(finding.data.chain) ?? (graph ? explainSelected(graph, dep, selected)?.text : undefined);
    return {
      kind: 'skip',
      reason: `${module.dir} selects ${dep}@${selected}, above the pin ${pin}` +
        (why ? ` because of ${why}` : ' because another dependency requires it') +
        '; raising a requirement cannot lower it: downgrade that dependency, or move the anchor to ' + selected,
    };
  }
  const blocked = requireBlocker(module, mod, dep, pin);
  if (blocked) return { kind: 'skip', reason: blocked };
  const reqs = mod.require.filter((r) => r.mod.path === dep);
  if (reqs.length > 0) {
    return {
      kind: 'edit', key: `require:${dep}`, edits: editSetRequire(mod, dep, pin),
      description: `require ${dep} ${reqs[0]!.mod.version} -> ${pin} (selected ${selected})`,
      followUp: ['go', 'get', `${dep}@${pin}`],
    };
  }
  return {
    kind: 'edit', key: `require:${dep}`, edits: editAddRequire(mod, dep, pin, true),
    description: `require ${dep} ${pin} // indirect (added; selected ${selected})`,
    followUp: ['go', 'get', `${dep}@${pin}`],
  };
}

function fixGoVersionDrift(repo: Repository, mod: ModFile, finding: Finding): Outcome {
  const isToolchain = finding.messageId.startsWith('toolchain');
  const expected = str(finding.data.expected) ?? (isToolchain ? repo.anchors?.toolchain?.name : repo.anchors?.go?.version);
  if (!expected) return { kind: 'skip', reason: 'no expected go version in the finding' };
  if (isToolchain) {
    if (mod.toolchain?.name === expected) return { kind: 'none' };
    return { kind: 'edit', key: 'toolchain', edits: editSetToolchain(mod, expected), description: `toolchain ${mod.toolchain?.name ?? '(none)'} -> ${expected}` };
  }
  if (mod.go?.version === expected) return { kind: 'none' };
  return { kind: 'edit', key: 'go', edits: editSetGo(mod, expected), description: `go ${mod.go?.version ?? '(none)'} -> ${expected}` };
}

function fixReplaceDirective(mod: ModFile, finding: Finding): Outcome {
  const candidates = mod.replace.filter((r) => r.old.path === finding.dependency);
  const onLine = candidates.filter((r) => r.syntax.start.line === finding.line);
  const target = onLine[0] ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!target) {
    return candidates.length === 0
      ? { kind: 'skip', reason: `no replace of ${finding.dependency} left in ${finding.file}` }
      : { kind: 'skip', reason: `several replaces of ${finding.dependency}; the finding's line ${finding.line} names none of them` };
  }
  const old = target.old.version ? `${target.old.path} ${target.old.version}` : target.old.path;
  const neu = target.new.version ? `${target.new.path} ${target.new.version}` : target.new.path;
  return {
    kind: 'edit', key: `replace:${target.old.path}@${target.old.version}`,
    edits: editDropReplace(mod, target.old.path, target.old.version),
    description: `drop replace ${old} => ${neu}`,
  };
}

/** outcomeOf is what fixing one finding of a module takes, from a parse of its go.mod. */
function outcomeOf(repo: Repository, module: ModuleInfo, mod: ModFile, finding: Finding): Outcome {
  try {
    switch (finding.rule) {
      case 'anchor-mismatch': return fixAnchorMismatch(repo, module, mod, finding);
      case 'anchor-drift': return fixAnchorDrift(repo, module, mod, finding);
      case 'go-version-drift': return fixGoVersionDrift(repo, mod, finding);
      default: return fixReplaceDirective(mod, finding);
    }
  } catch (e) {
    return { kind: 'skip', reason: `cannot edit ${module.goModFile}: ${(e as Error).message}` };
  }
}

/**
 * stepwise makes the edits of `steps` one after the other, each from a parse of the text the ones
 * before left. Those that cannot be made are in `failed`, with the reason.
 */
function stepwise(repo: Repository, module: ModuleInfo, steps: readonly Finding[]): { text: string; descriptions: string[]; failed: Map<Finding, string> } {
  let text = module.text;
  const descriptions: string[] = [];
  const failed = new Map<Finding, string>();
  for (const finding of steps) {
    // The text as read has its parse already.
    const parsed = text === module.text && module.mod ? { ok: true as const, value: module.mod } : parseModFile(text, module.goModFile);
    if (!parsed.ok) {
      failed.set(finding, `${module.goModFile} does not parse after the edits before this one`);
      continue;
    }
    const outcome = outcomeOf(repo, module, parsed.value, finding);
    if (outcome.kind === 'skip') failed.set(finding, outcome.reason);
    if (outcome.kind !== 'edit') continue;
    try {
      text = applyTextEdits(text, outcome.edits);
      descriptions.push(outcome.description);
    } catch (e) {
      failed.set(finding, `cannot edit ${module.goModFile}: ${(e as Error).message}`);
    }
  }
  return { text, descriptions, failed };
}

/**
 * planFixes turns findings into file patches. Every patch is computed from the text that was read
 * (`ModuleInfo.text`) and changes only the tokens its edits target; a finding that cannot be fixed
 * is listed in `skipped` with the reason. `followUp` lists, per changed module, the go commands
 * that complete go.sum (`go get path@version` for added/raised requirements, then `go mod tidy`).
 */
export function planFixes(repo: Repository, findings: Finding[], opts: PlanOptions = {}): FixPlan {
  const ruleFilter = opts.rules?.length ? new Set(opts.rules) : undefined;
  const moduleFilter = opts.modules?.length ? new Set(opts.modules.map(normalizeDir)) : undefined;
  const byFile = new Map<string, ModuleInfo>();
  for (const m of repo.modules) byFile.set(m.goModFile, m);

  const plan: FixPlan = { patches: [], skipped: [], followUp: [] };
  interface Pending {
    module: ModuleInfo; findings: Finding[]; followUp: Array<{ key: string; argv: string[] }>;
    /** The first finding of each edit, by its key, in order: the edits are made one after the other. */
    steps: Map<string, Finding>;
    /** The key of each finding's edit. */
    keyOf: Map<Finding, string>;
  }
  const pending = new Map<string, Pending>();

  for (const finding of findings) {
    if (ruleFilter && !ruleFilter.has(finding.rule)) continue;
    const module = byFile.get(finding.file);
    if (moduleFilter) {
      const dir = module?.dir ?? normalizeDir(finding.file.replace(/\/?[^/]*$/, ''));
      if (!moduleFilter.has(dir) && !moduleFilter.has(finding.module)) continue;
    }
    if (!(FIXABLE_RULES as readonly string[]).includes(finding.rule)) {
      plan.skipped.push({ finding, reason: `${finding.rule} has no automatic fix` });
      continue;
    }
    if (ONLY_WHEN_SELECTED.has(finding.rule) && !ruleFilter?.has(finding.rule)) {
      plan.skipped.push({ finding, reason: `dropping a replace is a judgement call: run with --rule ${finding.rule} to do it` });
      continue;
    }
    if (!module && finding.rule === 'go-version-drift' && /(^|\/)go\.work$/.test(finding.file)) {
      const expected = str(finding.data.expected);
      const flag = finding.messageId.startsWith('toolchain') ? '-toolchain' : '-go';
      const dir = normalizeDir(finding.file.replace(/\/?go\.work$/, ''));
      plan.skipped.push({ finding, reason: `go.work files are left to the go command: run go work edit ${flag}=${expected ?? '<version>'}${dir === '.' ? '' : ` in ${dir}`}` });
      continue;
    }
    if (!module) {
      plan.skipped.push({ finding, reason: `${finding.file} is not a go.mod of this repository; edit it by hand` });
      continue;
    }
    if (!module.mod) {
      plan.skipped.push({ finding, reason: `${module.goModFile} does not parse; fix its syntax first` });
      continue;
    }
    const outcome = outcomeOf(repo, module, module.mod, finding);
    if (outcome.kind === 'skip') {
      plan.skipped.push({ finding, reason: outcome.reason });
      continue;
    }
    if (outcome.kind === 'none') continue;
    let p = pending.get(module.goModFile);
    if (!p) {
      p = { module, findings: [], followUp: [], steps: new Map(), keyOf: new Map() };
      pending.set(module.goModFile, p);
    }
    p.findings.push(finding);
    p.keyOf.set(finding, outcome.key);
    // Two findings about one requirement (mismatch and drift) need one edit.
    if (p.steps.has(outcome.key)) continue;
    p.steps.set(outcome.key, finding);
    if (outcome.followUp) p.followUp.push({ key: outcome.key, argv: outcome.followUp });
  }

  for (const p of pending.values()) {
    // The edits are made one after the other, each from the text the ones before left, as x/mod
    // edits statement after statement: edits made from one parse can overlap (two of them rewrite
    // one block, as when each drops a duplicate line of it), and a block two of them leave with
    // one line is collapsed as neither alone would.
    const stepped = stepwise(repo, p.module, [...p.steps.values()]);
    // A step that could not be made leaves every finding of its key unfixed, with its reason.
    const failed = new Map([...stepped.failed].map(([f, reason]) => [p.keyOf.get(f)!, reason]));
    const fixed: Finding[] = [];
    for (const f of p.findings) {
      const reason = failed.get(p.keyOf.get(f)!);
      if (reason === undefined) fixed.push(f);
      else plan.skipped.push({ finding: f, reason });
    }
    if (stepped.text === p.module.text) continue;
    const patch: FilePatch = {
      file: p.module.goModFile, before: p.module.text, after: stepped.text,
      edits: stepped.descriptions.length, descriptions: stepped.descriptions, findings: fixed,
    };
    plan.patches.push(patch);
    for (const { key, argv } of p.followUp) if (!failed.has(key)) plan.followUp.push({ dir: p.module.dir, argv });
    plan.followUp.push({ dir: p.module.dir, argv: ['go', 'mod', 'tidy'] });
  }
  plan.patches.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return plan;
}

/** planDiff renders a whole plan as unified diffs, file by file. */
export function planDiff(plan: FixPlan): string {
  return plan.patches.map((p) => unifiedDiff(p.file, p.before, p.after)).join('');
}
