// Files modguard writes for itself and reads back later (the findings a full check keeps, `--go`'s
// graph cache): the SHA-256 of the body on a line of its own, then the body. A file damaged after it
// was written (a disk, a cache transfer gone wrong) no longer matches its digest and is not read.
import { createHash } from 'node:crypto';

const DIGEST_LENGTH = 64;

/** sealed is body behind the line of its digest. */
export function sealed(body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${createHash('sha256').update(body).digest('hex')}\n`, 'latin1'), body]);
}

/** unsealed is the body of what sealed made, or undefined when it does not match its digest line. */
export function unsealed(data: Uint8Array): Buffer | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length <= DIGEST_LENGTH || bytes[DIGEST_LENGTH] !== 0x0a) return undefined;
  const body = bytes.subarray(DIGEST_LENGTH + 1);
  return createHash('sha256').update(body).digest('hex') === bytes.toString('latin1', 0, DIGEST_LENGTH) ? body : undefined;
}
