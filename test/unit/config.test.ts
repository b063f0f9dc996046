import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { acquireDataDirLock, DataDirLockedError } from '../../src/platform/lock.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, '/srv/motcua');
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, null);
    assert.equal(c.dataDir, '/srv/motcua/data');
    assert.equal(c.demo, true);
    assert.equal(c.oidc.localProviderPort, 3001);
    assert.equal(c.publicUrl, 'http://localhost:3000');
  });

  it('reports every bad value at once, in Vietnamese and English', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', MOTCUA_DEMO: 'maybe', LOG_LEVEL: 'loud' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 4);
      assert.match(err.message, /PORT="abc": phải là số nguyên .* must be a whole number/);
      assert.match(err.message, /DATABASE_URL/);
      assert.match(err.message, /MOTCUA_DEMO/);
      assert.match(err.message, /LOG_LEVEL/);
    }
  });

  it('refuses an out-of-range port and requires a client secret with a real issuer', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT=70000/);
    assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://vneid.example' }), /OIDC_CLIENT_SECRET/);
  });

  it('trusts no proxy unless told, and validates TRUST_PROXY, S3, SMTP and VietQR settings', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).trustProxy, ['10.0.0.1', '10.1.0.0/16']);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'everyone' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('TRUST_PROXY')));
    assert.throws(() => loadConfig({ S3_BUCKET: 'hoso' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('S3_ENDPOINT')) && e.problems.some((p) => p.startsWith('S3_ACCESS_KEY_ID')));
    const s3 = loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000/', S3_BUCKET: 'hoso', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }).files.s3;
    assert.deepEqual(s3, { endpoint: 'http://127.0.0.1:9000', bucket: 'hoso', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's' });
    assert.equal(loadConfig({}).files.s3, null);
    assert.throws(() => loadConfig({ SMTP_URL: 'http://mail' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('SMTP_URL')));
    assert.throws(() => loadConfig({ VIETQR_BANK_BIN: '12' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('VIETQR_BANK_BIN')));
    assert.throws(() => loadConfig({ PAYMENT_CALLBACK_SECRET: 'short' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('PAYMENT_CALLBACK_SECRET')));
    assert.equal(loadConfig({ UPLOAD_MAX_MB: '5' }).files.maxUploadBytes, 5 * 1_048_576);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).databaseUrl, 'postgres://u@h:5432/db');
  });
});

describe('data folder lock', () => {
  it('refuses a second owner while the first is alive and takes over a stale lock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-lock-'));
    const lock = acquireDataDirLock(dir);
    // Another process trying the same folder is refused.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import('${path.resolve('src/platform/lock.ts').replace(/\\/g, '/')}').then((m) => {
        try { m.acquireDataDirLock(${JSON.stringify(dir)}); process.exit(0); }
        catch (e) { console.error(e.message); process.exit(e instanceof m.DataDirLockedError ? 3 : 1); }
      });`], { encoding: 'utf8' });
    assert.equal(child.status, 3, child.stderr);
    assert.match(child.stderr, /đang được tiến trình \d+ sử dụng/);
    assert.match(child.stderr, /in use by process \d+/);
    // In-process, a second acquisition is refused too.
    assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
    lock.release();
    // A lock left by a dead process is taken over.
    fs.writeFileSync(path.join(dir, 'motcua.lock'), '999999999\n');
    const again = acquireDataDirLock(dir);
    again.release();
    assert.equal(fs.existsSync(path.join(dir, 'motcua.lock')), false);
    fs.rmSync(dir, { recursive: true });
  });
});
