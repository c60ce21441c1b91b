// Writes schema/modguard.schema.json, the editor schema of modguard.json, from the rule registry.
// Run after adding a rule or changing options: node --import tsx scripts/write-config-schema.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../src/engine/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'schema/modguard.schema.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(root, file)}\n`);
