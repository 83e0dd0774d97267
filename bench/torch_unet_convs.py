#!/usr/bin/env python3
# The PyTorch peer of bench/unet_convs.ts: pix2pix's 64x64 U-Net convolutions (nn.Conv2d and
# nn.ConvTranspose2d, 4x4 stride 2), each forward and forward + backward (input and weight
# gradients), median CPU time (time.process_time) over 7 calls after 2 warm-up calls.
# Run: /usr/bin/python3 bench/torch_unet_convs.py --batch 1 --threads 1
import argparse

import torch

from peer_timing import cpu_ms  # bench/peer_timing.py (python3 puts the script's folder on the path)

ap = argparse.ArgumentParser()
ap.add_argument('--batch', type=int, default=1)
ap.add_argument('--threads', type=int, default=1)
args = ap.parse_args()
torch.set_num_threads(args.threads)
N = args.batch
ENCODER = [(64, 3, 64), (32, 64, 128), (16, 128, 256), (8, 256, 512), (4, 512, 512), (2, 512, 512)]
DECODER = [(1, 512, 512), (2, 1024, 512), (4, 1024, 256), (8, 512, 128), (16, 256, 64), (32, 128, 3)]


total = 0.0
for name, layers, cls in (('encoder', ENCODER, torch.nn.Conv2d), ('decoder', DECODER, torch.nn.ConvTranspose2d)):
    for h, ci, co in layers:
        conv = cls(ci, co, 4, 2, 1, bias=False)
        x = torch.randn(N, ci, h, h, requires_grad=True)
        dy = torch.randn_like(conv(x))
        fwd = cpu_ms(lambda: conv(x))
        both = cpu_ms(lambda: torch.autograd.grad(conv(x), [x, conv.weight], dy))
        total += both
        print(f'{name} {h}x{h}x{ci} -> {co}: forward {fwd:.2f} ms, forward + both gradients {both:.2f}')
print(f'all 36 convolutions (forward + gradients), batch {N}: {total:.1f} ms of CPU (torch {torch.__version__}, {args.threads} thread)')
