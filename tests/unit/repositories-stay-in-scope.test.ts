/**
 * Row-level security holds as long as repositories run inside the scope `withCouncil` sets up. A
 * repository that switched role or rewrote the council setting could step outside it, so none may.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const FORBIDDEN = [/\bSET\s+(LOCAL\s+)?ROLE\b/i, /\bRESET\s+ROLE\b/i, /set_config/i, /app\.council_id/i, /\bSET\s+SESSION\s+AUTHORIZATION\b/i];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('repositories stay in their council scope', () => {
  const files = [...sourceFiles('src/db/repositories'), ...sourceFiles('src/services')];

  it('finds the repositories and services to check', () => {
    assert.ok(files.length >= 5, 'expected repository and service files');
  });

  for (const file of files) {
    it(`${file} never switches role or council`, () => {
      const text = fs.readFileSync(file, 'utf8');
      for (const pattern of FORBIDDEN) assert.doesNotMatch(text, pattern, `${file} matches ${pattern}`);
    });
  }

  it('only tenancy.ts sets the council scope', () => {
    const setters = sourceFiles('src').filter((f) => /set_config\('app\.council_id'/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(setters.map((f) => path.normalize(f)), [path.normalize('src/db/tenancy.ts')]);
  });

  it('only system.ts and the start-up code reach the owner connection outside a council scope', () => {
    const offenders = sourceFiles('src/services').filter((f) => /database\.db\b/.test(fs.readFileSync(f, 'utf8')) && !f.endsWith('index.ts'));
    assert.deepEqual(offenders, []);
  });
});
