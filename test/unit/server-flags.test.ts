/**
 * The benchmarks run the server with the Node flags it is deployed with: the flags of `npm start`
 * and `npm run start:prod` (package.json) are those the benchmark's server child is given
 * (bench/lib/child.ts SERVER_NODE_FLAGS).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SERVER_NODE_FLAGS } from '../../bench/lib/child.js';

it('npm start, npm run start:prod and the benchmark server give Node the same flags', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const flagsOf = (script: string, runner: string) => {
    const m = new RegExp(`${runner} ((?:--\\S+ )*)\\S+server\\.(?:ts|js)`).exec(script);
    assert.ok(m, `${runner} … server in "${script}"`);
    return m[1]!.trim().split(/\s+/).filter(Boolean);
  };
  assert.deepEqual(flagsOf(pkg.scripts.start!, 'tsx'), SERVER_NODE_FLAGS);
  assert.deepEqual(flagsOf(pkg.scripts['start:prod']!, 'node'), SERVER_NODE_FLAGS);
  assert.ok(SERVER_NODE_FLAGS.length > 0);
});
