// HTML checked with Debian's tidy: '' when clean (warnings allowed), else tidy's errors.
import { spawnSync } from 'node:child_process';

export function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], { input: html, encoding: 'utf8' });
  // tidy: 0 clean, 1 warnings, 2 errors
  return r.status >= 2 ? r.stderr : '';
}
