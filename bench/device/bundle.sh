#!/usr/bin/env bash
# Packs a self-contained dagprop_bench for a machine without Debian's packages
# (the 16-core device machine of bench/README.md): two builds, AVX-512
# (x86-64-v4) and AVX2 (x86-64-v3), libstdc++ linked in, the other shared
# libraries beside them (found through an $ORIGIN rpath), and the Fashion-MNIST
# files. Everything goes to .device/ (ignored by git); carry that folder.
#
#   bench/device/bundle.sh            # then, on the other machine:
#   bench/device/run_scaling.sh       # 1, 2, 4, 8, 16 threads, batch 256
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
rm -rf "$out"
mkdir -p "$out/lib" "$out/fmnist"
for level in v4 v3; do
  dir=build/device-$level
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDAGPROP_NATIVE=OFF \
    -DDAGPROP_BUILD_TESTS=OFF -DDAGPROP_BUILD_SAMPLES=OFF -DDAGPROP_BUILD_TOOLS=OFF \
    -DCMAKE_CXX_FLAGS="-march=x86-64-$level -mtune=generic" \
    -DCMAKE_EXE_LINKER_FLAGS='-static-libstdc++ -static-libgcc' -DCMAKE_BUILD_RPATH='$ORIGIN/lib' >/dev/null
  cmake --build "$dir" --target dagprop_bench
  cp "$dir/bench/dagprop_bench" "$out/dagprop_bench-$level"
done
# The shared libraries it needs beyond the C library itself.
ldd "$out/dagprop_bench-v4" | awk '/=> \// {print $3}' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | ld-linux*) ;;
    *) cp -L "$lib" "$out/lib/" ;;
  esac
done
cp /usr/share/datasets/fashion-mnist/*-ubyte.gz "$out/fmnist/"
du -sh "$out"
ls "$out" "$out/lib"
