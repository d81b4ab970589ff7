import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DataDirLockedError, lockDataDir } from '../../src/db/lock.ts';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-lock-'));

describe('the embedded data directory lock', () => {
  it('refuses a second holder while a live process holds it, naming that process', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      fs.writeFileSync(path.join(dir, 'onebudget.lock'), String(holder.pid));
      assert.throws(
        () => lockDataDir(dir),
        (error: unknown) => error instanceof DataDirLockedError && error.holderPid === holder.pid && /already in use/.test(error.message),
      );
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left behind by a process that has stopped', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'onebudget.lock'), '999999999');
    const lock = lockDataDir(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'onebudget.lock'), 'utf8'), String(process.pid));
    lock.release();
    assert.equal(fs.existsSync(path.join(dir, 'onebudget.lock')), false);
  });

  it('can be locked again once released', () => {
    const dir = tempDir();
    lockDataDir(dir).release();
    lockDataDir(dir).release();
  });
});
