// Writing a fix plan: each file on its own, atomically, and only if it still has the content the
// plan was computed from, so a concurrent edit is never lost and one conflict stops nothing else.
import * as nodePath from 'node:path';
import { ConflictError, ReadOnlyError, writeFileAtomic } from '../io/atomic.ts';
import type { ApplyResult, FilePatch } from './types.ts';

/** applyPatches writes every patch under `root`; files that changed meanwhile are reported, not written. */
export async function applyPatches(root: string, patches: FilePatch[]): Promise<ApplyResult> {
  const result: ApplyResult = { written: [], conflicts: [] };
  for (const patch of patches) {
    if (patch.before === patch.after) continue;
    const abs = nodePath.resolve(root, ...patch.file.split('/'));
    try {
      await writeFileAtomic(abs, patch.after, { expected: patch.before, within: root });
      result.written.push(patch.file);
    } catch (e) {
      const reason = e instanceof ConflictError
        ? 'changed since it was read; left alone (run modguard fix again)'
        : e instanceof ReadOnlyError
          ? 'is read-only; left alone (make it writable to fix it)'
          : `could not be written: ${(e as Error).message}`;
      result.conflicts.push({ file: patch.file, reason });
    }
  }
  return result;
}
