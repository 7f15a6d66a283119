// The bound on concurrent reads holds, and each item's result is available as soon as it is ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLimit, startBounded } from '../support/util/concurrency';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('startBounded runs at most `limit` at once and keeps every item\'s result in order', async () => {
  let running = 0;
  let peak = 0;
  const results = startBounded([40, 10, 30, 20, 5, 15], 2, async (ms) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(ms);
    running--;
    if (ms === 5) throw new Error('five');
    return ms * 2;
  });
  assert.equal(await results[1], 20, 'an early item resolves without waiting for the others');
  await assert.rejects(results[4], /five/);
  assert.deepEqual(await Promise.all([results[0], results[2], results[3], results[5]]), [80, 60, 40, 30]);
  assert.equal(peak, 2);
});

test('mapLimit keeps the input order under its bound', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([3, 1, 2, 0], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(n * 5);
    running--;
    return `#${n}`;
  });
  assert.deepEqual(out, ['#3', '#1', '#2', '#0']);
  assert.equal(peak, 3);
});
