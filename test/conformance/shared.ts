// Access to the conformance data in ../shared (never copied into the project).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** SHARED is ../shared relative to the project root. */
export const SHARED = path.resolve(here, '..', '..', '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus');
export const CONFORMANCE = path.join(SHARED, 'conformance');

export function hasShared(): boolean {
  return existsSync(CORPUS) && existsSync(CONFORMANCE);
}

/** corpusFiles lists the corpus go.mod files (paths relative to CORPUS, sorted). */
export function corpusFiles(name = 'go.mod'): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(CORPUS, dir), { withFileTypes: true })) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name === name) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

export function readShared(rel: string): string {
  return readFileSync(path.join(SHARED, rel), 'utf8');
}
