// The shipped GitHub Actions files: they parse, have the shape Actions requires, never paste inputs
// into scripts, and the composite action's scripts behave (run with bash and a stand-in `npx`).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const actionFile = path.join(repo, '.github/actions/modguard/action.yml');
const exampleFiles = ['modguard-pr.example.yml', 'modguard-nightly.example.yml', 'modguard-sharded.example.yml']
  .map((f) => path.join(repo, '.github/workflows', f));

type Step = { id?: string; name?: string; uses?: string; run?: string; shell?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; if?: string };
type Job = { 'runs-on'?: string; if?: string; steps?: Step[]; needs?: string | string[]; strategy?: { matrix?: Record<string, unknown> } };
type Workflow = { name?: string; on?: unknown; jobs?: Record<string, Job>; env?: Record<string, unknown> };
type Action = { name?: string; description?: string; inputs?: Record<string, { description?: string; default?: string }>; outputs?: Record<string, { value?: string }>; runs?: { using?: string; steps?: Step[] } };

const read = <T>(file: string): T => load(readFileSync(file, 'utf8')) as T;

/** UNSAFE_IN_RUN: expressions that carry text from outside (inputs, event payload, matrix) into a script. */
const UNSAFE_IN_RUN = /\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref|matrix\.|steps\.)/;

function checkSteps(where: string, steps: Step[] | undefined, composite: boolean): void {
  assert.ok(Array.isArray(steps) && steps.length > 0, `${where}: steps`);
  for (const [i, s] of steps!.entries()) {
    const at = `${where} step ${i + 1} (${s.name ?? s.uses ?? s.id})`;
    assert.ok((s.uses === undefined) !== (s.run === undefined), `${at}: exactly one of uses/run`);
    if (s.uses !== undefined) assert.match(s.uses, /^(\.\/|[\w.-]+\/[\w./-]+@[\w.-]+$)/, `${at}: uses names a version`);
    if (s.run !== undefined) {
      assert.doesNotMatch(s.run, UNSAFE_IN_RUN, `${at}: pass values through env, not into the script`);
      if (composite) assert.equal(s.shell, 'bash', `${at}: composite run steps need a shell`);
    }
  }
}

