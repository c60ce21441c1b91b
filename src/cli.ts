// The command line: parses arguments, runs a command, sets the exit code. The only file reading `process`.
import { Command, CommanderError } from '@commander-js/extra-typings';
import { commands } from './commands/index.ts';
import { UsageError, type CommandContext } from './commands/context.ts';
import { withDefaultCommand } from './default-command.ts';

export { withDefaultCommand } from './default-command.ts';

export async function main(rawArgv: string[], ctx: CommandContext): Promise<number> {
  const interactive = ctx.stdinIsTTY && ctx.stdout.isTTY === true;
  const argv = withDefaultCommand(rawArgv, interactive);
  const debug = argv.includes('--debug');
  const program = new Command('modguard')
    .description('Governs Go module dependencies across a monorepo')
    .version('0.1.0')
    .option('--debug', 'print stack traces of internal errors, and timings: loading, the check, each rule, the facts PR mode kept')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => { ctx.stdout.write(s); },
      writeErr: (s) => { ctx.stderr.write(s); },
    });
  for (const register of commands) register(program, ctx);
  // An option naming a file or folder given an empty value (`--root "$UNSET"`) would name the
  // current directory: said as a usage error instead of writing or reading there.
  program.hook('preAction', (_program, action) => {
    for (const option of action.options) {
      if (!/<(dir|file)>/.test(option.flags)) continue;
      const value: unknown = action.getOptionValue(option.attributeName());
      if (value === '' || (Array.isArray(value) && value.includes(''))) {
        throw new UsageError(`${option.long}: needs a ${/<dir>/.test(option.flags) ? 'folder' : 'file'} name; an empty one was given (an unset variable?)`);
      }
    }
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    // A module imported lazily under a test runner may hold its own copy of UsageError: match by name.
    if (err instanceof UsageError || (err instanceof Error && err.name === 'UsageError')) {
      ctx.stderr.write(`modguard: ${err.message}\n`);
      return 2;
    }
    const e = err as Error;
    ctx.stderr.write(`modguard: internal error: ${e?.message ?? String(err)}\n`);
    if (debug && e?.stack) ctx.stderr.write(`${e.stack}\n`);
    else ctx.stderr.write('(run with --debug for the stack trace)\n');
    return 2;
  }
}

/** Whether writing the output failed (a full disk, say): the run then ends with exit code 2. */
let outputFailed = false;

/**
 * guardOutput handles a failed write to stdout or stderr. A reader that stops reading
 * (`modguard check | head`) closes the pipe, and the next write fails with EPIPE: what modguard
 * writes after is dropped, and the command ends with its own exit code. Any other failure (no
 * space left on the device) leaves the output incomplete: one line says so and the exit code is 2.
 * Neither ends with the write's error and a stack trace.
 */
function guardOutput(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    outputFailed = true;
    process.exitCode = 2;
    if (stream !== process.stderr) process.stderr.write(`modguard: cannot write ${name}: ${err.message}\n`);
  });
}

/** runCli runs modguard for this process. */
export async function runCli(): Promise<void> {
  guardOutput(process.stdout, 'the output');
  guardOutput(process.stderr, 'the messages');
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch (err) {
    // The directory the shell is in was removed (node cannot even name it).
    process.stderr.write(`modguard: the current directory cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): it was removed or is not accessible; cd into the repository and run again\n`);
    process.exitCode = 2;
    return;
  }
  const ctx: CommandContext = {
    cwd,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    exitCode: 0,
  };
  const code = await main(process.argv.slice(2), ctx);
  process.exitCode = outputFailed ? 2 : code;
}
