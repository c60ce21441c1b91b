// The go commands that finish a fix: go.sum cannot be completed without the module proxy, so
// modguard prints them and, with --tidy, runs them (argument arrays only; never through a shell).
import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as nodePath from 'node:path';
import type { FixPlan } from './types.ts';

export type FollowUp = FixPlan['followUp'][number];

export interface FollowUpResult {
  dir: string;
  argv: string[];
  ok: boolean;
  /** Combined stderr/stdout of a failed command (trimmed), or the reason it did not run. */
  output: string;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@:+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * formatGraphCapture prints the command that captures a module's graph file again, the way a person
 * can paste it into a POSIX shell (a redirection: printed, never run).
 */
export function formatGraphCapture(dir: string, graphFile: string): string {
  const cmd = `go mod graph > ${shellQuote(graphFile)}`;
  return dir === '.' ? cmd : `(cd ${shellQuote(dir)} && ${cmd})`;
}

/** formatFollowUp prints a command the way a person can paste it into a POSIX shell. */
export function formatFollowUp(f: FollowUp): string {
  const cmd = f.argv.map(shellQuote).join(' ');
  return f.dir === '.' ? cmd : `(cd ${shellQuote(f.dir)} && ${cmd})`;
}

/** lookPath finds an executable on PATH as the shell would, or undefined. */
export async function lookPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dirs = (env.PATH ?? '').split(nodePath.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = nodePath.join(dir, name);
    try {
      const st = await fs.stat(candidate);
      if (!st.isFile()) continue;
      await fs.access(candidate, fsConstants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return undefined;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const output = `${stderr}${stdout}`.trim();
      if (err) resolve({ ok: false, output: output || err.message });
      else resolve({ ok: true, output });
    });
  });
}

/**
 * runFollowUps runs the commands of each module directory in order (stopping that module at its
 * first failure) with at most `concurrency` modules at a time. `go` is resolved on PATH once.
 */
export async function runFollowUps(root: string, followUp: FollowUp[], opts: { env: NodeJS.ProcessEnv; concurrency?: number }): Promise<FollowUpResult[]> {
  const byDir = new Map<string, string[][]>();
  for (const f of followUp) {
    const list = byDir.get(f.dir) ?? [];
    if (!list.some((a) => a.join('\0') === f.argv.join('\0'))) list.push(f.argv);
    byDir.set(f.dir, list);
  }
  const results = new Map<string, FollowUpResult[]>();
  const resolved = new Map<string, string | undefined>();
  const dirs = [...byDir.keys()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < dirs.length) {
      const dir = dirs[next++]!;
      const out: FollowUpResult[] = [];
      results.set(dir, out);
      for (const argv of byDir.get(dir)!) {
        const name = argv[0]!;
        if (!resolved.has(name)) resolved.set(name, await lookPath(name, opts.env));
        const file = resolved.get(name);
        if (!file) {
          out.push({ dir, argv, ok: false, output: `${name} is not on PATH` });
          break;
        }
        const r = await run(file, argv.slice(1), nodePath.resolve(root, ...dir.split('/')), opts.env);
        out.push({ dir, argv, ...r });
        if (!r.ok) break;
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, dirs.length));
  await Promise.all(Array.from({ length: n }, worker));
  return dirs.flatMap((d) => results.get(d) ?? []);
}
