#!/usr/bin/env bash
# The GPU measurement of the webgpu backend against PyTorch CUDA, as one prepared script for the
# project's GPU host (one NVIDIA H100 or H200, no Node.js, no network). Here, first build the tree
# (npm install && npx tsc -p tsconfig.json: dist/ and the native addon) and pack a Node.js runtime
# with the node_modules the host needs into .gpu-kit/, whose setup.sh puts them on PATH (the GPU
# host's own tooling does the packing); then on the host, from the project root (results under $OUT,
# default ./gpu-out):
#   source .gpu-kit/setup.sh && bash bench/gpu/run.sh
# It runs `tsgan doctor` (the adapter), dcgan28 on webgpu at batch 64 and 512 with the PyTorch CUDA peer
# in the same call, the same with the stock tfjs webgpu kernels (TSGAN_WEBGPU_STOCK=1, to see what
# tsgan's kernels change), and a per-kernel profile. Each result is one JSON file. Smoke test on a
# CPU machine with lavapipe: BATCHES=4 STEPS=2 WARMUP=1 OUT=/tmp/g bash bench/gpu/run.sh
set -uo pipefail
out=${OUT:-./gpu-out}
mkdir -p "$out"
export TSGAN_PYTHON=${TSGAN_PYTHON:-$(command -v python3)}
tsgan() { node bin/tsgan.js "$@"; }
tsgan --backend webgpu doctor --json > "$out/doctor.json" 2> "$out/doctor.err"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1
for b in ${BATCHES:-64 512}; do
  tsgan --backend webgpu bench dcgan28 --batch "$b" --steps "${STEPS:-30}" --warmup "${WARMUP:-5}" --json > "$out/dcgan28-b$b.json" 2> "$out/dcgan28-b$b.err"
  TSGAN_WEBGPU_STOCK=1 tsgan --backend webgpu bench dcgan28 --batch "$b" --steps "${STEPS:-30}" --warmup "${WARMUP:-5}" --no-peer --json > "$out/dcgan28-b$b-stock.json" 2> "$out/dcgan28-b$b-stock.err"
  tsgan --backend webgpu bench dcgan28 --batch "$b" --steps 5 --profile --json > "$out/profile-b$b.json" 2> "$out/profile-b$b.err"
done
for f in "$out"/dcgan28-*.json; do echo "$(basename "$f"): $(cat "$f")"; done
