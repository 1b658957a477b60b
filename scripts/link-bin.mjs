// npm links the bins of dependencies into node_modules/.bin, but not the project's own; this
// `prepare` step links `clbp` there so `npx clbp …` runs the researcher command from a clone.
// Plain JavaScript: it runs under whatever Node starts `npm ci`.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'src', 'cli', 'clbp.ts');
const link = join(binDir, 'clbp');
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);
