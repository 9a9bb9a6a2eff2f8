#!/usr/bin/env bash
# One short run for a machine with a real GPU (issue 13, "On a real GPU"): bench:train under
# WebGPU on the hardware adapter, then under WASM on the same machine, as JSON lines. Usage on
# the device machine, from the repository root: bash bench/webgpu.sh [epochs=1]
# Needs Debian's chromium (apt-get install -y chromium) and `npm ci` first; add gpu=software to
# check the script here, where WebGPU exists only in software (figures then mean nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
gpu="hardware"
for a in "$@"; do [ "$a" = "gpu=software" ] && gpu="software"; done
# reference=0: on WebGPU the studio and the reference are the same path (no fused ops there).
npx tsx bench/run.ts train backend=webgpu gpu="$gpu" model=both epochs=1 timeout_s=500 reference=0 naive=0 "$@"
npx tsx bench/run.ts train backend=wasm model=both epochs=1 timeout_s=500 naive=0 "$@"
