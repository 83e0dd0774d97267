#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench mocogan`.

It builds the networks of src/models/mocogan.ts in PyTorch and times the same training step:
- G: a GRUCell over per-frame noise (h0 from the latent), its states minus each clip's mean over the
  frames (centerMotion), the content code repeated over the frames, a DCGAN image generator on all N*T frames at once (Linear, ReLU, 4x4 stride-2 transposed
  convolutions with BatchNorm and ReLU, tanh);
- D_I: the DCGAN discriminator (4x4 stride-2 convolutions, BatchNorm after the second and third,
  LeakyReLU 0.2, a linear logit) on one random frame of each clip;
- D_V: (2+1)-D blocks: a 4x4 stride-2 convolution of every frame, LeakyReLU, a temporal convolution
  (kernel 4, no padding while the clip is long enough), LeakyReLU; a linear logit.
One step: one Adam step of both discriminators on clips of the current G (generated without
gradients), then G's update on new clips (non-saturating loss from both discriminators). Adam lr
2e-4, betas 0.5/0.999.
The (2+1)-D convolutions run either as Conv3d with (1, 4, 4) and (kt, 1, 1) kernels ("3d", what a
PyTorch user writes) or as Conv2d on reshaped views ("2d", what tsgan does); --conv best (default)
times both and reports the faster as the peer, with both figures in the JSON line:

  {"peer": "torch", "version": ..., "threads": ..., "params": ..., "train_ms_per_step": ...,
   "train_clips_per_s": ..., "conv": "2d"|"3d", "ms_2d": ..., "ms_3d": ...}

  python3 bench/torch_mocogan.py [--size 32] [--channels 3] [--frames 16] [--batch 16] [--steps 10]
      [--width 32] [--threads N] [--conv best|2d|3d]
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.nn import functional as F


class Generator(nn.Module):
    def __init__(self, size, channels, frames, dc, dm, de, ngf):
        super().__init__()
        self.frames, self.dc, self.dm, self.de = frames, dc, dm, de
        self.gru = nn.GRUCell(de, dm)
        ups = {32: 3, 64: 4}[size]
        c0 = ngf * 2 ** (ups - 1)
        self.c0 = c0
        self.fc = nn.Linear(dc + dm, 4 * 4 * c0)
        mods = []
        for i in range(1, ups):
            c = ngf * 2 ** (ups - 1 - i)
            mods += [nn.ConvTranspose2d(c0 if i == 1 else 2 * c, c, 4, 2, 1, bias=False), nn.BatchNorm2d(c, momentum=0.1),
                     nn.ReLU()]
        mods += [nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh()]
        self.body = nn.Sequential(*mods)

    def forward(self, z):
        n, t = z.shape[0], self.frames
        content, h, noise = torch.split(z, [self.dc, self.dm, t * self.de], 1)
        noise = noise.reshape(n, t, self.de)
        hs = []
        for f in range(t):
            h = self.gru(noise[:, f], h)
            hs.append(h)
        motion = torch.stack(hs, 1)  # [N, T, M]
        motion = motion - motion.mean(1, keepdim=True)  # centerMotion
        codes = torch.cat([content.unsqueeze(1).expand(n, t, self.dc), motion], 2).reshape(n * t, -1)
        x = F.relu(self.fc(codes)).reshape(n * t, self.c0, 4, 4)
        out = self.body(x)  # [N*T, C, H, W]
        return out.reshape(n, t, *out.shape[1:])  # [N, T, C, H, W]


def image_discriminator(size, channels, ndf):
    ups = {32: 3, 64: 4}[size]
    mods, prev = [], channels
    for i in range(ups):
        bn = i > 0
        mods += [nn.Conv2d(prev, ndf * 2 ** i, 4, 2, 1, bias=not bn)]
        mods += [nn.BatchNorm2d(ndf * 2 ** i, momentum=0.1)] if bn else []
        mods += [nn.LeakyReLU(0.2)]
        prev = ndf * 2 ** i
    return nn.Sequential(*mods, nn.Flatten(), nn.Linear(prev * 4 * 4, 1))


