#!/usr/bin/env python3
"""PyTorch peer of tsgan's cgan-fmnist training step (projection discriminator), for `tsgan bench presets`.

The same networks, losses and optimizers as the preset (src/models/cgan.ts, src/train/presets.ts):
  G: [z (100), embed(y) (50)] -> Linear 6272 -> ReLU -> [128, 7, 7] -> ConvT 64 k4 s2 (no bias) -> BN -> ReLU
     -> ConvT 1 k4 s2 -> tanh
  D: x [1, 28, 28] -> SN Conv 64 k4 s2 -> LReLU .2 -> SN Conv 128 k4 s2 -> LReLU .2 -> flatten phi (6272)
     -> SN Linear 1 + <embed(y) (6272), phi>      (spectral norm: one power iteration per forward pass)
  one step: D on real + G(z, y) (hinge loss; fresh z), then G through D (-mean D(G(z', y))), Adam(beta1 0,
  beta2 0.9), lr G 1e-4, D 4e-4, then the EMA of G's weights (0.99), as tsgan's Trainer does.
Usage: python3 torch_cgan.py [--batch 64] [--steps 10] [--threads N] [--device cpu|cuda]
Prints one JSON line: {"peer": "torch", "version", "device", "threads", "batch", "train_ms_per_step" (median),
"mean_ms_per_step", "train_img_per_s" (batch / median)}.
"""
import argparse
import copy
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=64)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--device", default="cpu")
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
if a.batch < 1 or a.steps < 1 or a.warmup < 0:
    raise SystemExit("torch_cgan.py: --batch and --steps must be >= 1, --warmup >= 0")
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(0)
dev, B, Z, K, E = a.device, a.batch, 100, 10, 50


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(K, E)
        self.body = nn.Sequential(
            nn.Linear(Z + E, 7 * 7 * 128), nn.ReLU(), nn.Unflatten(1, (128, 7, 7)),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64, momentum=0.1), nn.ReLU(),
            nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z, y):
        return self.body(torch.cat([z, self.embed(y)], 1))


class ProjectionD(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(
            spectral_norm(nn.Conv2d(1, 64, 4, 2, 1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(64, 128, 4, 2, 1)), nn.LeakyReLU(0.2), nn.Flatten())
        self.linear = spectral_norm(nn.Linear(128 * 7 * 7, 1))
        self.embed = nn.Embedding(K, 128 * 7 * 7)

    def forward(self, x, y):
        phi = self.trunk(x)
        return self.linear(phi) + (self.embed(y) * phi).sum(1, keepdim=True)


G, D = Generator().to(dev), ProjectionD().to(dev)
G_ema = copy.deepcopy(G)
optG = torch.optim.Adam(G.parameters(), 1e-4, betas=(0.0, 0.9))
optD = torch.optim.Adam(D.parameters(), 4e-4, betas=(0.0, 0.9))
real = (torch.rand(B, 1, 28, 28) * 2 - 1).to(dev)  # a fixed batch: tsgan's step also gathers one from memory


def sync():
    if dev == "cuda":
        torch.cuda.synchronize()


def train_step():
    y = torch.randint(0, K, (B,), device=dev)
    with torch.no_grad():
        fake = G(torch.randn(B, Z, device=dev), y)
    dr, df = D(real, y), D(fake, y)
    loss_d = F.relu(1 - dr).mean() + F.relu(1 + df).mean()
    optD.zero_grad(set_to_none=True)
    loss_d.backward()
    optD.step()
    D.requires_grad_(False)  # no gradient for D's weights in G's step, as in tsgan's G phase
    loss_g = -D(G(torch.randn(B, Z, device=dev), y), y).mean()
    optG.zero_grad(set_to_none=True)
    loss_g.backward()
    optG.step()
    D.requires_grad_(True)
    with torch.no_grad():
        for pe, pg in zip(G_ema.parameters(), G.parameters()):
            pe.lerp_(pg, 0.01)
    # tsgan reads the losses every step on CPU backends
    loss_d.item(), loss_g.item()


for _ in range(a.warmup):
    train_step()
sync()
times = []
for _ in range(a.steps):  # each step on its own: the median, like tsgan's bench (a preempted step does not move it)
    t = time.perf_counter()
    train_step()
    sync()
    times.append(time.perf_counter() - t)
s = statistics.median(times)
print(json.dumps({"peer": "torch", "version": torch.__version__, "device": dev, "threads": torch.get_num_threads(),
                  "batch": B, "train_ms_per_step": round(s * 1000, 2), "mean_ms_per_step": round(statistics.mean(times) * 1000, 2),
                  "train_img_per_s": round(B / s, 1)}))
