#!/usr/bin/env python3
# The PyTorch peer of bench/stride1_convs.ts: the same stride-1 convolutions ('same' padding), each
# forward (F.conv2d), input gradient (torch.nn.grad.conv2d_input) and filter gradient
# (torch.nn.grad.conv2d_weight), median CPU time (time.process_time) over 7 calls after 2 warm-up calls.
# Run: /usr/bin/python3 bench/torch_stride1_convs.py --threads 1
import argparse

import torch
import torch.nn.functional as F

from peer_timing import cpu_ms  # bench/peer_timing.py (python3 puts the script's folder on the path)

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
args = ap.parse_args()
torch.set_num_threads(args.threads)
CASES = [(16, 16, 64, 64, 3), (16, 32, 64, 64, 3), (16, 16, 64, 256, 3), (16, 32, 64, 256, 3),
         (4, 16, 256, 256, 3), (1, 16, 256, 256, 3), (16, 64, 64, 3, 9)]


with torch.no_grad():
    for n, h, ci, co, k in CASES:
        x = torch.randn(n, ci, h, h)
        w = torch.randn(co, ci, k, k)
        dy = torch.randn(n, co, h, h)
        p = k // 2
        fwd = cpu_ms(lambda: F.conv2d(x, w, padding=p))
        bin_ = cpu_ms(lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, padding=p))
        bfil = cpu_ms(lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, padding=p))
        print(f'[{n},{h},{h},{ci}] -> {co} ({k}x{k}): forward {fwd:.1f} ms, input gradient {bin_:.1f} ms, '
              f'filter gradient {bfil:.1f} ms')
