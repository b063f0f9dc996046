/**
 * File storage behind one small interface: a local folder by default, S3-compatible object
 * storage (MinIO, Ceph, AWS, Viettel/VNPT clouds) when S3_ENDPOINT and S3_BUCKET are set.
 *
 * Keys are chosen by the system (never the uploader's file name) and checked here anyway, so no
 * key can climb out of the folder or the bucket.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import type { Config } from './config.js';

export interface FileStore {
  readonly kind: 'local' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes, or null when there is no such file. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the file; no error when it is already gone. */
  delete(key: string): Promise<void>;
}

/** Lower-case segments of letters, digits, "-", "_" and "." separated by "/"; no "." or ".." segment. */
const KEY = /^[a-z0-9][a-z0-9._-]{0,99}(\/[a-z0-9][a-z0-9._-]{0,99}){0,9}$/;

export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..' || s.includes('..'))) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const p = path.resolve(this.root, ...key.split('/'));
    if (!p.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the folder: ${key}`);
    return p;
  }

  async put(key: string, bytes: Uint8Array, _contentType?: string): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Write beside the target, flush, then rename: a reader sees the old file or the whole new one.
    const tmp = `${target}.tmp-${crypto.randomBytes(6).toString('hex')}`;
    try {
      const fh = await fs.open(tmp, 'wx', 0o640);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.pathOf(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** S3 over plain HTTP with SigV4 (aws4fetch), path-style addresses: {endpoint}/{bucket}/{key}. */
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  private readonly client: AwsClient;

  constructor(private readonly s3: S3Settings) {
    this.client = new AwsClient({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, service: 's3', region: s3.region });
  }

  private urlOf(key: string): string {
    assertValidKey(key);
    return `${this.s3.endpoint.replace(/\/$/, '')}/${encodeURIComponent(this.s3.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    // The payload hash is signed, so the store rejects a body altered on the way.
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const res = await this.client.fetch(this.urlOf(key), {
      method: 'PUT',
      body: bytes as unknown as BodyInit,
      headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength), 'x-amz-content-sha256': sha },
    });
    if (!res.ok) throw await s3Error('PUT', key, res);
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Uint8Array | null> {
    const res = await this.client.fetch(this.urlOf(key), { method: 'GET', headers: { 'x-amz-content-sha256': EMPTY_SHA256 } });
    if (res.status === 404) {
      await res.arrayBuffer();
      return null;
    }
    if (!res.ok) throw await s3Error('GET', key, res);
    return new Uint8Array(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.client.fetch(this.urlOf(key), { method: 'DELETE', headers: { 'x-amz-content-sha256': EMPTY_SHA256 } });
    if (!res.ok && res.status !== 404) throw await s3Error('DELETE', key, res);
    await res.arrayBuffer();
  }
}

const EMPTY_SHA256 = crypto.createHash('sha256').update('').digest('hex');

async function s3Error(method: string, key: string, res: Response): Promise<Error> {
  const text = (await res.text()).slice(0, 300);
  return new Error(`S3 ${method} ${key}: HTTP ${res.status} ${text}`);
}

export function createFileStore(config: Pick<Config, 'files'>): FileStore {
  return config.files.s3 ? new S3FileStore(config.files.s3) : new LocalFileStore(config.files.dir);
}
