#!/usr/bin/python3
"""PyTorch CPU anchors for W1 (fmnist-mlp), W2 (small-mlp), W3 (sparse-dag).

Copied from the project's shared benchmark definitions (/work/shared/bench, see WORKLOADS.md);
kept as they are so that every engine trains the same workloads, with one addition:
--batch N overrides the workload's mini-batch (for the 16-core scaling runs at 256).

Usage:
  /usr/bin/python3 torch_anchors.py w1 --threads 1 --epochs 20 [--eval 5,20]
  /usr/bin/python3 torch_anchors.py w2 --threads 1 --epochs 5
  /usr/bin/python3 torch_anchors.py w3 --threads 1 --epochs 3 --variant gather|dense|sparse
Prints per-epoch training wall time (training loop only: forward, loss, backward,
optimizer step; data already in memory as float32 tensors, per-epoch shuffle by
torch.randperm included), samples/s, and the median over the epochs after the first.
"""
import argparse, os, sys, time, statistics, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C

DEV = torch.device(os.environ.get('ANCHOR_DEVICE', 'cpu'))


def sync():
    if DEV.type == 'cuda':
        torch.cuda.synchronize()


def run_epochs(model, params, loss_fn, X, Y, bs, lr, epochs, on_epoch=None):
    opt = torch.optim.SGD(params, lr=lr, momentum=0.0)
    X, Y = X.to(DEV), Y.to(DEV)
    n = X.shape[0]
    times = []
    for ep in range(1, epochs + 1):
        sync()
        t0 = time.perf_counter()
        perm = torch.randperm(n, device=DEV)
        tot = 0.0
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            xb, yb = X[idx], Y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        sync()
        dt = time.perf_counter() - t0
        times.append(dt)
        extra = on_epoch(ep) if on_epoch else ""
        print("epoch %3d  %.3f s  %9.0f samples/s  last-batch-loss %.5f %s"
              % (ep, dt, n / dt, loss.item(), extra), flush=True)
    return times


def summary(name, threads, n, times, conns, extra=None):
    steady = times[1:] if len(times) > 1 else times
    med = statistics.median(steady)
    sps = n / med
    d = dict(workload=name, threads=threads, samples_per_epoch=n, epochs=len(times),
             median_epoch_s=med, min_epoch_s=min(steady), max_epoch_s=max(steady),
             samples_per_s=sps, connections=conns, MCUPS=sps * conns / 1e6,
             GFLOPs_6=sps * conns * 6 / 1e9)
    if extra: d.update(extra)
    print("RESULT " + json.dumps(d), flush=True)


# --------------------------------------------------------------------------- W1
def w1(a):
    Xtr, ytr, Xte, yte = C.load_fmnist()
    Xtr, ytr, Xte, yte = map(torch.from_numpy, (Xtr, ytr, Xte, yte))
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10)).to(DEV)  # default PyTorch init
    Xte, yte = Xte.to(DEV), yte.to(DEV)
    evals = set(int(e) for e in a.eval.split(",") if e)
    acc = {}

    def on_epoch(ep):
        if ep in evals or ep == a.epochs:
            with torch.no_grad():
                acc[ep] = (model(Xte).argmax(1) == yte).float().mean().item()
            return "test-acc %.4f" % acc[ep]
        return ""
    times = run_epochs(model, model.parameters(), nn.CrossEntropyLoss(), Xtr, ytr,
                       a.batch or 64, 0.05, a.epochs, on_epoch)
    summary("w1-fmnist-mlp", a.threads, 60000, times, C.W1_CONNECTIONS,
            {"test_acc": acc, "total_train_s": sum(times)})


# --------------------------------------------------------------------------- W2
def sse(out, y):
    # SSE convention: 0.5 * sum over outputs of (y-t)^2 per sample, averaged over the minibatch
    return 0.5 * ((out - y) ** 2).sum() / out.shape[0]


def w2(a):
    X, Y = C.make_w2()
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)).to(DEV)

    def on_epoch(ep):
        with torch.no_grad():
            return "train-MSE %.5f" % F.mse_loss(model(X.to(DEV)), Y.to(DEV)).item()
    times = run_epochs(model, model.parameters(), sse, X, Y, a.batch or 32, 0.01, a.epochs, on_epoch)
    summary("w2-small-mlp", a.threads, X.shape[0], times, C.W2_CONNECTIONS)


