// CommandContext carries what a command may touch of the process, so commands run in tests without one.
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdinIsTTY: boolean;
  /** Set by a command: the process exit code (0 clean, 1 error findings, 2 usage/config/internal). */
  exitCode: number;
}

/** UsageError is a known problem with the command line or configuration: printed without a stack, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
