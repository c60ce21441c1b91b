// Reading the module files of a repository: never through a link that leaves the root, never
// blocking on a named pipe, and with every failure kept as an error naming the file rather than
// thrown. Reads are synchronous: module files are small and in the page cache after a checkout, and
// measured on 2,000 go.mod/go.sum files, fs.promises costs three times the CPU of readFileSync
// (promise and chunking overhead) for no gain; the event loop is still given a turn between batches.
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ParseError } from '../gomod/types.ts';

/** MAX_FILE_BYTES bounds one file: larger inputs are reported, not loaded (V8 strings end near 512 MB). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Files read between two turns of the event loop. */
const BATCH = 256;

export interface ReadRequest {
  /** Path relative to the root, POSIX (may start with `../` for a file named on the command line). */
  file: string;
  /** A missing optional file is simply absent from the result (go.sum, graph files). */
  optional?: boolean;
  /** Keep the bytes undecoded, in `ReadResult.bytes` (graph files: their parser scans bytes). */
  bytes?: boolean;
  /**
   * With `bytes`: the bytes may be a view of a buffer that the next such read in this thread
   * overwrites, for a caller that parses them at once and keeps nothing of them. Thousands of go.sum
   * and graph files then need no fresh memory each (fresh pages and the collections that external
   * memory brings on).
   */
  scratch?: boolean;
}

/** The buffer `scratch` reads go to; files above SCRATCH_MAX get their own. */
let scratchBuf: Buffer | undefined;
const SCRATCH_MAX = 16 * 1024 * 1024;

function readBuffer(size: number, scratch: boolean | undefined): Buffer {
  if (!scratch || size > SCRATCH_MAX) return Buffer.allocUnsafe(size);
  if (scratchBuf === undefined || scratchBuf.length < size) {
    let m = 64 * 1024;
    while (m < size) m *= 2;
    scratchBuf = Buffer.allocUnsafe(m);
  }
  return scratchBuf;
}

export interface ReadResult {
  files: Map<string, string>;
  /** The files requested with `bytes: true`, undecoded. */
  bytes?: Map<string, Buffer>;
  errors: ParseError[];
}

export interface ReadOptions {
  /** Allow files outside the root (explicit command-line paths). Default false. */
  allowOutside?: boolean;
  maxBytes?: number;
}

function errorOf(file: string, message: string): ParseError {
  return { file, line: 1, column: 0, message };
}

export function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory, not a file';
    case 'ENOENT': return 'no such file';
    case 'ELOOP': return 'symbolic link loop';
    case 'ERR_STRING_TOO_LONG': return 'the file is too large to load';
    default: return e?.message ?? String(err);
  }
}

/** formatSize phrases a byte count for a message: `812 bytes`, `12.5 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fsConstants;

/**
 * READ_NONBLOCKING opens a file for reading without blocking: something other than a file in its
 * place (a named pipe) would otherwise make the open wait for a writer; fstat then turns it away.
 */
export const READ_NONBLOCKING = O_RDONLY | (O_NONBLOCK ?? 0);

/**
 * readAll reads an open file of `size` bytes (at its fstat; a guess for a pipe or device) to its
 * end, even if it grew since, within maxBytes (undefined past them). The bytes may lie in the
 * scratch buffer (`scratch`). Past `size`, it reads on into new pieces, each as large as all read
 * so far (up to one byte past the limit), joined at the end: what is read is never copied to grow.
 */
function readAll(fd: number, size: number, maxBytes: number, scratch: boolean | undefined): Buffer | undefined {
  const full: Buffer[] = [];
  let total = 0;
  // `cap` is the part of buf in use: a scratch buffer may be longer than the file.
  let cap = size + 1;
  let buf = readBuffer(cap, scratch);
  let n = 0;
  for (;;) {
    if (n === cap) {
      full.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return undefined;
      cap = Math.min(total, maxBytes + 1 - total);
      buf = Buffer.allocUnsafe(cap);
      n = 0;
    }
    const got = readSync(fd, buf, n, cap - n, null);
    if (got === 0) break;
    n += got;
  }
  return full.length === 0 ? buf.subarray(0, n) : Buffer.concat([...full, buf.subarray(0, n)], total + n);
}

/**
 * readDirect reads a file that is not a symbolic link with one open, one fstat and its reads (the
 * usual case, a third cheaper than lstat before readFileSync). It returns undefined when the path is
 * a link (O_NOFOLLOW refuses it) or the platform has no O_NOFOLLOW, for readOne's careful path.
 * O_NONBLOCK keeps a named pipe from blocking the open; fstat then turns it away.
 */
