import fs from 'node:fs';
import path from 'node:path';

/** The repository root, whether running from `src/` (tests) or from `dist/src/` (npm scripts). */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
})();
