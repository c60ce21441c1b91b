// Which command a command line runs: a module of its own, with no dependency, so that the modguard
// command's start (bin/modguard.js) can tell before it loads the rest which code it needs.

/**
 * withDefaultCommand picks what a bare `modguard [options]` runs: the interactive review in a
 * terminal, `check` everywhere else (CI, pipes), so the same line works in both places.
 */
export function withDefaultCommand(argv: string[], interactive: boolean): string[] {
  // The program's own option (--debug, without a value) may come before the command.
  let at = 0;
  while (argv[at] === '--debug') at++;
  const first = argv[at];
  if (first !== undefined && !first.startsWith('-')) return argv;
  if (argv.some((a) => ['-h', '--help', '-V', '--version'].includes(a))) return argv;
  return [interactive ? 'review' : 'check', ...argv];
}

/** commandOf is the command word of argv (after withDefaultCommand), undefined for `--help` or `--version` alone. */
export function commandOf(argv: readonly string[]): string | undefined {
  let at = 0;
  while (argv[at] === '--debug') at++;
  const first = argv[at];
  return first !== undefined && !first.startsWith('-') ? first : undefined;
}
