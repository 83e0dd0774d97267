#!/usr/bin/env python3
"""tsgan's PyTorch peer for `tsgan bench dcgan28`.

It builds the dcgan28 networks of src/bench/dcgan28.ts in PyTorch, runs the same training step
(a D update on a fixed real batch and G(z), then a G update through D; non-saturating logistic loss;
Adam lr 2e-4, betas 0.5/0.999 for both networks) and generator inference, and prints ONE JSON line:

  {"peer": "torch", "version": ..., "device": ..., "threads": ..., "batch": ...,
   "train_img_per_s": ..., "infer_img_per_s": ...}

  python3 bench/torch_dcgan.py [--batch 64] [--steps 30] [--device cpu|cuda] [--threads N]

Debian: apt-get install -y python3-torch libopenblas0-pthread (without the pthread OpenBLAS, torch
uses the single-threaded reference BLAS and is not a fair peer). `tsgan bench dcgan28` runs this
script itself with /usr/bin/python3 (or TSGAN_PYTHON).
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.nn import functional as F

LATENT = 100


def generator() -> nn.Module:
    # z[100] -> 7*7*128 -> ReLU -> [128, 7, 7] -> 14x14x64 (BN, ReLU) -> 28x28x1 tanh.
    # PyTorch's ConvTranspose2d(k=4, s=2, p=1) doubles the side as tfjs's padding 'same' does.
    return nn.Sequential(
        nn.Linear(LATENT, 128 * 7 * 7),
        nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, kernel_size=4, stride=2, padding=1),
        nn.BatchNorm2d(64, momentum=0.1, eps=1e-5),  # tfjs momentum 0.9 = PyTorch momentum 0.1
        nn.ReLU(),
        nn.ConvTranspose2d(64, 1, kernel_size=4, stride=2, padding=1),
        nn.Tanh(),
    )


def discriminator() -> nn.Module:
    # [1, 28, 28] -> 64 x 14x14 (LReLU .2) -> 128 x 7x7 (LReLU .2) -> one logit.
    return nn.Sequential(
        nn.Conv2d(1, 64, kernel_size=4, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, kernel_size=4, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(128 * 7 * 7, 1),
    )


def seconds_per_call(fn, calls: int, device: str, warmup: int = 3) -> float:
    """Mean wall time of fn() after a warm-up; on CUDA it waits for the queued kernels."""

    def wait():
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    for _ in range(warmup):
        fn()
    wait()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    wait()
    return (time.perf_counter() - start) / calls


def main() -> None:
    ap = argparse.ArgumentParser(description="dcgan28 training step and inference in PyTorch")
    ap.add_argument("--batch", type=int, default=64, help="images per step")
    ap.add_argument("--steps", type=int, default=30, help="timed training steps (inference: 5x as many calls)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    args = ap.parse_args()
    if args.batch < 1 or args.steps < 1:
        ap.error("--batch and --steps must be positive")
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dev = torch.device(args.device)

    g_net, d_net = generator().to(dev), discriminator().to(dev)
    opt_g = torch.optim.Adam(g_net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d_net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    # Uniform noise in [-1, 1] stands in for a real batch: the timing does not depend on its content.
    real_batch = torch.rand(args.batch, 1, 28, 28, device=dev) * 2 - 1

    def train_step() -> None:
        z = torch.randn(args.batch, LATENT, device=dev)
        fake = g_net(z)
        # D: real -> 1, fake -> 0 (softplus form of the logistic loss).
        d_loss = F.softplus(-d_net(real_batch)).mean() + F.softplus(d_net(fake.detach())).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        # G: non-saturating loss through the updated D; D's weights get no gradient here (as in
        # tsgan's G phase, which differentiates G's weights alone).
        d_net.requires_grad_(False)
        g_loss = F.softplus(-d_net(fake)).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        d_net.requires_grad_(True)

    train_s = seconds_per_call(train_step, args.steps, args.device)

    g_net.eval()

    def infer() -> None:
        with torch.no_grad():
            g_net(torch.randn(args.batch, LATENT, device=dev))

    infer_s = seconds_per_call(infer, args.steps * 5, args.device)
    print(
        json.dumps(
            {
                "peer": "torch",
                "version": torch.__version__,
                "device": args.device,
                "threads": torch.get_num_threads(),
                "batch": args.batch,
                "train_img_per_s": round(args.batch / train_s, 1),
                "infer_img_per_s": round(args.batch / infer_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
