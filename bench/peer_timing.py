# The per-layer PyTorch peers' timing (bench/torch_stride1_convs.py, torch_stride2_convs.py,
# torch_unet_convs.py): the median CPU time of a call, as their tsgan sides measure theirs.
import time


def cpu_ms(f, reps=7, warmup=2):
    """Median CPU milliseconds (time.process_time: every thread of the process) of `reps` calls of f, after `warmup` calls."""
    for _ in range(warmup):
        f()
    ts = []
    for _ in range(reps):
        t0 = time.process_time()
        f()
        ts.append((time.process_time() - t0) * 1000)
    return sorted(ts)[reps // 2]
