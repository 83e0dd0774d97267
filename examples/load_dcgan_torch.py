#!/usr/bin/env python3
"""Rebuild a tsgan DCGAN (or conditional GAN) generator in PyTorch from a safetensors export.

    tsgan export runs/dcgan-fmnist-<time> exported/dcgan-st --format safetensors
    python3 examples/load_dcgan_torch.py exported/dcgan-st [--network G_ema] [--tolerance 1e-4]

The export holds model.safetensors (every network of the run in PyTorch layouts), its manifest
model.safetensors.json (each network's layers in order, with their sizes and inputs) and
check.safetensors (fixed latents, labels and the outputs tsgan computed). This script reads the
files with the standard library and torch only (the safetensors format is an 8-byte little-endian
header length, a JSON header and raw little-endian tensors), builds the generator as a
torch.nn.Module, runs it on the check latents and prints the largest difference from tsgan's
outputs; it exits 1 when that exceeds the tolerance. Everything the generator outputs is synthetic.

Layouts (see the manifest's "conventions"): tfjs computes in NHWC, PyTorch in NCHW, so the module
permutes after the Reshape that follows the dense projection, and returns NHWC like tsgan.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {"F32": torch.float32, "F16": torch.float16, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}


def read_safetensors(path):
    """The tensors (name -> torch tensor) and metadata of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    meta = header.pop("__metadata__", {})
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=DTYPES[e["dtype"]]) if end > b else torch.zeros(0)
        out[name] = t.reshape(e["shape"])
    return out, meta


def same_pads(size, k, s):
    """TensorFlow's 'same' padding of a convolution: (before, after)."""
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: F.softmax(x, dim=-1),
}


class TsganGenerator(nn.Module):
    """A tsgan generator's layer graph (Dense, Conv2D, Conv2DTranspose, BatchNormalization,
    Embedding, ReLU/LeakyReLU/Activation, Reshape, Flatten, Concatenate) as a PyTorch module."""

    def __init__(self, layers, weights, prefix):
        super().__init__()
        self.layers = layers
        self.params = nn.ParameterDict()
        self.buffers_ = {}
        for layer in layers:
            for p in layer["params"]:
                short = p["key"][len(prefix) + 1 :].replace(".", "_")
                t = weights[p["key"]].clone()
                if p["key"].endswith(("running_mean", "running_var")):
                    self.register_buffer(short, t)
                else:
                    self.params[short] = nn.Parameter(t, requires_grad=False)
        self.prefix = prefix

    def w(self, layer, name):
        key = f"{layer['index']}_{name}"
        return self.params[key] if key in self.params else getattr(self, key, None)

    def forward(self, *inputs):
        values = {}
        outputs = None
        it = iter(inputs)
        for layer in self.layers:
            cls, cfg = layer["className"], layer["config"]
            xs = [values[i] for i in layer["inputs"]]
            x = xs[0] if xs else None
            if cls == "InputLayer":
                y = next(it)
            elif cls == "Dense":
                y = F.linear(x, self.w(layer, "weight"), self.w(layer, "bias"))
                y = ACTIVATIONS[cfg.get("activation", "linear")](y)
            elif cls == "Embedding":
                y = F.embedding(x.long(), self.w(layer, "weight"))
            elif cls == "Flatten":
                y = (x.permute(0, 2, 3, 1) if x.dim() == 4 else x).reshape(x.shape[0], -1)
            elif cls == "Concatenate":
                y = torch.cat(xs, dim=1)  # the channel axis: tfjs's last axis in NHWC
            elif cls == "ReLU":
                y = F.relu(x)
            elif cls == "LeakyReLU":
                y = F.leaky_relu(x, cfg.get("alpha", 0.3))
            elif cls == "Activation":
                y = ACTIVATIONS[cfg["activation"]](x)
            elif cls == "Reshape":
                shape = cfg["targetShape"]
                y = x.reshape(x.shape[0], *shape)
                if len(shape) == 3:
                    y = y.permute(0, 3, 1, 2)  # NHWC -> NCHW
            elif cls == "BatchNormalization":
                y = F.batch_norm(
                    x,
                    self.w(layer, "running_mean"),
                    self.w(layer, "running_var"),
                    self.w(layer, "weight"),
                    self.w(layer, "bias"),
                    training=False,
                    eps=cfg.get("epsilon", 1e-3),
                )
            elif cls in ("Conv2D", "Conv2DTranspose"):
                k = cfg["kernelSize"][0] if isinstance(cfg["kernelSize"], list) else cfg["kernelSize"]
                s = cfg["strides"][0] if isinstance(cfg["strides"], list) else cfg["strides"]
                weight, bias = self.w(layer, "weight"), self.w(layer, "bias")
                if cls == "Conv2D":
                    if cfg["padding"] == "same":
                        (t, b), (l, r) = same_pads(x.shape[2], k, s), same_pads(x.shape[3], k, s)
                        x = F.pad(x, (l, r, t, b))
                    y = F.conv2d(x, weight, bias, stride=s)
                else:
                    y = F.conv_transpose2d(x, weight, bias, stride=s)  # the full output, then TF's crop
                    if cfg["padding"] == "same":
                        h, w = x.shape[2] * s, x.shape[3] * s
                        top, left = max(k - s, 0) // 2, max(k - s, 0) // 2
                        y = y[:, :, top : top + h, left : left + w]
                y = ACTIVATIONS[cfg.get("activation", "linear")](y)
            else:
                raise SystemExit(f"layer {layer['name']}: class {cls} is not handled by this example")
            values[layer["index"]] = y
            outputs = y
        return outputs.permute(0, 2, 3, 1) if outputs.dim() == 4 else outputs  # NCHW -> NHWC, as tsgan


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="a folder written by tsgan export --format safetensors")
    ap.add_argument("--network", help="generator to rebuild (default: the manifest's, the EMA copy when kept)")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |torch - tsgan| (default 1e-4)")
    a = ap.parse_args()
    manifest = json.load(open(os.path.join(a.folder, "model.safetensors.json")))
    weights, meta = read_safetensors(os.path.join(a.folder, manifest["file"]))
    check, _ = read_safetensors(os.path.join(a.folder, manifest["check"]["file"]))
    name = a.network or manifest["generator"]
    if name not in manifest["networks"]:
        raise SystemExit(f"no network {name} in this export (it has {', '.join(manifest['networks'])})")
    model = TsganGenerator(manifest["networks"][name]["layers"], weights, name).eval()
    inputs = [check["z"]]
    if "label" in check:
        inputs.append(check["label"].float().reshape(-1, 1))
    with torch.no_grad():
        out = model(*inputs)
    want = check[manifest["check"]["outputs"][name]]
    diff = (out - want).abs().max().item()
    print(
        f"{meta.get('tsgan.family', '?')} generator {name} at step {meta.get('tsgan.step', '?')}: "
        f"output {list(out.shape)}, max |torch - tsgan| = {diff:.3g} (tolerance {a.tolerance:g})"
    )
    sys.exit(0 if diff <= a.tolerance else 1)


if __name__ == "__main__":
    main()
