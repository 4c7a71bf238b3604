#!/usr/bin/python3
"""PyTorch inference (torch.no_grad, float32, CPU) of a network written by
`inference_bench WORKLOAD --dump NET.txt`, at the same batch sizes, for a side-by-side
table with dagprop's predict().

The DAG is evaluated level by level, as a layered library has to: the activations of all
units computed so far live in one tensor `a` [B, n_done] (inputs, then each level); a
level reads the column range [lo, hi) its units need, with a dense F.linear when that
block is at least half full (W1's layers are exactly that) and otherwise with an
index_select gather over the level's padded fan-in (W3, the NEAT-sized DAG).

Usage: /usr/bin/python3 torch_inference.py NET.txt --workload w3 --threads 1
                        [--batches 1,16,64,256,1024,4096] [--seconds 0.5]
Prints one `RESULT {json}` line per batch size: samples/s and the median call time.
"""
import argparse, json, statistics, time
import torch
import torch.nn.functional as F

ACT = {"identity": lambda x: x, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
       "hard_tanh": lambda x: torch.clamp(x, -1.0, 1.0)}


def read_dump(path):
    with open(path) as f:
        ni, nu, no = map(int, f.readline().split())
        outputs = list(map(int, f.readline().split()))
        units = []
        for _ in range(nu - ni):
            t = f.readline().split()
            act, bias, fan = t[0], float(t[1]), int(t[2])
            src = [int(t[3 + 2 * k]) for k in range(fan)]
            w = [float(t[4 + 2 * k]) for k in range(fan)]
            units.append((act, bias, src, w))
        rows = int(f.readline().split()[1])
        check = [list(map(float, f.readline().split())) for _ in range(rows)]
    X = torch.tensor([c[:ni] for c in check])
    Y = torch.tensor([c[ni:] for c in check])
    return ni, outputs, units, (X, Y)


class LevelNet(torch.nn.Module):
    def __init__(self, ni, outputs, units):
        super().__init__()
        level = [0] * ni
        for act, _, src, _ in units:
            if act not in ACT:
                raise SystemExit("torch_inference: activation %s not supported here" % act)
            level.append(1 + max(level[s] for s in src))
        ids = range(ni, ni + len(units))
        self.stages = []  # (lo, hi, kind, weights, bias, [(activation, positions)])
        pos = {i: i for i in range(ni)}
        col = ni
        for L in sorted(set(level[ni:])):
            members = [i for i in ids if level[i] == L]
            for k, i in enumerate(members):
                pos[i] = col + k
            srcs = [[pos[s] for s in units[i - ni][2]] for i in members]
            lo = min(min(s) for s in srcs)
            hi = max(max(s) for s in srcs) + 1
            fan = sum(len(s) for s in srcs)
            b = torch.tensor([units[i - ni][1] for i in members])
            if fan >= 0.5 * len(members) * (hi - lo):
                W = torch.zeros(len(members), hi - lo)
                for r, i in enumerate(members):
                    for s, w in zip(srcs[r], units[i - ni][3]):
                        W[r, s - lo] = w
                stage = [lo, hi, "dense", W, b]
            else:
                width = max(len(s) for s in srcs)
                idx = torch.zeros(len(members), width, dtype=torch.long)
                W = torch.zeros(len(members), width)
                for r, i in enumerate(members):
                    for k, (s, w) in enumerate(zip(srcs[r], units[i - ni][3])):
                        idx[r, k], W[r, k] = s, w
                stage = [lo, hi, "gather", W, b, idx.reshape(-1)]
            acts = {}
            for r, i in enumerate(members):
                acts.setdefault(units[i - ni][0], []).append(r)
            stage.append([(ACT[a], torch.tensor(rs)) for a, rs in acts.items()])
            self.stages.append(stage)
            col += len(members)
        self.out = torch.tensor([pos[o] for o in outputs])

    def forward(self, x):
        a = x
        B = x.shape[0]
        for st in self.stages:
            lo, hi, kind, W, b = st[:5]
            if kind == "dense":
                pre = F.linear(a[:, lo:hi], W, b)
            else:
                g = a.index_select(1, st[5]).view(B, W.shape[0], W.shape[1])
                pre = (g * W).sum(-1) + b
            acts = st[-1]
            if len(acts) == 1:
                y = acts[0][0](pre)
            else:
                y = torch.empty_like(pre)
                for f, rs in acts:
                    y[:, rs] = f(pre[:, rs])
            a = torch.cat([a, y], 1)
        return a.index_select(1, self.out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dump")
    p.add_argument("--workload", default="?")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batches", default="1,16,64,256,1024,4096")
    p.add_argument("--seconds", type=float, default=0.5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    ni, outputs, units, (Xc, Yc) = read_dump(a.dump)
    net = LevelNet(ni, outputs, units).eval()
    with torch.no_grad():
        err = (net(Xc) - Yc).abs().max().item() / max(1.0, Yc.abs().max().item())
    if not err < 1e-4:
        raise SystemExit("torch_inference: outputs differ from dagprop's by %g" % err)
    batches = [int(b) for b in a.batches.split(",")]
    X = torch.rand(max(4 * max(batches), 8192), ni) * 2 - 1
    with torch.no_grad():
        for B in batches:
            calls, done, start = [], 0, 0
            deadline = time.perf_counter() + a.seconds
            while time.perf_counter() < deadline or len(calls) < 3:
                t0 = time.perf_counter()
                y = net(X[start:start + B])
                calls.append(time.perf_counter() - t0)
                done += y.shape[0]
                start = (start + B) % (X.shape[0] - B + 1)
            print("RESULT " + json.dumps({"engine": "torch", "workload": a.workload, "batch": B,
                                          "threads": a.threads, "samples_per_s": done / sum(calls),
                                          "call_us": statistics.median(calls) * 1e6}), flush=True)


if __name__ == "__main__":
    main()
