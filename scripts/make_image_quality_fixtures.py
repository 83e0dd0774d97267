#!/usr/bin/python3
"""Reference values for src/metrics/image_quality.ts (test/fixtures/metrics/image_quality.json).

scikit-image's structural_similarity (Debian: python3-skimage) with the settings of Wang et al.
2004 (gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=2 for [-1, 1]) and
a plain numpy PSNR, on seeded random image pairs; run once, the JSON is committed (CI needs no
Python):

  /usr/bin/python3 scripts/make_image_quality_fixtures.py
"""
import json
import os

import numpy as np
from skimage.metrics import structural_similarity

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'metrics')


def psnr(a, b, data_range):
    vals = []
    for x, y in zip(a, b):
        mse = np.mean((x - y) ** 2)
        vals.append(100.0 if mse == 0 else 10 * np.log10(data_range ** 2 / mse))
    return float(np.mean(vals))


def case(name, rng, n, h, w, c, noise):
    a = rng.uniform(-1, 1, size=(n, h, w, c))
    # Smooth structure plus noise, so SSIM is neither ~0 nor ~1.
    a = (a + np.roll(a, 1, axis=1) + np.roll(a, 1, axis=2)) / 3
    b = np.clip(a + rng.normal(0, noise, size=a.shape), -1, 1)
    s = [structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                               data_range=2.0, channel_axis=2) for x, y in zip(a, b)]
    return {
        'name': name,
        'shape': [n, h, w, c],
        'a': [repr(v) for v in a.ravel().tolist()],
        'b': [repr(v) for v in b.ravel().tolist()],
        'ssim': float(np.mean(s)),
        'psnr': psnr(a, b, 2.0),
        'l1': float(np.mean(np.abs(a - b))),
    }


def main():
    rng = np.random.default_rng(20261203)
    cases = [
        case('rgb 2x16x16', rng, 2, 16, 16, 3, 0.1),
        case('gray 1x20x13', rng, 1, 20, 13, 1, 0.3),
        case('rgb 3x12x12 noisy', rng, 3, 12, 12, 3, 0.6),
    ]
    with open(os.path.join(OUT, 'image_quality.json'), 'w') as f:
        json.dump(cases, f)


if __name__ == '__main__':
    main()
