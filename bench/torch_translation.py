#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench translation`.

It builds the networks of src/models/pix2pix.ts and src/models/cyclegan.ts (same layers, widths,
instance norm, reflection padding, dropout) in PyTorch and times the same training step:
- pix2pix: G's update (BCE adversarial + 100 L1) on a batch, then D's on the same batch and the
  same (detached) fakes;
- cyclegan: the generators' update (least squares + cycle 10 + identity 5), then D_A and D_B on
  fakes through history pools of 50.
Adam lr 2e-4, betas 0.5/0.999. It prints ONE JSON line:

  {"peer": "torch", "version": ..., "device": "cpu", "threads": ..., "model": ..., "size": ...,
   "batch": ..., "train_ms_per_step": ..., "train_img_per_s": ...}

  python3 bench/torch_translation.py --model pix2pix|cyclegan [--size 64] [--batch 4] [--steps 10]
      [--width 64] [--blocks 6] [--threads N]

Debian: apt-get install -y python3-torch libopenblas0-pthread.
"""
import argparse
import json
import random
import time

import torch
from torch import nn
from torch.nn import functional as F


def same_pad(k):
    """tfjs 'same' padding for a stride-1 convolution with an even kernel: 1 before, 2 after (k=4)."""
    total = k - 1
    return nn.ZeroPad2d((total // 2, total - total // 2, total // 2, total - total // 2))


class UNet(nn.Module):
    """pix2pix's U-Net as src/models/pix2pix.ts builds it (instance norm, dropout in 3 blocks)."""

    def __init__(self, size, cin, cout, ngf, dropout_blocks=3):
        super().__init__()
        self.levels = size.bit_length() - 1
        width = [ngf * min(2 ** i, 8) for i in range(self.levels)]
        self.down = nn.ModuleList()
        prev = cin
        for i in range(self.levels):
            innermost = i == self.levels - 1
            layers = []
            if i > 0:
                layers.append(nn.LeakyReLU(0.2))
            layers.append(nn.Conv2d(prev, width[i], 4, 2, 1, bias=(i == 0 or innermost)))
            if i > 0 and not innermost:
                layers.append(nn.InstanceNorm2d(width[i]))
            self.down.append(nn.Sequential(*layers))
            prev = width[i]
        self.up = nn.ModuleList()
        for i in range(self.levels - 1, 0, -1):
            cin_up = width[i] if i == self.levels - 1 else 2 * width[i]
            layers = [nn.ReLU(), nn.ConvTranspose2d(cin_up, width[i - 1], 4, 2, 1, bias=False),
                      nn.InstanceNorm2d(width[i - 1])]
            from_innermost = self.levels - 1 - i
            if 1 <= from_innermost <= dropout_blocks:
                layers.append(nn.Dropout(0.5))
            self.up.append(nn.Sequential(*layers))
        self.out = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(2 * width[0], cout, 4, 2, 1), nn.Tanh())

    def forward(self, x):
        skips = []
        h = x
        for d in self.down:
            h = d(h)
            skips.append(h)
        for j, u in enumerate(self.up):
            i = self.levels - 1 - j
            h = torch.cat([u(h), skips[i - 1]], 1)
        return self.out(h)


def patch_gan(cin, ndf, layers, norm_first_bias=True):
    """The PatchGAN of both model files: `layers` strided 4x4 convolutions, a stride-1 one, then logits."""
    width = [ndf * min(2 ** i, 8) for i in range(layers + 1)]
    mods = []
    prev = cin
    for i in range(layers):
        mods.append(nn.Conv2d(prev, width[i], 4, 2, 1, bias=(i == 0) or norm_first_bias))
        if i > 0:
            mods.append(nn.InstanceNorm2d(width[i]))
        mods.append(nn.LeakyReLU(0.2))
        prev = width[i]
    mods += [same_pad(4), nn.Conv2d(prev, width[layers], 4, 1, 0, bias=norm_first_bias),
             nn.InstanceNorm2d(width[layers]), nn.LeakyReLU(0.2),
             same_pad(4), nn.Conv2d(width[layers], 1, 4, 1, 0)]
    return nn.Sequential(*mods)


class ResnetBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c), nn.ReLU(),
                                  nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


