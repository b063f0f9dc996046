/** Building multipart uploads and sample PDF/JPEG/PNG bytes for tests. */
import crypto from 'node:crypto';
import type { TestEnv } from './harness.js';

export const SAMPLE = {
  pdf: () => Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), crypto.randomBytes(64), Buffer.from('\n%%EOF\n')]),
  jpeg: () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), crypto.randomBytes(200), Buffer.from([0xff, 0xd9])]),
  png: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(120)]),
  /** A Windows program: "MZ" header and a DOS stub. */
  exe: () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.from('This program cannot be run in DOS mode.'), crypto.randomBytes(100)]),
};

export interface Part {
  name: string;
  value?: string;
  file?: { name: string; type: string; bytes: Buffer };
}

export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----motcua${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if (p.file) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.file.name}"\r\nContent-Type: ${p.file.type}\r\n\r\n`, 'utf8'));
      chunks.push(p.file.bytes, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ''}\r\n`, 'utf8'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface UploadArgs {
  procedureCode?: string;
  documentSeq?: number | string;
  name?: string;
  type?: string;
  bytes: Buffer;
}

export async function upload(env: TestEnv, headers: Record<string, string>, a: UploadArgs) {
  const parts: Part[] = [];
  if (a.procedureCode !== undefined) parts.push({ name: 'procedureCode', value: a.procedureCode });
  if (a.documentSeq !== undefined) parts.push({ name: 'documentSeq', value: String(a.documentSeq) });
  parts.push({ name: 'file', file: { name: a.name ?? 'giay-to.pdf', type: a.type ?? 'application/pdf', bytes: a.bytes } });
  const mp = multipart(parts);
  return env.app.inject({ method: 'POST', url: '/api/attachments', headers: { ...headers, 'content-type': mp.contentType }, payload: mp.body });
}
