"""Shared, portable definitions of the anchor workloads (W1, W2, W3).

Copied from the project's shared benchmark definitions (/work/shared/bench, see WORKLOADS.md);
kept as they are so that every engine trains the same workloads.

Everything random is drawn from splitmix64 so that a C++ engine can regenerate
bit-identical data / DAGs without Python:

    state += 0x9E3779B97F4A7C15
    z = state
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    return z ^ (z >> 31)          (all mod 2^64)

uniform01() = (next() >> 11) * 2^-53   (double in [0,1))
"""
import gzip, math, os, struct
import numpy as np

FMNIST_DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist/")
M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform01(self):
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)


# ---------------- W1: Fashion-MNIST ----------------
def _idx(path):
    with gzip.open(path, "rb") as f:
        b = f.read()
    magic, = struct.unpack(">I", b[:4])
    nd = magic & 0xFF
    dims = struct.unpack(">" + "I" * nd, b[4:4 + 4 * nd])
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def load_fmnist():
    """Returns Xtr [60000,784] float32 in [0,1], ytr int64, Xte [10000,784], yte."""
    d = FMNIST_DIR
    Xtr = _idx(d + "train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) / 255.0
    ytr = _idx(d + "train-labels-idx1-ubyte.gz").astype(np.int64)
    Xte = _idx(d + "t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float32) / 255.0
    yte = _idx(d + "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return Xtr, ytr, Xte, yte


W1_CONNECTIONS = 784 * 256 + 256 * 128 + 128 * 10          # 234,752 weights (biases: 394)

# ---------------- W2: y = sin(x1)*cos(x2) ----------------
W2_N = 100_000
W2_SEED = 2
W2_CONNECTIONS = 2 * 32 + 32 * 32 + 32 * 1                # 1,120 weights (biases: 65)


def make_w2(n=W2_N, seed=W2_SEED):
    """x1, x2 ~ U[-pi, pi) drawn in order x1, x2 per sample; y = sin(x1)*cos(x2)."""
    r = SplitMix64(seed)
    X = np.empty((n, 2), dtype=np.float64)
    for i in range(n):
        X[i, 0] = -math.pi + 2 * math.pi * r.uniform01()
        X[i, 1] = -math.pi + 2 * math.pi * r.uniform01()
    Y = (np.sin(X[:, 0]) * np.cos(X[:, 1]))[:, None]
    return X.astype(np.float32), Y.astype(np.float32)


# ---------------- W3: random sparse DAG ----------------
W3_IN, W3_HID, W3_OUT, W3_FANIN = 64, 2000, 10, 32
W3_SEED = 3
W3_DATA_SEED = 4
W3_N = 8192
W3_CONNECTIONS = (W3_HID + W3_OUT) * W3_FANIN             # 64,320 weights (biases: 2010)


def make_w3_dag(seed=W3_SEED):
    """Node ids: inputs 0..63, hidden 64..2063 (in topological order), outputs 2064..2073.
    Unit j (j = 0..2009; hidden for j < 2000, output j-2000 otherwise) draws sources
    r = next() % n_prev with n_prev = 64 + min(j, 2000), rejecting duplicates, until it
    has 32 distinct sources (kept in draw order). Outputs may use inputs or any hidden unit."""
    r = SplitMix64(seed)
    srcs = []
    for j in range(W3_HID + W3_OUT):
        n_prev = W3_IN + min(j, W3_HID)
        s, seen = [], set()
        while len(s) < W3_FANIN:
            v = r.next() % n_prev
            if v not in seen:
                seen.add(v); s.append(v)
        srcs.append(s)
    return srcs


def w3_levels(srcs):
    """Topological level of every node (inputs = 0); outputs get their own levels too."""
    lev = [0] * (W3_IN + W3_HID + W3_OUT)
    for j, s in enumerate(srcs):
        lev[W3_IN + j] = 1 + max(lev[v] for v in s)
    return lev


def make_w3_data(n=W3_N, seed=W3_DATA_SEED):
    """x ~ U[-1,1)^64 (row-major draw order); target y_k = x_k * x_{k+10}, k = 0..9."""
    r = SplitMix64(seed)
    X = np.array([2.0 * r.uniform01() - 1.0 for _ in range(n * W3_IN)]).reshape(n, W3_IN)
    Y = X[:, 0:10] * X[:, 10:20]
    return X.astype(np.float32), Y.astype(np.float32)


def write_w3_dag(path, srcs):
    with open(path, "w") as f:
        f.write("# W3 sparse DAG: %d inputs, %d hidden, %d outputs, fan-in %d, seed %d\n"
                % (W3_IN, W3_HID, W3_OUT, W3_FANIN, W3_SEED))
        f.write("# line j: node id %d+j, then its 32 source node ids\n" % W3_IN)
        for j, s in enumerate(srcs):
            f.write("%d %s\n" % (W3_IN + j, " ".join(map(str, s))))


if __name__ == "__main__":
    import collections
    srcs = make_w3_dag()
    lev = w3_levels(srcs)
    hid = lev[W3_IN:W3_IN + W3_HID]
    c = collections.Counter(lev[W3_IN:])
    print("W3 connections", sum(map(len, srcs)), "levels (hidden max)", max(hid),
          "output levels", sorted(set(lev[W3_IN + W3_HID:])), "distinct levels", len(c))
    print("mean units/level", (W3_HID + W3_OUT) / len(c))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "w3_dag.txt")
    write_w3_dag(out, srcs)
    print("wrote", out)
