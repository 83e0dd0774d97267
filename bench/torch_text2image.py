#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench text2image`.

It builds the networks of src/models/text2image.ts (GAN-INT-CLS) and src/text/encoder.ts in
PyTorch and times the same training step:
- CLIP: the text encoder T (embedding, masked mean, MLP, unit length) and the image encoder I
  (three stride-2 4x4 convolutions, LeakyReLU 0.2, dense, unit length) on the symmetric
  contrastive loss (logit scale 10);
- D: matching-aware (GAN-CLS): the loss (hinge or BCE) on D(real, right), D(fake, right),
  D(real, wrong) with weights 1, 1/2, 1/2; the fakes are made by G without a gradient, the sentence
  embeddings by T likewise;
- G: the loss on D(G(z, t), t) plus GAN-INT's term on embeddings halfway between each caption and
  the next of the batch.
G and D read the unit sentence embedding times sqrt(64). G: dense on the sentence (64 -> 64,
LeakyReLU 0.2) concatenated with z (100), DCGAN body at 32x32 (dense to 4x4x4w, transposed
convolutions with BatchNorm and ReLU, tanh). D: DCGAN trunk to 4x4x4w, then either the projection
head (--discriminator projection, the t2i presets': dense logit of the features plus their dot
product with W e; with --spectral-norm on every D layer and --loss hinge) or the paper's concat
head (conv1x1(features) + W t, t: dense 64 -> 64, LeakyReLU; LeakyReLU, dense logit).
Adam lr 2e-4, betas 0.5/0.999. It prints ONE JSON line:

  {"peer": "torch", "version": ..., "threads": ..., "batch": ..., "params": ...,
   "train_ms_per_step": ..., "train_img_per_s": ..., "train_cpu_ms_per_step": ...}

  python3 bench/torch_text2image.py [--batch 64] [--width 32] [--vocab 40] [--maxlen 8] [--steps 10]
      [--warmup 2] [--threads N] [--discriminator projection|concat] [--spectral-norm]
      [--loss hinge|nonsaturating]
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.nn import functional as F


class TextEncoder(nn.Module):
    def __init__(self, vocab, word=64, hidden=128, embed=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, word)
        self.fc1 = nn.Linear(word, hidden)
        self.fc2 = nn.Linear(hidden, embed)

    def forward(self, ids):
        mask = (ids != 0).float().unsqueeze(2)  # [N, L, 1]
        h = (self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1)
        return F.normalize(self.fc2(F.relu(self.fc1(h))), dim=1, eps=1e-6)


def trunk(width, ups=3):
    layers, prev = [], 3
    for i in range(ups):
        c = width * 2 ** i
        layers += [nn.Conv2d(prev, c, 4, 2, 1), nn.LeakyReLU(0.2)]
        prev = c
    return nn.Sequential(*layers), prev


class ImageEncoder(nn.Module):
    def __init__(self, width=32, embed=64):
        super().__init__()
        self.trunk, c = trunk(width)
        self.fc = nn.Linear(c * 16, embed)

    def forward(self, x):
        return F.normalize(self.fc(self.trunk(x).flatten(1)), dim=1, eps=1e-6)


class Generator(nn.Module):
    def __init__(self, width, latent=100, embed=64, cond=64):
        super().__init__()
        self.cond = nn.Linear(embed, cond)
        c0 = width * 4
        self.c0 = c0
        self.fc = nn.Linear(latent + cond, 16 * c0)
        self.body = nn.Sequential(
            nn.ConvTranspose2d(c0, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2, momentum=0.1), nn.ReLU(),
            nn.ConvTranspose2d(width * 2, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width, momentum=0.1), nn.ReLU(),
            nn.ConvTranspose2d(width, 3, 4, 2, 1), nn.Tanh())

    def forward(self, z, e):
        c = F.leaky_relu(self.cond(e), 0.2)
        h = F.relu(self.fc(torch.cat([z, c], 1))).view(-1, self.c0, 4, 4)
        return self.body(h)


class Discriminator(nn.Module):
    def __init__(self, width, embed=64, cond=64):
        super().__init__()
        self.trunk, cd = trunk(width)
        self.t = nn.Linear(embed, cond)
        self.wt = nn.Linear(cond, cd, bias=False)
        self.conv = nn.Conv2d(cd, cd, 1)
        self.out = nn.Linear(cd * 16, 1)

    def forward(self, x, e):
        h = self.conv(self.trunk(x)) + self.wt(F.leaky_relu(self.t(e), 0.2))[:, :, None, None]
        return self.out(F.leaky_relu(h, 0.2).flatten(1))


