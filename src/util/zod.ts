// zod, loaded when first needed. Importing it takes longer than checking a small repository
// (about 120 ms of a 400 ms run on a 2-core machine), and a check needs it only to read a
// configuration with rule options: rules give their default options without it.
import { createRequire } from 'node:module';
import type { z as Z } from 'zod';

export type Zod = typeof Z;

let loaded: Zod | undefined;

/** zod returns the zod namespace, loading it on the first call (one copy for the whole process). */
export function zod(): Zod {
  return (loaded ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z);
}

/** lazySchema returns a function that builds the schema with zod on its first call and keeps it. */
export function lazySchema<S>(build: (z: Zod) => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build(zod()));
}
