// Writes schema/site.schema.json from the built library (run after tsc by `npm run build`).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchema } from '../lib/config/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, CONFIG_JSON_SCHEMA_FILE);
await mkdir(dirname(target), { recursive: true });
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
stdout.write(`wrote ${CONFIG_JSON_SCHEMA_FILE}\n`);
