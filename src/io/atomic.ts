// Atomic file replacement for go.mod and anchor.lock: readers never see a half-written file, and a
// file someone changed after we read it is never overwritten with a stale edit.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { readRegularFile } from './read.ts';
import { batched } from '../util/json-pieces.ts';

/** RefusedWrite is a write refused for what its file is or has become; `file` names it. */
export class RefusedWrite extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}

/** ReadOnlyError says a file an edit was meant for is not writable. */
export class ReadOnlyError extends RefusedWrite {
  override name = 'ReadOnlyError';
}

/** ConflictError says a file no longer has the content an edit was computed from. */
export class ConflictError extends RefusedWrite {
  override name = 'ConflictError';
}

/** isWritable tells whether this process may write the file (root may write any mode, as the go command run by root does). */
async function isWritable(path: string): Promise<boolean> {
  try {
    await fs.access(path, fsConstants.W_OK);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS';
  }
}

export interface WriteAtomicOptions {
  /**
   * The content the file must still have; the write is refused with a ConflictError otherwise.
   * `null` means the file must not exist yet. Undefined skips the check.
   */
  expected?: string | null;
  /**
   * A directory a symbolic link at the path must lead into (the repository's root): a link a
   * checkout brings is not written through to a file outside it.
   */
  within?: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * readCurrent is the file's text as it is now (null when there is none). A file that is not UTF-8
 * is refused: its text holds U+FFFD where its bytes were not, and writing an edit of that text
 * would change bytes no edit meant to touch (a Latin-1 comment, say).
 */
async function readCurrent(path: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new RefusedWrite(path, `${path}: the file is not valid UTF-8; not rewritten, so that its bytes are kept as they are (convert it to UTF-8 to let modguard edit it)`);
  }
}

/**
 * writtenPath is where a write of `path` goes: the file a symbolic link leads to (as an editor or
 * the go command writes through it), the path itself otherwise. A link that leads nowhere is refused.
 */
async function writtenPath(path: string, within?: string): Promise<string> {
  let isLink = false;
  try {
    isLink = (await fs.lstat(path)).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!isLink) return path;
  let target: string;
  try {
    target = await fs.realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RefusedWrite(path, `${path}: ${code === 'ELOOP' ? 'a symbolic link loop' : 'a symbolic link that leads nowhere'}; not written`);
  }
  if (within !== undefined) {
    const root = await fs.realpath(within).catch(() => nodePath.resolve(within));
    const rel = nodePath.relative(root, target);
    if (rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel)) {
      throw new RefusedWrite(path, `${path}: a symbolic link to ${target}, outside ${root}; not written through`);
    }
  }
  return target;
}

function assertExpected(path: string, current: string | null, expected: string | null | undefined): void {
  if (expected === undefined || current === expected) return;
  if (expected === null) throw new ConflictError(path, `${path}: the file was created by someone else meanwhile; not overwritten`);
  if (current === null) throw new ConflictError(path, `${path}: the file was removed since it was read; not written`);
  throw new ConflictError(path, `${path}: the file changed since it was read; not overwritten (run again to recompute the edit)`);
}

/**
 * writeFileAtomic replaces `named` (or the file its symbolic link leads to) with `content` through
 * a temporary file in the same directory (so the rename stays on one file system), synced to disk
 * before the rename. The file mode of an
 * existing file is kept. With `expected`, the current content is compared first and the write is
 * refused with a ConflictError when it differs. `content` may come in pieces (a text too large to
 * hold whole), written as they come.
 */
export async function writeFileAtomic(named: string, content: string | Iterable<string>, opts: WriteAtomicOptions = {}): Promise<void> {
  const path = await writtenPath(named, opts.within);
  const current = opts.expected === undefined ? undefined : await readCurrent(path);
  if (current !== undefined) assertExpected(path, current, opts.expected);
  // An edit (one with `expected`) of a file its owner made read-only is refused, as the go command
  // refuses to write it: renaming over it would need no write permission on the file itself.
  if (current !== undefined && current !== null && !(await isWritable(path))) {
    throw new ReadOnlyError(path, `${path}: the file is read-only; not changed (make it writable to let modguard edit it)`);
  }

  let mode = 0o644;
  try {
    mode = (await fs.stat(path)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }

  const dir = nodePath.dirname(path);
  const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    try {
      handle = await fs.open(tmp, 'wx', mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new RefusedWrite(path, `${path}: the directory ${dir} does not exist; not written`);
      throw err;
    }
    // open() applies the umask; chmod restores the original mode exactly.
    await handle.chmod(mode);
    await writeText(handle, content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Compare once more right before the rename to keep the window for a lost update small.
    if (opts.expected !== undefined) assertExpected(path, await readCurrent(path), opts.expected);
    await fs.rename(tmp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  // Persist the rename itself; some file systems refuse to open a directory, which is harmless here.
  try {
    const dh = await fs.open(dir, 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  } catch { /* best effort */ }
}

/**
 * WRITE_BATCH is how much of a text in pieces goes to the file per write: one system call per piece
 * would be slow, and batches much larger than this outlive the young generation and pile up in the
 * old one (measured at 10,000 modules, a 714 MB JSON result: a megabyte per write peaked at 1.2 GB
 * and took 13.8 s, 64 KB at 782 MB and 12.0 s, 16 KB at 782 MB and 14.6 s).
 */
export const WRITE_BATCH = 1 << 16;

/** writeText writes a text to an open file: whole, or its pieces gathered into WRITE_BATCH writes. */
export async function writeText(handle: fs.FileHandle, content: string | Iterable<string>): Promise<void> {
  if (typeof content === 'string') {
    await handle.writeFile(content, 'utf8');
    return;
  }
  for (const batch of batched(content, WRITE_BATCH)) await handle.writeFile(batch, 'utf8');
}

/**
 * makeDirectory creates `dir` and its missing parents. node's `mkdir(dir, { recursive: true })`
 * never returns where a parent exists but refuses a new entry with ENOENT (under /proc, say): it
 * makes the parent again and retries, forever. This looks up once for the nearest directory that
 * exists, creates each missing level below it, and fails with the first error (ENOTDIR when a
 * file stands where a directory is wanted).
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = nodePath.resolve(dir); ;) {
    let isDirectory: boolean;
    try {
      isDirectory = (await fs.stat(at)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(at);
      const parent = nodePath.dirname(at);
      if (parent === at) break;
      at = parent;
      continue;
    }
    if (!isDirectory) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${missing.at(-1) ?? at}'`), { code: 'ENOTDIR' });
    break;
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
    } catch (err) {
      // Made meanwhile by another process: as good.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(d)).isDirectory()) continue;
      throw err;
    }
  }
}
