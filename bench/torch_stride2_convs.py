#!/usr/bin/env python3
# The PyTorch peer of bench/stride2_convs.ts: the same stride-2 convolutions (padding 1; tfjs's 'same'
# pads 3x3 stride 2 by 0 and 1, the same output size and work), forward, input gradient and weight
# gradient each alone (aten's convolution_backward with one output mask), median CPU time
# (time.process_time) over 7 calls after 2 warm-up calls.
# Run: /usr/bin/python3 bench/torch_stride2_convs.py --threads 1 [--only t2i,cyc1]
import argparse

import torch

from peer_timing import cpu_ms  # bench/peer_timing.py (python3 puts the script's folder on the path)

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--only', default='')
args = ap.parse_args()
torch.set_num_threads(args.threads)
only = args.only.split(',') if args.only else None
LAYERS = [
    ('t2i', 64, 32, 3, 32, 4), ('t2i', 64, 16, 32, 64, 4), ('t2i', 64, 8, 64, 128, 4),
    ('cyc1', 1, 64, 64, 128, 3), ('cyc1', 1, 32, 128, 256, 3), ('cyc1', 1, 64, 3, 64, 4), ('cyc1', 1, 32, 64, 128, 4),
    ('cyc4', 4, 64, 64, 128, 3), ('cyc4', 4, 32, 128, 256, 3), ('cyc4', 4, 64, 3, 64, 4), ('cyc4', 4, 32, 64, 128, 4),
    ('dcgan', 64, 28, 1, 64, 4), ('dcgan', 64, 14, 64, 128, 4),
]


total = 0.0
with torch.no_grad():
    for group, n, h, ci, co, k in LAYERS:
        if only and group not in only:
            continue
        x = torch.randn(n, ci, h, h)
        w = torch.randn(co, ci, k, k)
        y = torch.nn.functional.conv2d(x, w, None, 2, 1)
        dy = torch.randn_like(y)

        def bwd(mask):
            return lambda: torch.ops.aten.convolution_backward(dy, x, w, None, [2, 2], [1, 1], [1, 1], False, [0, 0], 1, mask)

        f = cpu_ms(lambda: torch.nn.functional.conv2d(x, w, None, 2, 1))
        bi = cpu_ms(bwd([True, False, False]))
        bf = cpu_ms(bwd([False, True, False]))
        total += f + bi + bf
        print(f'{group} N={n} {h}x{h}x{ci} -> {co} k{k}s2: forward {f:.2f} ms, input grad {bi:.2f}, filter grad {bf:.2f}')
print(f'total {total:.1f} ms of CPU (torch {torch.__version__}, {args.threads} thread)')
