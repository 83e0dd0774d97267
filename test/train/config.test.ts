// Training config: defaults, presets, typo errors naming the closest key, CLI value parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ConfigError,
  PRESETS,
  closestKey,
  getPreset,
  parseCliValue,
  parseConfig,
  resolveConfig,
} from '../../src/index.js';

test('defaults fill every field and presets validate', () => {
  const c = parseConfig({});
  assert.equal(c.loss, 'nonsaturating');
  assert.equal(c.model.family, 'dcgan');
  assert.equal(c.batchSize, 64);
  for (const name of Object.keys(PRESETS)) {
    const p = resolveConfig(name);
    assert.ok(p.steps > 0, name);
  }
  const main = resolveConfig('dcgan-fmnist', { steps: 10 });
  assert.equal(main.steps, 10);
  assert.equal(main.model.width, 64);
  assert.equal(main.data.source, 'fashion-mnist');
});

test("a typo is rejected with the closest valid name: 'lrr' -> 'lr'", () => {
  assert.throws(
    () => parseConfig({ lrr: 1e-3 }),
    (e: Error) => e instanceof ConfigError && /unknown key 'lrr', did you mean 'lr'\?/.test(e.message),
  );
  assert.throws(() => parseConfig({ model: { widht: 8 } }), /unknown key 'model.widht', did you mean 'model.width'\?/);
  assert.throws(() => parseConfig({ batchsize: 8 }), /did you mean 'batchSize'/);
  assert.throws(() => parseConfig({ width: 8 }), /did you mean 'model.width'/);
  assert.throws(() => parseConfig({ loss: 'wgangp' }), /loss/);
  assert.throws(() => parseConfig({ diffAugment: 'color,flip' }), /diffAugment/);
  assert.equal(closestKey('qqqqqqqqqqqq'), null);
});

test('unknown preset suggests the closest one', () => {
  assert.throws(() => getPreset('dcgan-fminst'), /did you mean 'dcgan-fmnist'/);
});

test('CLI values: numbers, booleans, strings', () => {
  assert.equal(parseCliValue('2e-4'), 2e-4);
  assert.equal(parseCliValue('64'), 64);
  assert.equal(parseCliValue('true'), true);
  assert.equal(parseCliValue('color,cutout'), 'color,cutout');
  assert.deepEqual(parseCliValue('{"a":1}'), { a: 1 });
});