def resnet_generator(cin, cout, ngf, blocks):
    """CycleGAN's generator as src/models/cyclegan.ts builds it."""
    mods = [nn.ReflectionPad2d(3), nn.Conv2d(cin, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(),
            nn.Conv2d(ngf, 2 * ngf, 3, 2, 1), nn.InstanceNorm2d(2 * ngf), nn.ReLU(),
            nn.Conv2d(2 * ngf, 4 * ngf, 3, 2, 1), nn.InstanceNorm2d(4 * ngf), nn.ReLU()]
    mods += [ResnetBlock(4 * ngf) for _ in range(blocks)]
    mods += [nn.ConvTranspose2d(4 * ngf, 2 * ngf, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(2 * ngf), nn.ReLU(),
             nn.ConvTranspose2d(2 * ngf, ngf, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(ngf), nn.ReLU(),
             nn.ReflectionPad2d(3), nn.Conv2d(ngf, cout, 7), nn.Tanh()]
    return nn.Sequential(*mods)


class Pool:
    def __init__(self, size):
        self.size = size
        self.images = []

    def query(self, fakes):
        out = []
        for img in fakes.detach():
            img = img.unsqueeze(0)
            if len(self.images) < self.size:
                self.images.append(img)
                out.append(img)
            elif random.random() < 0.5:
                j = random.randrange(self.size)
                out.append(self.images[j])
                self.images[j] = img
            else:
                out.append(img)
        return torch.cat(out, 0)


def adam(params):
    return torch.optim.Adam(params, lr=2e-4, betas=(0.5, 0.999))


def count(*nets):
    return sum(p.numel() for n in nets for p in n.parameters())


def pix2pix_step(args):
    s = args.size
    G = UNet(s, 3, 3, args.width)
    D = patch_gan(6, args.width, 3 if s >= 128 else 2 if s >= 64 else 1, norm_first_bias=False)
    oG, oD = adam(G.parameters()), adam(D.parameters())
    x = torch.rand(args.batch, 3, s, s) * 2 - 1
    y = torch.rand(args.batch, 3, s, s) * 2 - 1
    bce = nn.BCEWithLogitsLoss()
    args.params = count(G, D)

    def step():
        fake = G(x)
        for p in D.parameters():
            p.requires_grad_(False)
        logits = D(torch.cat([x, fake], 1))
        loss_g = bce(logits, torch.ones_like(logits)) + 100 * F.l1_loss(fake, y)
        oG.zero_grad(set_to_none=True)
        loss_g.backward()
        oG.step()
        for p in D.parameters():
            p.requires_grad_(True)
        real = D(torch.cat([x, y], 1))
        fk = D(torch.cat([x, fake.detach()], 1))
        loss_d = 0.5 * (bce(real, torch.ones_like(real)) + bce(fk, torch.zeros_like(fk)))
        oD.zero_grad(set_to_none=True)
        loss_d.backward()
        oD.step()

    return step


def cyclegan_step(args):
    s = args.size
    layers = 3 if s >= 128 else 2 if s >= 64 else 1
    G_AB, G_BA = resnet_generator(3, 3, args.width, args.blocks), resnet_generator(3, 3, args.width, args.blocks)
    D_A, D_B = patch_gan(3, args.width, layers), patch_gan(3, args.width, layers)
    oG = adam(list(G_AB.parameters()) + list(G_BA.parameters()))
    oDA, oDB = adam(D_A.parameters()), adam(D_B.parameters())
    pool_a, pool_b = Pool(50), Pool(50)
    a = torch.rand(args.batch, 3, s, s) * 2 - 1
    b = torch.rand(args.batch, 3, s, s) * 2 - 1
    args.params = count(G_AB, G_BA, D_A, D_B)

    def mse(t, v):
        return torch.mean((t - v) ** 2)

    def step():
        for D in (D_A, D_B):
            for p in D.parameters():
                p.requires_grad_(False)
        n = a.shape[0]
        if args.grouped:
            # tsgan's order: three generator calls on the concatenated inputs (the same losses).
            ba = G_BA(torch.cat([b, a]))
            fake_a, idt_a = ba[:n], ba[n:]
            ab = G_AB(torch.cat([a, b, fake_a]))
            fake_b, idt_b, rec_b = ab[:n], ab[n:2 * n], ab[2 * n:]
            rec_a = G_BA(fake_b)
        else:
            # The reference's order: six generator calls.
            fake_b, fake_a = G_AB(a), G_BA(b)
            rec_a, rec_b = G_BA(fake_b), G_AB(fake_a)
            idt_b, idt_a = G_AB(b), G_BA(a)
        loss = mse(D_B(fake_b), 1) + mse(D_A(fake_a), 1)
        loss = loss + 10 * (F.l1_loss(rec_a, a) + F.l1_loss(rec_b, b))
        loss = loss + 5 * (F.l1_loss(idt_b, b) + F.l1_loss(idt_a, a))
        oG.zero_grad(set_to_none=True)
        loss.backward()
        oG.step()
        for D, opt, real, fake, pool in ((D_A, oDA, a, fake_a, pool_a), (D_B, oDB, b, fake_b, pool_b)):
            for p in D.parameters():
                p.requires_grad_(True)
            f = pool.query(fake)
            if args.grouped:
                out = D(torch.cat([real, f]))
                ld = 0.5 * (mse(out[:n], 1) + mse(out[n:], 0))
            else:
                ld = 0.5 * (mse(D(real), 1) + mse(D(f), 0))
            opt.zero_grad(set_to_none=True)
            ld.backward()
            opt.step()

    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', choices=['pix2pix', 'cyclegan'], required=True)
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--width', type=int, default=64)
    ap.add_argument('--blocks', type=int, default=6)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--grouped', action='store_true',
                    help="cyclegan: tsgan's three generator calls on concatenated inputs (default: the reference's six)")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    random.seed(0)
    step = pix2pix_step(args) if args.model == 'pix2pix' else cyclegan_step(args)
    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(args.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / args.steps
    cpu_ms = (time.process_time() - c0) * 1000 / args.steps
    print(json.dumps({
        'peer': 'torch', 'version': torch.__version__, 'device': 'cpu', 'threads': torch.get_num_threads(),
        'model': args.model, 'size': args.size, 'batch': args.batch, 'params': args.params,
        'train_ms_per_step': round(ms, 2), 'train_img_per_s': round(args.batch * 1000 / ms, 1),
        'train_cpu_ms_per_step': round(cpu_ms, 2),
    }))


if __name__ == '__main__':
    main()
