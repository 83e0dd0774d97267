import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  captionOf,
  COLOR_RGB,
  makeShapes,
  parseCaption,
  placeShape,
  renderShape,
  SHAPE_NAMES,
  type ShapeAttributes,
} from '../../src/data/shapes.js';

test('shapes: deterministic per seed, prefix-stable, different for another seed', () => {
  const a = makeShapes({ n: 50, resolution: 16, seed: 3 });
  const b = makeShapes({ n: 50, resolution: 16, seed: 3 });
  assert.deepEqual([...a.images], [...b.images]);
  assert.deepEqual(a.captions, b.captions);
  const prefix = makeShapes({ n: 10, resolution: 16, seed: 3 });
  assert.deepEqual([...prefix.images], [...a.images.subarray(0, 10 * 16 * 16 * 3)]);
  assert.deepEqual(prefix.captions, a.captions.slice(0, 10));
  const c = makeShapes({ n: 50, resolution: 16, seed: 4 });
  assert.notDeepEqual(c.captions, a.captions);
});

test('shapes: layout, value range, labels and captions agree with the attributes', () => {
  const ds = makeShapes({ n: 600, resolution: 24, seed: 1 });
  assert.deepEqual([ds.n, ds.height, ds.width, ds.channels], [600, 24, 24, 3]);
  assert.equal(ds.numClasses, SHAPE_NAMES.length);
  assert.deepEqual(ds.classNames, [...SHAPE_NAMES]);
  assert.ok(ds.images.every((v) => v >= -1 && v <= 1));
  const seen = new Set<number>();
  for (let i = 0; i < ds.n; i++) {
    const attrs: ShapeAttributes = {
      shape: ds.vocab.shapes[ds.attributes.shape[i]],
      color: ds.vocab.colors[ds.attributes.color[i]],
      size: ds.vocab.sizes[ds.attributes.size[i]],
      position: ds.vocab.positions[ds.attributes.position[i]],
    };
    assert.equal(ds.labels![i], ds.attributes.shape[i]);
    seen.add(ds.labels![i]);
    assert.equal(ds.captions[i], captionOf(attrs));
    assert.deepEqual(parseCaption(ds.captions[i]), attrs);
    assert.match(ds.captions[i], /^a (small|medium|large) \w+ \w+ (at|on|in) the /);
  }
  assert.equal(seen.size, SHAPE_NAMES.length, 'every class appears');
  assert.equal(ds.captions[0].split(' ')[0], 'a');
});

test('shapes: pixels show the named colour where the shape is, black elsewhere, in the named cell', () => {
  const res = 48;
  const ds = makeShapes({ n: 40, resolution: res, seed: 9 });
  for (let i = 0; i < ds.n; i++) {
    const img = ds.images.subarray(i * res * res * 3, (i + 1) * res * res * 3);
    const rgb = COLOR_RGB[ds.vocab.colors[ds.attributes.color[i]]];
    let count = 0;
    let sx = 0;
    let sy = 0;
    let full = 0;
    for (let p = 0; p < res * res; p++) {
      const r = img[3 * p];
      const g = img[3 * p + 1];
      const b = img[3 * p + 2];
      if (r > -1 || g > -1 || b > -1) {
        count++;
        sx += p % res;
        sy += Math.floor(p / res);
        // Fully covered pixels have exactly the named colour.
        if (
          Math.abs(r - (rgb[0] / 127.5 - 1)) < 1e-5 &&
          Math.abs(g - (rgb[1] / 127.5 - 1)) < 1e-5 &&
          Math.abs(b - (rgb[2] / 127.5 - 1)) < 1e-5
        )
          full++;
      }
    }
    assert.ok(full > 10, `image ${i} (${ds.captions[i]}) has ${full} pixels of its colour`);
    const pos = ds.attributes.position[i];
    const cx = sx / count / res;
    const cy = sy / count / res;
    // The centroid lies in the named third of the image (triangles sit a little low).
    assert.equal(Math.floor(cx * 3), pos % 3, `${ds.captions[i]}: centroid x ${cx}`);
    assert.equal(Math.floor(cy * 3), Math.floor(pos / 3), `${ds.captions[i]}: centroid y ${cy}`);
    // Shapes are not cut by the image border: no border pixel is fully covered.
    const fullAt = (p: number) => [0, 1, 2].every((c) => Math.abs(img[3 * p + c] - (rgb[c] / 127.5 - 1)) < 1e-5);
    for (let k = 0; k < res; k++) {
      for (const p of [k, (res - 1) * res + k, k * res, k * res + res - 1])
        assert.ok(!fullAt(p), `${ds.captions[i]} is cut by the border`);
    }
  }
});

test('shapes: size ordering, render is pure, options validated, varied captions parse', () => {
  const area = (size: 'small' | 'medium' | 'large') => {
    const a: ShapeAttributes = { shape: 'circle', color: 'white', size, position: 'center' };
    const img = renderShape(
      a,
      placeShape(a, () => 0.5),
      64,
    );
    let s = 0;
    for (let p = 0; p < 64 * 64; p++) s += (img[3 * p] + 1) / 2;
    return s;
  };
  const [sm, md, lg] = [area('small'), area('medium'), area('large')];
  assert.ok(sm < md && md < lg, `${sm} ${md} ${lg}`);
  // A circle of radius 0.21*64 px covers about π r² pixels (white is 240/255).
  assert.ok(Math.abs(lg / (240 / 255) - Math.PI * (0.21 * 64) ** 2) < 10, `large area ${lg}`);
  const v = makeShapes({ n: 300, resolution: 8, captionStyle: 'varied', seed: 2 });
  let differs = 0;
  for (let i = 0; i < v.n; i++) {
    const parsed = parseCaption(v.captions[i]);
    assert.ok(parsed, `varied caption parses: ${v.captions[i]}`);
    assert.equal(parsed.shape, v.vocab.shapes[v.attributes.shape[i]]);
    assert.equal(parsed.position, v.vocab.positions[v.attributes.position[i]]);
    if (!/^a (small|medium|large) /.test(v.captions[i])) differs++;
  }
  assert.ok(differs > 50, 'synonyms are used');
  assert.equal(parseCaption('a blue thing somewhere'), null);
  const sub = makeShapes({
    n: 30,
    resolution: 8,
    shapes: ['circle', 'square'],
    colors: ['red'],
    labelBy: 'shape-color',
  });
  assert.deepEqual(sub.classNames, ['red circle', 'red square']);
  assert.ok(sub.captions.every((c) => / red (circle|square) /.test(c)));
  assert.throws(() => makeShapes({ shapes: ['hexagon' as never] }), /unknown shape 'hexagon'/);
  assert.throws(() => makeShapes({ resolution: 4 }), /resolution must be an integer in 8\.\.1024/);
  assert.throws(() => makeShapes({ colors: [] }), /colors must not be empty/);
  const rotated = makeShapes({ n: 5, resolution: 16, rotate: true, seed: 1 });
  assert.notDeepEqual([...rotated.images], [...makeShapes({ n: 5, resolution: 16, seed: 1 }).images]);
});
