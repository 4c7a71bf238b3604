#!/usr/bin/python3
# Reference values for tests/engine/test_irprop.cpp: iRPROP- as Igel and Hüsken
# (2000) define it, in float64 NumPy, on the test's 2-2-1 DAG (h1 also reads
# h0, the output also reads x0), loss the sum over runs of 0.5 (y - t)^2 (the
# memo's eq. 3 and 8), gradients by hand-written back-propagation. Two cases:
# full batch (6 runs) and mini-batches of 2 in data order. When PyTorch is
# there, its autograd and torch.optim.Rprop (also iRPROP-) must agree to 1e-12.
# Run: /usr/bin/python3 tests/engine/reference/irprop_reference.py
import numpy as np

X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.7, 0.9], [0.2, 0.4], [-1.2, -0.6], [0.9, 1.1]])
T = np.array([0.3, -0.6, 0.9, 0.1, -0.4, 0.7])
# w(x0->h0), w(x1->h0), w(x1->h1), w(h0->h1), w(h0->o), w(h1->o), w(x0->o), b(h0), b(h1), b(o)
THETA0 = np.array([0.3, -0.5, 0.8, 0.6, 0.7, -0.4, 0.25, 0.1, -0.2, 0.05])
DELTA0, INCREASE, DECREASE, DELTA_MIN, DELTA_MAX = 0.1, 1.2, 0.5, 0.02, 0.15
STEPS = 12  # mini-batch updates (full batch: epochs; batches of 2: 4 epochs of 3)


def forward(th, x):
    h0 = np.tanh(th[0] * x[:, 0] + th[1] * x[:, 1] + th[7])
    h1 = np.tanh(th[2] * x[:, 1] + th[3] * h0 + th[8])
    y = th[4] * h0 + th[5] * h1 + th[6] * x[:, 0] + th[9]
    return h0, h1, y


def gradient(th, x, t):
    h0, h1, y = forward(th, x)
    py = y - t  # dE/dy
    q1 = py * th[5] * (1 - h1 ** 2)  # dE/d(net input of h1)
    q0 = (py * th[4] + q1 * th[3]) * (1 - h0 ** 2)
    return np.array([(q0 * x[:, 0]).sum(), (q0 * x[:, 1]).sum(), (q1 * x[:, 1]).sum(),
                     (q1 * h0).sum(), (py * h0).sum(), (py * h1).sum(), (py * x[:, 0]).sum(),
                     q0.sum(), q1.sum(), py.sum()])


def irprop_minus(batch):
    """The paper's iRPROP-, one update per mini-batch; returns θ, Δ, g' and event counts."""
    th = THETA0.copy()
    delta = np.full(th.size, DELTA0)
    g_prev = np.zeros(th.size)
    events = {"flips": 0, "at_max": 0, "at_min": 0}
    for step in range(STEPS):
        r0 = (step * batch) % len(X)
        g = gradient(th, X[r0:r0 + batch], T[r0:r0 + batch])
        for k in range(th.size):
            if g[k] * g_prev[k] > 0:
                delta[k] = min(delta[k] * INCREASE, DELTA_MAX)
                events["at_max"] += delta[k] == DELTA_MAX
            elif g[k] * g_prev[k] < 0:
                delta[k] = max(delta[k] * DECREASE, DELTA_MIN)
                events["at_min"] += delta[k] == DELTA_MIN
                events["flips"] += 1
                g[k] = 0
            th[k] -= np.sign(g[k]) * delta[k]
            g_prev[k] = g[k]
    return th, delta, g_prev, events


def torch_check(batch, th_np):
    try:
        import torch
    except ImportError:
        return "PyTorch not found: not cross-checked"
    th = torch.tensor(THETA0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Rprop([th], lr=DELTA0, etas=(DECREASE, INCREASE),
                            step_sizes=(DELTA_MIN, DELTA_MAX))
    x, t = torch.tensor(X), torch.tensor(T)
    for step in range(STEPS):
        r0 = (step * batch) % len(X)
        xb, tb = x[r0:r0 + batch], t[r0:r0 + batch]
        opt.zero_grad()
        h0 = torch.tanh(th[0] * xb[:, 0] + th[1] * xb[:, 1] + th[7])
        h1 = torch.tanh(th[2] * xb[:, 1] + th[3] * h0 + th[8])
        y = th[4] * h0 + th[5] * h1 + th[6] * xb[:, 0] + th[9]
        (0.5 * (y - tb) ** 2).sum().backward()
        opt.step()
    gap = np.abs(th.detach().numpy() - th_np).max()
    assert gap <= 1e-12, "torch.optim.Rprop differs by %g" % gap
    return "torch.optim.Rprop agrees to %.1e" % gap


def row(values):
    return "{%s}" % ", ".join("%.17g" % v for v in values)


for name, batch in (("full_batch", 6), ("batches_of_2", 2)):
    th, delta, g_prev, events = irprop_minus(batch)
    print("// %s: %s; %s" % (name, events, torch_check(batch, th)))
    print('{"%s", {%s,\n  %s,\n  %s}},' % (name, row(th), row(delta), row(g_prev)))
