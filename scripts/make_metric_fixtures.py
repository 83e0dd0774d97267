#!/usr/bin/python3
"""Float64 reference values for tsgan's metrics (test/fixtures/metrics/*.json).

A deliberately plain numpy/scipy implementation of each definition, independent of the
TypeScript code, run once to produce fixtures that are committed (CI needs no Python):

  /usr/bin/python3 scripts/make_metric_fixtures.py     # Debian: python3-numpy python3-scipy

Each fixture holds the feature sets (float64, printed with repr so they round-trip exactly) and the
values computed from them:
  FID   ||mu1-mu2||^2 + tr C1 + tr C2 - 2 tr sqrtm(C1 C2), scipy.linalg.sqrtm, np.cov (ddof 1)
  KID   unbiased MMD^2, kernel (x.y/d + 1)^3, subsets drawn with mulberry32 + partial Fisher-Yates
        (the same stream as src/metrics/rng.ts), mean and population std over subsets
  IS    10 splits at floor(k N / 10), exp(mean KL(p(y|x) || p(y))), mean and population std
  PR    improved precision/recall, k=3, balls of radius = k-th NN distance, inclusive (<=)
  D&C   density/coverage, k=5, strict (<)
  resize  PIL Image.resize(BICUBIC) of float ('F' mode) planes, the clean-fid resizing (python3-pil)
"""
import json
import os

import numpy as np
from scipy import linalg
from scipy.spatial.distance import cdist

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'metrics')
M32 = 0xFFFFFFFF


class Mulberry32:
    """mulberry32 on uint32 arithmetic (identical to the JS version modulo 2^32)."""

    def __init__(self, seed):
        self.a = seed & M32

    def __call__(self):
        self.a = (self.a + 0x6D2B79F5) & M32
        t = self.a
        t = ((t ^ (t >> 15)) * (t | 1)) & M32
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0


def sample_without_replacement(rand, n, m):
    idx = list(range(n))
    for i in range(m):
        j = i + int(np.floor(rand() * (n - i)))
        idx[i], idx[j] = idx[j], idx[i]
    return idx[:m]


def fid(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        off = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + off).dot(s2 + off))
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def mmd2_poly(x, y):
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = x.shape[0], y.shape[0]
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
                 + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.sum() / (m * n))


def kid(x, y, subsets, size, seed):
    m = min(size, x.shape[0], y.shape[0])
    rand = Mulberry32(seed)
    vals = []
    for _ in range(subsets):
        ix = sample_without_replacement(rand, x.shape[0], m)
        iy = sample_without_replacement(rand, y.shape[0], m)
        vals.append(mmd2_poly(x[ix], y[iy]))
    vals = np.array(vals)
    return {'mean': float(vals.mean()), 'std': float(vals.std()), 'values': [float(v) for v in vals], 'subsetSize': m}


def inception_score(p, splits=10):
    n = p.shape[0]
    scores = []
    for k in range(splits):
        part = p[(k * n) // splits:((k + 1) * n) // splits]
        py = part.mean(0, keepdims=True)
        kl = part * (np.log(part) - np.log(py))
        scores.append(np.exp(kl.sum(1).mean()))
    scores = np.array(scores)
    return {'mean': float(scores.mean()), 'std': float(scores.std()), 'values': [float(s) for s in scores]}


def kth_nn(x, k):
    d = cdist(x, x)
    return np.partition(d, k, axis=1)[:, k]


def precision_recall(real, fake, k=3):
    rr, rf = kth_nn(real, k), kth_nn(fake, k)
    d = cdist(fake, real)  # [fake, real]
    precision = float((d <= rr[None, :]).any(1).mean())
    recall = float((d.T <= rf[None, :]).any(1).mean())
    return {'precision': precision, 'recall': recall}


def density_coverage(real, fake, k=5):
    r = kth_nn(real, k)
    d = cdist(real, fake)  # [real, fake]
    inside = d < r[:, None]
    return {'density': float(inside.sum() / (k * fake.shape[0])), 'coverage': float(inside.any(1).mean())}


def softmax(z):
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def feat(a):
    return {'n': int(a.shape[0]), 'dim': int(a.shape[1]), 'data': [float(v) for v in a.ravel()]}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', name)


def main():
    rs = np.random.RandomState(20261127)
    cases = []
    # Correlated Gaussians, different means and covariances, different sizes.
    for name, n1, n2, d, shift in [('shifted-8d', 300, 250, 8, 0.5), ('close-16d', 400, 350, 16, 0.05), ('far-24d', 200, 260, 24, 1.0)]:
        a1 = rs.randn(d, d) / np.sqrt(d)
        a2 = a1 + 0.3 * rs.randn(d, d) / np.sqrt(d)
        x = rs.randn(n1, d) @ a1 + rs.randn(d) * 0.2
        y = rs.randn(n2, d) @ a2 + shift
        case = {'name': name, 'real': feat(x), 'fake': feat(y), 'fid': fid(x, y), 'fidSelf': fid(x, x),
                'mmd2Full': mmd2_poly(x, y),
                'kid': kid(x, y, subsets=10, size=100, seed=7),
                'precisionRecall': precision_recall(x, y, 3),
                'densityCoverage': density_coverage(x, y, 5)}
        cases.append(case)
    write('features.json', {'generator': 'scripts/make_metric_fixtures.py', 'cases': cases})

    is_cases = []
    for name, n, c, temp in [('sharp-500', 500, 10, 4.0), ('flat-503', 503, 10, 0.3), ('many-300', 300, 37, 2.0)]:
        p = softmax(rs.randn(n, c) * temp)
        is_cases.append({'name': name, 'probs': feat(p), 'is': inception_score(p, 10)})
    write('inception_score.json', {'generator': 'scripts/make_metric_fixtures.py', 'cases': is_cases})

    eig_cases = []
    for d in [5, 33]:
        b = rs.randn(d, d)
        s = (b + b.T) / 2
        eig_cases.append({'d': d, 'matrix': [float(v) for v in s.ravel()], 'eigenvalues': [float(v) for v in linalg.eigvalsh(s)]})
    write('eigen.json', {'generator': 'scripts/make_metric_fixtures.py', 'cases': eig_cases})

    from PIL import Image
    resize_cases = []
    for (h, w, oh, ow) in [(5, 7, 13, 11), (20, 17, 6, 9), (28, 28, 57, 57), (12, 12, 12, 5)]:
        plane = np.round(rs.rand(h, w) * 255).astype(np.float32)
        out = np.asarray(Image.fromarray(plane, mode='F').resize((ow, oh), resample=Image.BICUBIC), dtype=np.float64)
        resize_cases.append({'h': h, 'w': w, 'outH': oh, 'outW': ow, 'input': [float(v) for v in plane.ravel()],
                             'output': [float(v) for v in out.ravel()]})
    write('resize.json', {'generator': 'scripts/make_metric_fixtures.py', 'cases': resize_cases})

    # The mulberry32 stream itself and one subset draw, to pin the sampler.
    r = Mulberry32(7)
    stream = [r() for _ in range(5)]
    r = Mulberry32(123)
    write('rng.json', {'seed7': stream, 'seed123Draw': {'n': 50, 'm': 10, 'indices': sample_without_replacement(r, 50, 10)}})


if __name__ == '__main__':
    main()
