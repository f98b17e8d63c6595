#!/usr/bin/env bash
# Runs the device check from scripts/pack-gpu-bench.sh's FOLDER on a bare Linux x86-64 machine, from the repository
# root (for resources/ and bench/results/); writes bench/results/gpu.json (BENCH_OUT elsewhere), and a copy to $OUT if set.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=$(realpath "${1:?usage: scripts/bench-gpu.sh FOLDER (made by scripts/pack-gpu-bench.sh)}")
work=$(mktemp -d)
if command -v xz >/dev/null; then
  tar -xJf "$folder/pbas-gpu-bench.tar.xz" -C "$work"
else
  # No xz there: Python's standard library reads it.
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$folder/pbas-gpu-bench.tar.xz" "$work"
fi
pack=$work/pbas-gpu-bench
cat "$pack/PACK.txt"
# Recorded in the results: what ran, from which pack.
export BENCH_COMMAND="scripts/bench-gpu.sh ${1}"
export PBAS_PACK="$(tr '\n' ' ' <"$pack/PACK.txt")"
# Dawn loads libvulkan.so.1: unpack the carried loader where there is none (needs root, as on the device machines).
if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  for f in "$pack"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES=$nvidia_icd; fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
# The issue's limit for the whole check is 8 minutes.
status=0
timeout "${BENCH_TIMEOUT:-480}" "$pack/node" "$pack/bench-gpu.cjs" || status=$?
result=${BENCH_OUT:-bench/results/gpu.json}
if [ -n "${OUT:-}" ] && [ -f "$result" ]; then cp "$result" "$OUT/"; fi
rm -rf "$work"
exit $status