class ProjectionDiscriminator(nn.Module):
    def __init__(self, width, embed=64):
        super().__init__()
        self.trunk, cd = trunk(width)
        self.out = nn.Linear(cd * 16, 1)
        self.embed = nn.Linear(embed, cd * 16, bias=False)

    def forward(self, x, e):
        phi = self.trunk(x).flatten(1)  # the features; their order does not change the cost
        return self.out(phi) + (self.embed(e) * phi).sum(1, keepdim=True)


def spectral(module):
    """Spectral norm (one power iteration per training forward) on every conv and linear layer."""
    for name, child in module.named_children():
        if isinstance(child, (nn.Conv2d, nn.Linear)):
            setattr(module, name, nn.utils.spectral_norm(child))
        else:
            spectral(child)
    return module


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--width', type=int, default=32)
    p.add_argument('--vocab', type=int, default=40)
    p.add_argument('--maxlen', type=int, default=8)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--discriminator', choices=['projection', 'concat'], default='projection')
    p.add_argument('--spectral-norm', action='store_true')
    p.add_argument('--loss', choices=['hinge', 'nonsaturating'], default='hinge')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n, L = a.batch, a.maxlen
    T, I, G = TextEncoder(a.vocab), ImageEncoder(), Generator(a.width)
    D = ProjectionDiscriminator(a.width) if a.discriminator == 'projection' else Discriminator(a.width)
    if a.spectral_norm:
        spectral(D)
    opt = lambda ps: torch.optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999))
    oT, oD, oG = opt(list(T.parameters()) + list(I.parameters())), opt(D.parameters()), opt(G.parameters())
    pool_x = torch.rand(4 * n, 3, 32, 32) * 2 - 1
    pool_ids = torch.randint(2, a.vocab, (4 * n, L))
    pool_ids[:, L // 2:] = 0
    bce = F.binary_cross_entropy_with_logits
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    roll = lambda e: torch.cat([e[1:], e[:1]], 0)
    scale = 64 ** 0.5  # G and D read the unit sentence embedding times sqrt(embedDim)
    if a.loss == 'hinge':
        d_loss = lambda r, f: F.relu(1 - r).mean() + F.relu(1 + f).mean()
        g_loss = lambda f: -f.mean()
    else:
        d_loss = lambda r, f: bce(r, ones) + bce(f, zeros)
        g_loss = lambda f: bce(f, ones)

    def batch():
        idx = torch.randint(0, 4 * n, (n,))
        return pool_x[idx], pool_ids[idx]

    def step():
        x, ids = batch()  # CLIP
        logits = 10 * I(x) @ T(ids).t()
        diag = torch.arange(n)
        loss = 0.5 * (F.cross_entropy(logits, diag) + F.cross_entropy(logits.t(), diag))
        oT.zero_grad(); loss.backward(); oT.step()
        x, ids = batch()  # D
        with torch.no_grad():
            e = T(ids) * scale
            fake = G(torch.randn(n, 100), e)
        dr = D(x, e)
        loss = 0.5 * (d_loss(dr, D(fake, e)) + d_loss(dr, D(x, roll(e))))
        oD.zero_grad(); loss.backward(); oD.step()
        x, ids = batch()  # G (D's weights get no gradient, as in tsgan's G phase)
        with torch.no_grad():
            e = T(ids) * scale
        D.requires_grad_(False)
        loss = g_loss(D(G(torch.randn(n, 100), e), e))
        ei = 0.5 * (e + roll(e))
        loss = loss + g_loss(D(G(torch.randn(n, 100), ei), ei))
        oG.zero_grad(); loss.backward(); oG.step()
        D.requires_grad_(True)

    for _ in range(a.warmup):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    cpu = (time.process_time() - c0) * 1000 / a.steps
    params = sum(q.numel() for m in (T, I, G, D) for q in m.parameters())
    print(json.dumps({"peer": "torch", "version": torch.__version__, "device": "cpu", "threads": a.threads,
                      "batch": n, "params": params, "train_ms_per_step": round(ms, 2),
                      "train_img_per_s": round(n * 1000 / ms, 1), "train_cpu_ms_per_step": round(cpu, 2)}))


if __name__ == '__main__':
    main()
