import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TtlCache, weakTtlCache } from '../../src/platform/ttl-cache.js';

function counter() {
  let calls = 0;
  return {
    load: (v: string) => () => {
      calls++;
      return Promise.resolve(`${v}#${calls}`);
    },
    get calls() {
      return calls;
    },
  };
}

test('a value is read once within its time to live and again after it', async () => {
  let now = 1000;
  const cache = new TtlCache<string, string>(100, undefined, () => now);
  const c = counter();
  assert.equal(await cache.get('a', c.load('a')), 'a#1');
  now += 99;
  assert.equal(await cache.get('a', c.load('a')), 'a#1');
  assert.equal(c.calls, 1);
  now += 1;
  assert.equal(await cache.get('a', c.load('a')), 'a#2');
  assert.equal(c.calls, 2);
});

test('keys are cached apart, and delete forgets one key only', async () => {
  const cache = new TtlCache<string, string>(60_000);
  const c = counter();
  assert.equal(await cache.get('a', c.load('a')), 'a#1');
  assert.equal(await cache.get('b', c.load('b')), 'b#2');
  cache.delete('a');
  assert.equal(await cache.get('a', c.load('a')), 'a#3');
  assert.equal(await cache.get('b', c.load('b')), 'b#2');
});

test('concurrent callers share one read', async () => {
  const cache = new TtlCache<string, number>(60_000);
  let calls = 0;
  let release!: (v: number) => void;
  const load = () => {
    calls++;
    return new Promise<number>((resolve) => (release = resolve));
  };
  const first = cache.get('k', load);
  const second = cache.get('k', load);
  release(7);
  assert.deepEqual(await Promise.all([first, second]), [7, 7]);
  assert.equal(calls, 1);
});

test('a failed read is not kept: the next caller reads again', async () => {
  const cache = new TtlCache<string, string>(60_000);
  await assert.rejects(
    cache.get('k', () => Promise.reject(new Error('connection lost'))),
    /connection lost/,
  );
  assert.equal(await cache.get('k', () => Promise.resolve('ok')), 'ok');
});

test('a failed read does not drop a newer value stored for the same key', async () => {
  let now = 0;
  const cache = new TtlCache<string, string>(10, undefined, () => now);
  let fail!: (e: Error) => void;
  const failing = cache.get('k', () => new Promise<string>((_, reject) => (fail = reject)));
  now = 20; // expired while still pending: the next caller reads again
  assert.equal(await cache.get('k', () => Promise.resolve('fresh')), 'fresh');
  fail(new Error('late failure'));
  await assert.rejects(failing, /late failure/);
  let reads = 0;
  assert.equal(
    await cache.get('k', () => {
      reads++;
      return Promise.resolve('again');
    }),
    'fresh',
  );
  assert.equal(reads, 0);
});

test('weakTtlCache keys by object identity', async () => {
  const cache = weakTtlCache<object, string>(60_000);
  const a = {};
  const b = {};
  const c = counter();
  assert.equal(await cache.get(a, c.load('x')), 'x#1');
  assert.equal(await cache.get(a, c.load('x')), 'x#1');
  assert.equal(await cache.get(b, c.load('x')), 'x#2');
});