describe('GitHub Actions files', () => {
  it('every workflow and the action are valid YAML', () => {
    const all = [actionFile, ...readdirSync(path.join(repo, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(repo, '.github/workflows', f))];
    for (const f of exampleFiles) assert.ok(all.includes(f), `${f} exists`);
    for (const f of all) assert.equal(typeof read(f), 'object', f);
  });

  for (const file of exampleFiles) {
    it(`${path.basename(file)} has triggers, jobs with runners and steps, and safe scripts`, () => {
      const wf = read<Workflow>(file);
      assert.ok(wf.name && wf.on, 'name and on');
      const jobs = Object.entries(wf.jobs ?? {});
      assert.ok(jobs.length > 0, 'jobs');
      for (const [id, job] of jobs) {
        assert.equal(job['runs-on'], 'ubuntu-latest', `${id}: runs-on`);
        checkSteps(id, job.steps, false);
        for (const need of [job.needs ?? []].flat()) assert.ok(wf.jobs![need], `${id} needs an existing job ${need}`);
      }
    });
  }

  it('the pull-request gate runs the action in PR mode with the history it needs', () => {
    const wf = read<Workflow>(exampleFiles[0]!);
    assert.deepEqual(Object.keys(wf.on as object), ['pull_request', 'push']);
    assert.equal(wf.jobs!.modguard!.if, "github.event_name == 'pull_request'");
    const steps = wf.jobs!.modguard!.steps!;
    assert.equal(steps[0]!.with!['fetch-depth'], 0);
    const action = steps.find((s) => s.uses?.includes('/.github/actions/modguard@'))!;
    assert.equal(action.with!.base, 'origin/${{ github.base_ref }}');
    // A push to the default branch keeps facts and findings under its commit, the key prefix the
    // pull request's cache step restores by its base commit.
    const keep = wf.jobs!.keep!;
    assert.equal(keep.if, "github.event_name == 'push'");
    assert.ok(keep.steps!.some((s) => /MODGUARD_CACHE_DIR=/.test(s.run ?? '')));
    const saved = keep.steps!.find((s) => s.uses?.startsWith('actions/cache@'))!.with!.key as string;
    assert.equal(saved, 'modguard-facts-${{ github.sha }}-${{ github.run_id }}');
    const restored = steps.find((s) => s.uses?.startsWith('actions/cache@'))!.with!['restore-keys'] as string;
    assert.ok(restored.split('\n').includes('modguard-facts-${{ github.event.pull_request.base.sha }}-'));
    assert.ok(!keep.steps!.find((s) => s.uses?.includes('/.github/actions/modguard@'))!.with!.base, 'a full check');
  });

  it('the nightly runs on a schedule and writes the report', () => {
    const wf = read<Workflow>(exampleFiles[1]!);
    assert.ok(Array.isArray((wf.on as { schedule?: unknown[] }).schedule));
    assert.ok(wf.jobs!.report!.steps!.some((s) => /modguard@\S+ report --out /.test(s.run ?? '')));
  });

  it('the sharded workflow runs shards 1..N and merges all of them', () => {
    const wf = read<Workflow>(exampleFiles[2]!);
    const n = Number(wf.env!.SHARDS);
    assert.deepEqual(wf.jobs!.shard!.strategy!.matrix!.shard, Array.from({ length: n }, (_, i) => i + 1));
    const shardRun = wf.jobs!.shard!.steps!.find((s) => s.run?.includes(' check '))!;
    assert.match(shardRun.run!, /check --shard "\$SHARD\/\$SHARDS" --format "json=shard-\$SHARD\.json"/);
    assert.equal(wf.jobs!.merge!.needs, 'shard');
    const mergeRun = wf.jobs!.merge!.steps!.find((s) => s.run?.includes(' merge '))!;
    assert.match(mergeRun.run!, /merge shards\/shard-\*\.json --format github --format sarif=modguard\.sarif/);
    assert.ok(wf.jobs!.merge!.steps!.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
  });

  it('the composite action declares every input it uses and uses every input it declares', () => {
    const action = read<Action>(actionFile);
    assert.equal(action.runs?.using, 'composite');
    checkSteps('action', action.runs!.steps, true);
    const text = readFileSync(actionFile, 'utf8');
    const used = new Set([...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!));
    const declared = new Set(Object.keys(action.inputs ?? {}));
    assert.deepEqual([...used].sort(), [...declared].sort());
    for (const [name, input] of Object.entries(action.inputs!)) assert.ok(input.description, `${name} has a description`);
    assert.ok(action.runs!.steps!.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
  });

  describe('composite action scripts', function () {
    this.timeout(120_000); // bash runs; slow only when the machine is busy
    let dir: string;
    const action = read<Action>(actionFile);
    const step = (id: string) => action.runs!.steps!.find((s) => s.id === id || s.name === id)!;

    before(function () {
      if (!existsSync('/bin/bash')) this.skip();
    });
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-action-'));
      // A stand-in npx: records its arguments one per line, writes the SARIF file it is asked for,
      // and exits with FAKE_EXIT.
      writeFileSync(path.join(dir, 'npx'), [
        '#!/bin/bash',
        'printf "%s\\n" "$@" > "$ARGS_FILE"',
        'for a in "$@"; do case "$a" in sarif=*) echo "{}" > "${a#sarif=}";; esac; done',
        'exit "${FAKE_EXIT:-0}"',
      ].join('\n'));
      chmodSync(path.join(dir, 'npx'), 0o755);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function runCheck(inputs: Record<string, string>, exit: number) {
      const defaults = Object.fromEntries(Object.entries(action.inputs!).map(([k, v]) => [k, v.default ?? '']));
      const all = { ...defaults, ...inputs };
      // The inherited environment matters: without SHLVL, bash can take seconds to start on some hosts.
      const env: Record<string, string | undefined> = {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`, ARGS_FILE: path.join(dir, 'args'), FAKE_EXIT: String(exit), GITHUB_OUTPUT: path.join(dir, 'output'),
      };
      // Expand the step's env the way the runner does: each value is one input, as text.
      for (const [k, v] of Object.entries(step('check').env!)) {
        const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(String(v));
        assert.ok(m, `env ${k} is one input`);
        env[k] = all[m![1]!]!;
      }
      const run = spawnSync('/bin/bash', ['-c', step('check').run!], { cwd: dir, env, encoding: 'utf8' });
      return {
        status: run.status,
        args: existsSync(env.ARGS_FILE!) ? readFileSync(env.ARGS_FILE!, 'utf8').split('\n').slice(0, -1) : [],
        output: readFileSync(env.GITHUB_OUTPUT!, 'utf8'),
      };
    }

    it('builds the modguard command from the inputs, one argument each, whatever they contain', () => {
      const r = runCheck({
        base: 'origin/main; touch pwned', formats: 'github\n  junit=out/j unit.xml', anchors: 'policy/anchor.lock', config: '$(touch pwned)',
        args: '--new-only --graph-file graph.txt', version: '1.2.3',
      }, 1);
      assert.equal(r.status, 0, 'the check step never fails; the verdict step does');
      assert.deepEqual(r.args.slice(0, 2), ['--yes', 'modguard@1.2.3']);
      assert.deepEqual(r.args.slice(2), [
        'check', '--base', 'origin/main; touch pwned', '--anchors', 'policy/anchor.lock', '--config', '$(touch pwned)',
        '--format', 'github', '--format', 'junit=out/j', '--format', 'unit.xml', '--format', 'sarif=modguard.sarif', '--new-only', '--graph-file', 'graph.txt',
      ]);
      assert.equal(existsSync(path.join(dir, 'pwned')), false, 'no input is run as a command');
      assert.equal(r.output, 'exit-code=1\nsarif-file=modguard.sarif\n');
    });

    it('runs a plain check without SARIF and reports the exit code', () => {
      const r = runCheck({ 'upload-sarif': 'false' }, 2);
      assert.deepEqual(r.args, ['--yes', 'modguard@latest', 'check', '--format', 'github']);
      assert.equal(r.output, 'exit-code=2\nsarif-file=\n');
    });

    it('gives the verdict from the exit code and fail-on-findings', () => {
      // All cases in one bash, each in a subshell: spawning is the slow part on a busy machine.
      const cases = [['0', 'true'], ['1', 'true'], ['1', 'false'], ['2', 'false'], ['', 'true']];
      const driver = cases.map(([exit, fail]) => `(MODGUARD_EXIT='${exit}' MODGUARD_FAIL_ON_FINDINGS='${fail}' bash -c "$VERDICT" >/dev/null); echo $?`).join('\n');
      const run = spawnSync('/bin/bash', ['-c', driver], { env: { ...process.env, VERDICT: step('Verdict').run! }, encoding: 'utf8' });
      assert.deepEqual(run.stdout.trim().split('\n'), ['0', '1', '0', '2', '2']);
    });
  });
});
