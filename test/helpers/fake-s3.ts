/**
 * A small S3-compatible object server for tests: PUT, GET and DELETE of objects in one bucket,
 * path-style (/{bucket}/{key}). Like S3 it refuses a request unless it carries a valid
 * AWS4-HMAC-SHA256 signature made with the configured access key and secret, and unless the
 * signed x-amz-content-sha256 matches the body it received.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3 {
  url: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** Every request with the status it got, for assertions. */
  log: Array<{ method: string; key: string; status: number }>;
  close(): Promise<void>;
}

const hmac = (key: crypto.BinaryLike, data: string) => crypto.createHmac('sha256', key).update(data).digest();
const sha256hex = (data: crypto.BinaryLike) => crypto.createHash('sha256').update(data).digest('hex');

/** Checks the SigV4 Authorization header of a request; returns a reason when it is wrong. */
function verifySignature(req: http.IncomingMessage, body: Buffer, s3: Pick<FakeS3, 'accessKeyId' | 'secretAccessKey' | 'region'>): string | null {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'malformed or missing Authorization';
  const [, accessKey, day, region, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
  if (accessKey !== s3.accessKeyId) return 'unknown access key';
  if (region !== s3.region) return 'wrong region';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== sha256hex(body)) return 'x-amz-content-sha256 does not match the body';
  const names = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) if (!names.includes(required)) return `${required} is not signed`;
  const url = new URL(req.url ?? '/', 'http://x');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${s3.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const expected = hmac(key, toSign).toString('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) ? null : 'signature does not match';
}

export async function startFakeS3(opts: { bucket?: string; accessKeyId?: string; secretAccessKey?: string; region?: string } = {}): Promise<FakeS3> {
  const s3 = {
    bucket: opts.bucket ?? 'motcua-test',
    accessKeyId: opts.accessKeyId ?? 'AKIAMOTCUATEST',
    secretAccessKey: opts.secretAccessKey ?? 'test-secret-key-0123456789',
    region: opts.region ?? 'us-east-1',
    objects: new Map<string, { body: Buffer; contentType: string }>(),
    log: [] as FakeS3['log'],
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const prefix = `/${s3.bucket}/`;
      const key = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : '';
      const answer = (status: number, text = '', type = 'application/xml') => {
        s3.log.push({ method: req.method ?? '', key, status });
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (!key) return answer(404, '<Error><Code>NoSuchBucket</Code></Error>');
      const problem = verifySignature(req, body, s3);
      if (problem) return answer(problem.includes('x-amz-content-sha256') ? 400 : 403, `<Error><Code>${problem.includes('sha256') ? 'XAmzContentSHA256Mismatch' : 'SignatureDoesNotMatch'}</Code><Message>${problem}</Message></Error>`);
      if (req.method === 'PUT') {
        s3.objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
        return answer(200);
      }
      if (req.method === 'GET') {
        const o = s3.objects.get(key);
        if (!o) return answer(404, '<Error><Code>NoSuchKey</Code></Error>');
        s3.log.push({ method: 'GET', key, status: 200 });
        res.writeHead(200, { 'content-type': o.contentType, 'content-length': o.body.length });
        return res.end(o.body);
      }
      if (req.method === 'DELETE') {
        s3.objects.delete(key);
        return answer(204);
      }
      return answer(405);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A forgotten close must not keep the test process alive.
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    ...s3,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