class VideoDiscriminator(nn.Module):
    def __init__(self, size, channels, frames, ndf, kt, conv):
        super().__init__()
        ups = {32: 3, 64: 4}[size]
        self.conv = conv
        self.spatial, self.temporal, self.pads = nn.ModuleList(), nn.ModuleList(), []
        prev, t = channels, frames
        for i in range(ups):
            c = ndf * 2 ** i
            valid = t - (kt - 1) >= 2
            self.pads.append(0 if valid else kt - 1)
            if conv == "3d":
                self.spatial.append(nn.Conv3d(prev, c, (1, 4, 4), (1, 2, 2), (0, 1, 1)))
                self.temporal.append(nn.Conv3d(c, c, (kt, 1, 1)))
            else:
                self.spatial.append(nn.Conv2d(prev, c, 4, 2, 1))
                self.temporal.append(nn.Conv2d(c, c, (kt, 1)))
            if valid:
                t -= kt - 1
            prev = c
        self.fc = nn.Linear(prev * t * 4 * 4, 1)

    def forward(self, x):  # [N, T, C, H, W]
        n = x.shape[0]
        if self.conv == "3d":
            h = x.transpose(1, 2)  # [N, C, T, H, W]
            for s, tc, p in zip(self.spatial, self.temporal, self.pads):
                h = F.leaky_relu(s(h), 0.2)
                if p:
                    h = F.pad(h, (0, 0, 0, 0, (p) // 2, p - p // 2))
                h = F.leaky_relu(tc(h), 0.2)
            return self.fc(h.reshape(n, -1))
        h = x
        for s, tc, p in zip(self.spatial, self.temporal, self.pads):
            t = h.shape[1]
            y = F.leaky_relu(s(h.reshape(n * t, *h.shape[2:])), 0.2)  # [N*T, C, H', W']
            c, hh, ww = y.shape[1:]
            y = y.reshape(n, t, c, hh * ww).permute(0, 2, 1, 3)  # [N, C, T, H'W']
            if p:
                y = F.pad(y, (0, 0, p // 2, p - p // 2))
            y = F.leaky_relu(tc(y), 0.2)  # [N, C, T', H'W']
            h = y.permute(0, 2, 1, 3).reshape(n, y.shape[2], c, hh, ww)
        return self.fc(h.reshape(n, -1))


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def time_step(a, conv):
    torch.manual_seed(1)
    dc, dm, de = 50, 10, 10
    G = Generator(a.size, a.channels, a.frames, dc, dm, de, a.width)
    DI = image_discriminator(a.size, a.channels, a.width)
    DV = VideoDiscriminator(a.size, a.channels, a.frames, a.width, 4, conv)
    params = sum(p.numel() for m in (G, DI, DV) for p in m.parameters())
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(list(DI.parameters()) + list(DV.parameters()), lr=2e-4, betas=(0.5, 0.999))
    n, t = a.batch, a.frames
    real = torch.rand(n, t, a.channels, a.size, a.size) * 2 - 1
    latent = dc + dm + t * de

    def frames(clips):
        idx = torch.arange(n) * t + torch.randint(0, t, (n,))
        return clips.reshape(n * t, *clips.shape[2:])[idx]

    def step():
        with torch.no_grad():
            fake = G(torch.randn(n, latent))
        d_loss = (bce(DI(frames(real)), 1) + bce(DI(frames(fake)), 0)
                  + bce(DV(real), 1) + bce(DV(fake), 0))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        fake = G(torch.randn(n, latent))
        DI.requires_grad_(False)  # no gradient for the discriminators' weights in G's step,
        DV.requires_grad_(False)  # as in tsgan's G phase
        g_loss = bce(DI(frames(fake)), 1) + bce(DV(fake), 1)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        DI.requires_grad_(True)
        DV.requires_grad_(True)

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    return (time.perf_counter() - t0) / a.steps * 1000, params


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--conv", choices=["best", "2d", "3d"], default="best")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    ms = {}
    params = 0
    for conv in (["2d", "3d"] if a.conv == "best" else [a.conv]):
        ms[conv], params = time_step(a, conv)
    best = min(ms, key=ms.get)
    print(json.dumps({
        "peer": "torch", "version": torch.__version__, "device": "cpu", "threads": torch.get_num_threads(),
        "size": a.size, "frames": a.frames, "batch": a.batch, "params": params,
        "train_ms_per_step": round(ms[best], 2), "train_clips_per_s": round(a.batch * 1000 / ms[best], 2),
        "conv": best, **{f"ms_{k}": round(v, 2) for k, v in ms.items()},
    }))


if __name__ == "__main__":
    main()
