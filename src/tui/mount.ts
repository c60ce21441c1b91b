// Mounting the review screen on a terminal, and handing the terminal to an editor and back.
// Ink is imported here, lazily, so nothing on the non-interactive path pays for it.
import { spawnSync } from 'node:child_process';
import * as nodePath from 'node:path';
import type { ReviewState } from './state/review.ts';
import type { ReviewServices } from './types.ts';
import type { ExitRequest } from './components/ReviewApp.tsx';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

export interface ScreenOptions {
  services: ReviewServices;
  /** Absolute repository root (finding files are relative to it), known once loaded. */
  root: () => string;
  env: NodeJS.ProcessEnv;
  /** The terminal; Ink's defaults (the process's own streams) when absent. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Runs the editor and waits for it; spawnSync with the terminal inherited by default. */
  runEditor?: (argv: string[]) => { status: number | null; error?: Error };
}

/** editorCommand builds the editor's argument array: `$VISUAL`/`$EDITOR` (split on spaces, never run by a shell), `+LINE`, the file. */
export function editorCommand(env: NodeJS.ProcessEnv, file: string, line: number): string[] {
  const editor = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/).filter(Boolean);
  return [...editor, `+${Math.max(1, line)}`, file];
}

function defaultRunEditor(argv: string[]): { status: number | null; error?: Error } {
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  return { status: r.status, error: r.error };
}

/**
 * runReviewScreen shows the review until the person quits. Opening an editor unmounts the screen
 * (Ink gives the terminal back: raw mode off, input released), runs the editor, then mounts it
 * again on the same state and reloads, since the file may have changed. Resolves 'failed' when the
 * first load failed (the screen closes at once so the caller reports the error as usual).
 */
export async function runReviewScreen(opts: ScreenOptions): Promise<'quit' | 'failed'> {
  const [{ render }, { createElement }, { ReviewApp }] = await Promise.all([
    import('ink'), import('react'), import('./components/ReviewApp.tsx'),
  ]);
  const write = (s: string) => { (opts.stdout ?? process.stdout).write(s); };
  const runEditor = opts.runEditor ?? defaultRunEditor;
  const stateRef: { current: ReviewState | undefined } = { current: undefined };
  let resume: ReviewState | undefined;
  let note: string | undefined;
  write(ENTER_ALT_SCREEN);
  try {
    for (;;) {
      let request: ExitRequest = { kind: 'quit' };
      const initial = resume && note ? { ...resume, status: { kind: 'error' as const, text: note } } : resume;
      const instance = render(
        createElement(ReviewApp, {
          services: opts.services, initialState: initial, reloadOnMount: resume !== undefined, stateRef, exitOnLoadFailure: true,
          onExit: (r: ExitRequest) => { request = r; },
        }),
        {
          // Ink falls back to the process's streams only for keys that are absent, not undefined.
          ...(opts.stdin ? { stdin: opts.stdin } : {}),
          ...(opts.stdout ? { stdout: opts.stdout } : {}),
          ...(opts.stderr ? { stderr: opts.stderr } : {}),
          exitOnCtrlC: true, patchConsole: false,
        },
      );
      await instance.waitUntilExit();
      const req = request as ExitRequest;
      if (req.kind === 'quit' || req.kind === 'failed') return req.kind;
      resume = stateRef.current;
      const argv = editorCommand(opts.env, nodePath.resolve(opts.root(), ...req.file.split('/')), req.line);
      write(LEAVE_ALT_SCREEN);
      const result = runEditor(argv);
      write(ENTER_ALT_SCREEN + '\u001b[2J');
      note = result.error
        ? `could not start ${argv[0]}: ${result.error.message} (set $EDITOR)`
        : result.status !== 0 ? `${argv[0]} exited with status ${result.status}` : undefined;
    }
  } finally {
    write(LEAVE_ALT_SCREEN);
  }
}
