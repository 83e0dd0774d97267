#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench stylegan`.

It builds the StyleGAN2 of src/models/stylegan2.ts in PyTorch (same layers and widths: mapping
network of equalized-lr dense layers with lr multiplier, learned constant, modulated convolutions in
the same non-fused formulation -- activations times the style, one shared conv2d, times the
demodulation coefficients -- noise inputs, nearest upsampling, skip toRGBs; residual D with 2x2 box
downsampling, minibatch stddev, dense head) and times the same training step:
- D: fakes from style-mixed ws (probability 0.9) with fresh noise, logistic loss on reals and fakes;
- G: new fakes, non-saturating loss.
(R1 runs every 16 steps and is not in the timed step, on both sides.)
Adam lr 0.0025, betas (0, 0.99). It prints ONE JSON line:

  {"peer": "torch", "version": ..., "threads": ..., "params": ..., "train_ms_per_step": ...,
   "train_cpu_ms_per_step": ..., "train_img_per_s": ...}

  python3 bench/torch_stylegan.py [--size 32] [--channels 1] [--batch 16] [--steps 10]
      [--zdim 64] [--wdim 64] [--mapping 8] [--channel-base 512] [--channel-max 64] [--threads N]

Debian: apt-get install -y python3-torch libopenblas0-pthread.
"""
import argparse
import json
import math
import random
import time

import torch
from torch import nn
from torch.nn import functional as F


def lrelu(x):
    return F.leaky_relu(x, 0.2) * math.sqrt(2)


class EqDense(nn.Module):
    def __init__(self, cin, cout, lr_mul=1.0, bias_init=0.0, act=False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin) / lr_mul)
        self.bias = nn.Parameter(torch.full([cout], bias_init / lr_mul))
        self.gain = lr_mul / math.sqrt(cin)
        self.lr_mul = lr_mul
        self.act = act

    def forward(self, x):
        y = F.linear(x, self.weight * self.gain, self.bias * self.lr_mul)
        return lrelu(y) if self.act else y


class EqConv(nn.Module):
    def __init__(self, cin, cout, k, bias=True, act=False, gain=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.wgain = 1 / math.sqrt(cin * k * k)
        self.k = k
        self.act = act
        self.gain = gain

    def forward(self, x):
        y = F.conv2d(x, self.weight * self.wgain, self.bias, padding=self.k // 2)
        if self.act:
            y = lrelu(y)
        return y * self.gain if self.gain != 1 else y


class ModConv(nn.Module):
    def __init__(self, cin, cout, k, wdim, demod=True, noise=True, act=True):
        super().__init__()
        self.affine = EqDense(wdim, cin, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.noise_strength = nn.Parameter(torch.zeros([])) if noise else None
        self.bias = nn.Parameter(torch.zeros(cout))
        self.k, self.demod, self.act = k, demod, act

    def forward(self, x, w, noise=None):
        s = self.affine(w)  # [N, Cin]
        wt = self.weight / math.sqrt(self.weight[0].numel())
        y = F.conv2d(x * s[:, :, None, None], wt, padding=self.k // 2)  # shared convolution
        if self.demod:
            d = torch.rsqrt((s * s) @ wt.square().sum([2, 3]).t() + 1e-8)  # [N, Cout]
            y = y * d[:, :, None, None]
        if self.noise_strength is not None and noise is not None:
            y = y + noise * self.noise_strength
        y = y + self.bias[None, :, None, None]
        return lrelu(y) if self.act else y


def ch(res, base, cmax):
    return min(base // res, cmax)


class Generator(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        layers = []
        cin = a.zdim
        for _ in range(a.mapping):
            layers.append(EqDense(cin, a.wdim, lr_mul=0.01, act=True))
            cin = a.wdim
        self.mapping = nn.ModuleList(layers)
        c4 = ch(4, a.channel_base, a.channel_max)
        self.const = nn.Parameter(torch.randn(1, c4, 4, 4))
        self.convs = nn.ModuleList([ModConv(c4, c4, 3, a.wdim)])
        self.rgbs = nn.ModuleList([ModConv(c4, a.channels, 1, a.wdim, demod=False, noise=False, act=False)])
        self.sides = [4]
        prev = c4
        r = 8
        while r <= a.size:
            c = ch(r, a.channel_base, a.channel_max)
            self.convs.append(ModConv(prev, c, 3, a.wdim))
            self.convs.append(ModConv(c, c, 3, a.wdim))
            self.rgbs.append(ModConv(c, a.channels, 1, a.wdim, demod=False, noise=False, act=False))
            self.sides += [r, r]
            prev = c
            r *= 2
        self.num_ws = 2 * int(math.log2(a.size)) - 2

    def map(self, z):
        x = z * torch.rsqrt(z.square().mean(1, keepdim=True) + 1e-8)
        for layer in self.mapping:
            x = layer(x)
        return x

    def forward(self, n):
        w1 = self.map(torch.randn(n, self.a.zdim))
        ws = [w1] * self.num_ws
        if random.random() < 0.9:
            cut = random.randint(1, self.num_ws - 1)
            w2 = self.map(torch.randn(n, self.a.zdim))
            ws = ws[:cut] + [w2] * (self.num_ws - cut)
        noises = [torch.randn(n, 1, s, s) for s in self.sides]
        x = self.const.expand(n, -1, -1, -1)
        x = self.convs[0](x, ws[0], noises[0])
        img = self.rgbs[0](x, ws[1])
        wi, ni = 1, 1
        for b in range(1, len(self.rgbs)):
            x = F.interpolate(x, scale_factor=2, mode='nearest')
            x = self.convs[2 * b - 1](x, ws[wi], noises[ni])
            x = self.convs[2 * b](x, ws[wi + 1], noises[ni + 1])
            wi, ni = wi + 2, ni + 2
            img = F.interpolate(img, scale_factor=2, mode='nearest') + self.rgbs[b](x, ws[wi])
        return img


class Discriminator(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.frgb = EqConv(a.channels, ch(a.size, a.channel_base, a.channel_max), 1, act=True)
        self.blocks = nn.ModuleList()
        r = a.size
        h = math.sqrt(0.5)
        while r > 4:
            c0, c1 = ch(r, a.channel_base, a.channel_max), ch(r // 2, a.channel_base, a.channel_max)
            self.blocks.append(nn.ModuleList([EqConv(c0, c0, 3, act=True), EqConv(c0, c1, 3, act=True, gain=h),
                                              EqConv(c0, c1, 1, bias=False, gain=h)]))
            r //= 2
        c4 = ch(4, a.channel_base, a.channel_max)
        self.conv = EqConv(c4 + 1, c4, 3, act=True)
        self.fc = EqDense(c4 * 16, c4, act=True)
        self.out = EqDense(c4, 1)

    def forward(self, x):
        x = self.frgb(x)
        for conv0, conv1, skip in self.blocks:
            s = skip(F.avg_pool2d(x, 2))
            y = conv1(F.avg_pool2d(conv0(x), 2))
            x = s + y
        n, c, hh, ww = x.shape
        g = min(4, n)
        y = x.reshape(g, -1, c, hh, ww)
        y = (y - y.mean(0)).square().mean(0).add(1e-8).sqrt().mean([1, 2, 3])  # [M]
        y = y.reshape(-1, 1, 1, 1).repeat(g, 1, hh, ww)
        x = torch.cat([x, y], 1)
        x = self.conv(x)
        return self.out(self.fc(x.permute(0, 2, 3, 1).flatten(1)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--channels', type=int, default=1)
    p.add_argument('--batch', type=int, default=16)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--zdim', type=int, default=64)
    p.add_argument('--wdim', type=int, default=64)
    p.add_argument('--mapping', type=int, default=8)
    p.add_argument('--channel-base', type=int, default=512)
    p.add_argument('--channel-max', type=int, default=64)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    random.seed(1)
    G, D = Generator(a), Discriminator(a)
    params = sum(q.numel() for q in G.parameters()) + sum(q.numel() for q in D.parameters())
    oG = torch.optim.Adam(G.parameters(), lr=0.0025, betas=(0, 0.99))
    oD = torch.optim.Adam(D.parameters(), lr=0.0025 * 16 / 17, betas=(0, 0.99))
    real = torch.rand(a.batch * 4, a.channels, a.size, a.size) * 2 - 1

    def step(i):
        x = real[(i % 4) * a.batch:(i % 4 + 1) * a.batch]
        with torch.no_grad():
            fake = G(a.batch)
        loss_d = F.softplus(-D(x)).mean() + F.softplus(D(fake)).mean()
        oD.zero_grad(set_to_none=True)
        loss_d.backward()
        oD.step()
        # D's weights get no gradient in G's step (the reference sets requires_grad only on the
        # phase's own module), as in tsgan's G phase.
        D.requires_grad_(False)
        loss_g = F.softplus(-D(G(a.batch))).mean()
        oG.zero_grad(set_to_none=True)
        loss_g.backward()
        oG.step()
        D.requires_grad_(True)

    for i in range(a.warmup):
        step(i)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(a.steps):
        step(i)
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    cpu = (time.process_time() - c0) * 1000 / a.steps
    print(json.dumps({'peer': 'torch', 'version': torch.__version__, 'device': 'cpu', 'threads': a.threads,
                      'params': params, 'size': a.size, 'batch': a.batch, 'train_ms_per_step': round(ms, 2),
                      'train_cpu_ms_per_step': round(cpu, 2), 'train_img_per_s': round(a.batch * 1000 / ms, 1)}))


if __name__ == '__main__':
    main()
