/** Driving dossiers through the HTTP API in integration tests. */
import assert from 'node:assert/strict';
import { sampleFormData } from './forms.js';
import { json, type TestEnv } from './harness.js';

let n = 0;
/** A fresh Idempotency-Key. */
export const freshKey = (prefix = 'test') => `${prefix}-${Date.now()}-${++n}`;

/** Submits online as the citizen at unit H15.001 with a valid e-form; returns the dossier code. */
export async function submitOnline(env: TestEnv, citizen: Record<string, string>, procedureCode: string, caseCode: string): Promise<string> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...citizen, 'idempotency-key': freshKey('submit') },
    payload: { procedureCode, caseCode, receivingUnit: 'H15.001', formData: sampleFormData(procedureCode) },
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<{ code: string }>(res).code;
}

/** Performs an action that must succeed; returns the dossier view. */
export async function act<T = { statusCode: number; paidAt: string | null }>(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>): Promise<T> {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': freshKey('act') }, payload: body });
  assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
  return json<T>(res);
}
