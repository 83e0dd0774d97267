#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench srresnet`.

It builds SRResNet as src/models/srgan.ts does (Ledig et al. 2017: conv 9x9 + PReLU, B residual
blocks [conv 3x3 no bias, BN, PReLU, conv 3x3 no bias, BN], conv 3x3 + BN + the long skip,
log2(scale) stages [conv 3x3 to 4x width, PixelShuffle(2), PReLU], conv 9x9 to 3 channels) and times
one SRResNet training step: L1 content loss against the high-resolution batch, Adam (lr 5e-4,
betas 0.9/0.999). It prints ONE JSON line:

  {"peer": "torch", "version": ..., "threads": ..., "size": ..., "batch": ..., "params": ...,
   "train_ms_per_step": ..., "train_img_per_s": ...}

  python3 bench/torch_srresnet.py [--size 64] [--scale 4] [--batch 16] [--blocks 16] [--width 64]
      [--steps 10] [--warmup 2] [--threads N]

Debian: apt-get install -y python3-torch libopenblas0-pthread.
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.nn import functional as F


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(w, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w, momentum=0.1), nn.PReLU(w),
                                  nn.Conv2d(w, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w, momentum=0.1))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    def __init__(self, blocks, w, scale, c=3):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(c, w, 9, 1, 4), nn.PReLU(w))
        self.trunk = nn.Sequential(*[Block(w) for _ in range(blocks)])
        self.trunk_end = nn.Sequential(nn.Conv2d(w, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w))
        ups = []
        s = 1
        while s < scale:
            ups += [nn.Conv2d(w, 4 * w, 3, 1, 1), nn.PixelShuffle(2), nn.PReLU(w)]
            s *= 2
        self.up = nn.Sequential(*ups)
        self.tail = nn.Conv2d(w, c, 9, 1, 4)

    def forward(self, x):
        h = self.head(x)
        return self.tail(self.up(h + self.trunk_end(self.trunk(h))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size', type=int, default=64, help='output side')
    ap.add_argument('--scale', type=int, default=4)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--blocks', type=int, default=16)
    ap.add_argument('--width', type=int, default=64)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--threads', type=int, default=0)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    G = SRResNet(args.blocks, args.width, args.scale)
    opt = torch.optim.Adam(G.parameters(), lr=5e-4, betas=(0.9, 0.999))
    lr = torch.rand(args.batch, 3, args.size // args.scale, args.size // args.scale) * 2 - 1
    hr = torch.rand(args.batch, 3, args.size, args.size) * 2 - 1
    params = sum(p.numel() for p in G.parameters())

    def step():
        loss = F.l1_loss(G(lr), hr)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(args.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / args.steps
    cpu = (time.process_time() - c0) * 1000 / args.steps
    print(json.dumps({
        'peer': 'torch', 'version': torch.__version__, 'device': 'cpu', 'threads': torch.get_num_threads(),
        'size': args.size, 'scale': args.scale, 'batch': args.batch, 'params': params,
        'train_ms_per_step': round(ms, 2), 'train_cpu_ms_per_step': round(cpu, 2), 'train_img_per_s': round(args.batch * 1000 / ms, 1),
    }))


if __name__ == '__main__':
    main()
