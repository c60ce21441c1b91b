// A temporary git repository for tests: write files, commit with fixed dates, branch.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempRepo {
  dir: string;
  write(files: Record<string, string | null>): void;
  commit(message: string, date?: string): string;
  git(...args: string[]): string;
  cleanup(): void;
}

/** tempGitRepo creates an empty repository with a fixed identity, on branch main. */
export function tempGitRepo(prefix = 'modguard-git-'): TempRepo {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const abs = path.join(dir, rel);
        if (content === null) { rmSync(abs, { force: true }); continue; }
        mkdirSync(path.dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    },
    commit(message, date = '2026-01-01T12:00:00Z') {
      git('add', '-A');
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: dir, env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}