function readDirect(abs: string, req: ReadRequest, maxBytes: number): { text?: string; bytes?: Buffer; error?: ParseError } | undefined {
  if (O_NOFOLLOW === undefined || O_NONBLOCK === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return undefined;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { error: errorOf(req.file, 'it is a directory, not a file') };
    if (!st.isFile()) return { error: errorOf(req.file, 'not a regular file') };
    if (st.size > maxBytes) {
      return { error: errorOf(req.file, `the file is ${formatSize(st.size)}, more than the ${formatSize(maxBytes)} modguard reads`) };
    }
    const bytes = readAll(fd, st.size, maxBytes, req.bytes && req.scratch);
    if (!bytes) return { error: errorOf(req.file, `the file is more than the ${formatSize(maxBytes)} modguard reads`) };
    return req.bytes ? { bytes } : { text: bytes.toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/**
 * readRegularFile reads a whole file that must be a regular one (links followed): a named pipe is
 * opened without blocking and, like a device or a directory, turned away by fstat, so that no file
 * a repository or a cache directory holds can make a run wait for a writer or read without end.
 * Throws the open's error (code ENOENT for a missing file), or an Error saying what the path is
 * instead of a file or that it is larger than `maxBytes`.
 */
export function readRegularFile(abs: string, maxBytes = MAX_FILE_BYTES): Buffer {
  return readOpened(openSync(abs, READ_NONBLOCKING), maxBytes, false);
}

/**
 * readNamedInput reads a file named on the command line for one run's input, which may be a pipe
 * or a device (`modguard parse /dev/stdin`): read in order up to `maxBytes`, so that a device
 * without end (/dev/zero) is refused once that much is read, not read forever. Throws as
 * readRegularFile does.
 */
export function readNamedInput(abs: string, maxBytes = MAX_FILE_BYTES): Buffer {
  return readOpened(openSync(abs, 'r'), maxBytes, true);
}

/** readOpened reads what fd opens, within maxBytes, and closes it; other than a file only when `streams`. */
export function readOpened(fd: number, maxBytes: number, streams: boolean): Buffer {
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('it is a directory, not a file'), { code: 'EISDIR' });
    const regular = st.isFile();
    if (!regular && !streams) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (regular && st.size > maxBytes) throw Object.assign(new Error(`the file is ${formatSize(st.size)}, more than the ${formatSize(maxBytes)} modguard reads`), { code: 'EFBIG' });
    // A pipe or device has no size: read until it ends, or passes the limit.
    const bytes = readAll(fd, regular ? st.size : (1 << 16) - 1, maxBytes, false);
    if (!bytes) throw Object.assign(new Error(`the file is more than the ${formatSize(maxBytes)} modguard reads`), { code: 'EFBIG' });
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** readOne reads one file under rootReal, refusing links out of the root and oversized files. */
export function readOne(rootReal: string, req: ReadRequest, opts: ReadOptions): { text?: string; bytes?: Buffer; error?: ParseError } {
  const abs = path.resolve(rootReal, ...req.file.split('/'));
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  try {
    const direct = readDirect(abs, req, maxBytes);
    if (direct) return direct;
    let st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      const target = realpathSync(abs);
      if (!opts.allowOutside && !isInside(rootReal, target)) {
        return { error: errorOf(req.file, `symbolic link to ${target}, outside the repository root: not followed`) };
      }
      st = lstatSync(target);
    }
    if (st.isDirectory()) return { error: errorOf(req.file, 'it is a directory, not a file') };
    if (!st.isFile()) return { error: errorOf(req.file, 'not a regular file') };
    if (st.size > maxBytes) {
      return { error: errorOf(req.file, `the file is ${formatSize(st.size)}, more than the ${formatSize(maxBytes)} modguard reads`) };
    }
    return req.bytes ? { bytes: readFileSync(abs) } : { text: readFileSync(abs, 'utf8') };
  } catch (err) {
    if (req.optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: errorOf(req.file, `cannot read: ${describeReadError(err)}`) };
  }
}

/**
 * realRoot is the real path of a root (links resolved), as fs.promises.realpath gives it but in one
 * system call on this thread: a load asks it several times, and each trip through node's thread
 * pool waited behind the reads queued there (5 ms of PR mode at 1,000 modules). Throws as realpath
 * does.
 */
export function realRoot(root: string): string {
  return realpathSync.native(root);
}

/**
 * readRepositoryFiles reads the requested files relative to root. Missing optional files are left
 * out; every other failure is an error entry for its file.
 */
export async function readRepositoryFiles(root: string, requests: readonly ReadRequest[], opts: ReadOptions = {}): Promise<ReadResult> {
  const rootReal = realRoot(root);
  const files = new Map<string, string>();
  let bytes: Map<string, Buffer> | undefined;
  const errors: ParseError[] = [];
  for (let i = 0; i < requests.length; i++) {
    if (i > 0 && i % BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const req = requests[i]!;
    const r = readOne(rootReal, req, opts);
    if (r.text !== undefined) files.set(req.file, r.text);
    else if (r.bytes !== undefined) (bytes ??= new Map()).set(req.file, r.bytes);
    else if (r.error) errors.push(r.error);
  }
  return bytes ? { files, bytes, errors } : { files, errors };
}
