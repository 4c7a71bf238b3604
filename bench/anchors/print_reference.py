#!/usr/bin/python3
"""Prints the reference values that `dagprop_bench --selftest` compares its C++
generators against (bench/workloads.cpp, constants in bench/selftest.cpp), computed
here with common.py. Run: /usr/bin/python3 bench/anchors/print_reference.py
It does not train anything and writes no files.
"""
import os, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C


def bits(v):
    return "0x%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0]


def fnv1a(values):
    """64-bit FNV-1a over the little-endian uint32 of each value."""
    h = 0xCBF29CE484222325
    for v in values:
        for byte in struct.pack("<I", int(v) & 0xFFFFFFFF):
            h = ((h ^ byte) * 0x100000001B3) & C.M64
    return h


def main():
    X2, Y2 = C.make_w2()
    print("// W2: first 4 rows x1, x2, y as float32 bits")
    for r in range(4):
        print("{%s, %s, %s}," % (bits(X2[r, 0]), bits(X2[r, 1]), bits(Y2[r, 0])))
    print("// W2: last row")
    print("{%s, %s, %s}," % (bits(X2[-1, 0]), bits(X2[-1, 1]), bits(Y2[-1, 0])))
    print("// W2: FNV-1a of all x bits, all y bits")
    print("0x%016xull, 0x%016xull" % (fnv1a(X2.view("<u4").ravel()), fnv1a(Y2.view("<u4").ravel())))

    X3, Y3 = C.make_w3_data()
    print("// W3: x[0][0..3], y[0][0..1], x[8191][63], y[8191][9]")
    print(", ".join(bits(v) for v in [*X3[0, :4], *Y3[0, :2], X3[-1, -1], Y3[-1, -1]]))
    print("// W3 data: FNV-1a of all x bits, all y bits")
    print("0x%016xull, 0x%016xull" % (fnv1a(X3.view("<u4").ravel()), fnv1a(Y3.view("<u4").ravel())))

    srcs = C.make_w3_dag()
    print("// W3 DAG: sources of units 64, 65, 2064 (first output)")
    for j in (0, 1, C.W3_HID):
        print("{%s}," % ", ".join(map(str, srcs[j])))
    print("// W3 DAG: FNV-1a of all sources in order, max level")
    flat = [v for s in srcs for v in s]
    print("0x%016xull, %d" % (fnv1a(flat), max(C.w3_levels(srcs))))


if __name__ == "__main__":
    main()