# --------------------------------------------------------------------------- W3
class DagNet(nn.Module):
    """Level-by-level evaluation of the W3 DAG.  Activations of all nodes computed so far
    live in one tensor `a` [B, n_done] (node order = inputs, then hidden sorted by level);
    each level appends its outputs with torch.cat.  Variants for the per-level product:
      gather: a[:, src] -> [B, w, 32] * W[w, 32] -> sum       (exact sparse work)
      dense : a @ (W_dense * mask).T  with W_dense [w, n_done] (masked dense matmul)
      sparse: torch.sparse.mm(COO[w, n_done] built from a values parameter, a.T)
    Outputs (linear) are computed after the last hidden level (they are sinks)."""

    def __init__(self, srcs, variant):
        super().__init__()
        self.variant = variant
        lev = C.w3_levels(srcs)
        nin, nh = C.W3_IN, C.W3_HID
        hidden = list(range(nin, nin + nh))
        order = sorted(hidden, key=lambda v: (lev[v], v))
        pos = {v: v for v in range(nin)}           # node id -> column in `a`
        for k, v in enumerate(order):
            pos[v] = nin + k
        self.groups = []                             # (ncols_before, width)
        g = torch.Generator().manual_seed(0)
        bound = 1.0 / np.sqrt(C.W3_FANIN)
        self.W = nn.ParameterList(); self.b = nn.ParameterList()
        idxs, masks, coo = [], [], []
        col = nin
        levels = sorted(set(lev[v] for v in hidden))
        units_by_level = {L: [v for v in order if lev[v] == L] for L in levels}
        stages = [units_by_level[L] for L in levels] + [list(range(nin + nh, nin + nh + C.W3_OUT))]
        for units in stages:
            w = len(units)
            S = torch.tensor([[pos[s] for s in srcs[u - nin]] for u in units])   # [w, 32]
            Wv = (torch.rand(w, C.W3_FANIN, generator=g) * 2 - 1) * bound
            if variant == "gather":
                self.W.append(nn.Parameter(Wv)); idxs.append(S.reshape(-1))
            elif variant == "dense":
                Wd = torch.zeros(w, col); Wd.scatter_(1, S, Wv)
                M = torch.zeros(w, col); M.scatter_(1, S, 1.0)
                self.W.append(nn.Parameter(Wd)); masks.append(M)
            else:
                rows = torch.arange(w).repeat_interleave(C.W3_FANIN)
                coo.append((torch.stack([rows, S.reshape(-1)]), (w, col)))
                self.W.append(nn.Parameter(Wv.reshape(-1)))
            self.b.append(nn.Parameter(torch.zeros(w)))
            self.groups.append((col, w))
            col += w
        self.idxs, self.masks, self.coo = idxs, masks, coo
        self.nstages = len(stages)

    def forward(self, x):
        a = x
        B = x.shape[0]
        for k in range(self.nstages):
            ncol, w = self.groups[k]
            if self.variant == "gather":
                g = a.index_select(1, self.idxs[k]).view(B, w, C.W3_FANIN)
                pre = (g * self.W[k]).sum(-1) + self.b[k]
            elif self.variant == "dense":
                pre = F.linear(a, self.W[k] * self.masks[k], self.b[k])
            else:
                ind, shape = self.coo[k]
                S = torch.sparse_coo_tensor(ind, self.W[k], shape)
                pre = torch.sparse.mm(S, a.t()).t() + self.b[k]
            if k == self.nstages - 1:
                return pre                           # linear outputs
            a = torch.cat([a, torch.tanh(pre)], 1)


def w3(a):
    srcs = C.make_w3_dag()
    X, Y = C.make_w3_data()
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    model = DagNet(srcs, a.variant).to(DEV)
    model.idxs = [t.to(DEV) for t in model.idxs]
    model.masks = [t.to(DEV) for t in model.masks]
    model.coo = [(i.to(DEV), sh) for i, sh in model.coo]
    nparam_w = sum(p.numel() for p in model.W)
    print("variant %s, stages %d, weight-parameter elements %d" % (a.variant, model.nstages, nparam_w))
    times = run_epochs(model, model.parameters(), sse, X, Y, a.batch or 64, 0.01, a.epochs)
    summary("w3-sparse-dag-" + a.variant, a.threads, X.shape[0], times, C.W3_CONNECTIONS)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=["w1", "w2", "w3"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--eval", default="5,20")
    p.add_argument("--variant", default="gather", choices=["gather", "dense", "sparse"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=0, help="mini-batch (default: the workload's)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    print("torch %s threads=%d interop=%d OPENBLAS_CORETYPE=%s"
          % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads(),
             os.environ.get("OPENBLAS_CORETYPE")), flush=True)
    {"w1": w1, "w2": w2, "w3": w3}[a.workload](a)
