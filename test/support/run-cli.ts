// Runs the real CLI (`node bin/modguard.js`) from the sources, as a user would, and collects its output.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(projectRoot, 'bin/modguard.js');

/**
 * cliEnv selects which CLI a spawned `bin/modguard.js` runs: the compiled one when the test command
 * has just built it (MODGUARD_TEST_BUILT), else the TypeScript sources, so a test run while
 * editing never uses a stale build.
 */
export function cliEnv(): NodeJS.ProcessEnv {
  return process.env.MODGUARD_TEST_BUILT === '1' ? {} : { MODGUARD_FROM_SOURCE: '1' };
}

let cacheDir: string | undefined;

/**
 * testCacheDir is where the CLI runs of this test process keep facts between runs (PR mode): one
 * temporary directory, so that a test's second run against a base finds the first run's pack, and
 * nothing is written to the home directory.
 */
export function testCacheDir(): string {
  if (cacheDir === undefined) {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-test-cache-'));
    process.on('exit', () => rmSync(cacheDir!, { recursive: true, force: true }));
  }
  return cacheDir;
}

export interface CliRun { code: number | null; stdout: string; stderr: string }

/**
 * runCli runs modguard with args in cwd; env adds to a minimal environment (PATH, HOME); extra can
 * run it as another user (uid/gid), to meet real permission errors as root, and stop a run that
 * takes longer than timeoutMs (its code is then null: a test of something that must not hang fails
 * without leaving the process behind).
 */
export function runCli(
  args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, extra: { uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<CliRun> {
  const { timeoutMs, ...user } = extra;
  return new Promise((resolve, reject) => {
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MODGUARD_CACHE_DIR: testCacheDir(), ...cliEnv() };
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    let stdout = '';
    let stderr = '';
    const timer = timeoutMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : undefined;
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
