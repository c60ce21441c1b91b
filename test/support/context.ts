import type { CommandContext } from '../../src/commands/context.ts';

/** fakeContext is a CommandContext that records what a command writes. */
export function fakeContext(cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): CommandContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd, env, stdinIsTTY: false, exitCode: 0,
    stdout: { write: (s: string) => { out += s; return true; } },
    stderr: { write: (s: string) => { err += s; return true; } },
    out: () => out, err: () => err,
  };
}
