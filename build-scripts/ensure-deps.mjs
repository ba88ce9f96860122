// Runs before `npm start` and `npm test`: a fresh clone has no node_modules, so install them
// from the lockfile first (the quick start is two commands). Plain JS: tsx isn't there yet.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000) {
  console.log('Installing dependencies from package-lock.json (npm ci)...');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { stdio: 'inherit' });
}
