#!/usr/bin/python3
# Reference values for tests/engine/test_optimizers.cpp: three full-batch steps
# of each torch.optim optimizer, in float64, on the 2-2-1 tanh/identity network
# of the test (loss: sum over the runs of 0.5 (y - t)^2, the memo's eq. 3 and 8).
# Run: /usr/bin/python3 tests/engine/reference/optimizers_reference.py
import torch

torch.set_default_dtype(torch.float64)
X = torch.tensor([[0.5, -1.0], [1.5, 0.3], [-0.7, 0.9], [0.2, 0.4]])
T = torch.tensor([[0.3], [-0.6], [0.9], [0.1]])


def params():
    W1 = torch.tensor([[0.3, -0.5], [0.8, 0.2]], requires_grad=True)  # h_i <- x_j
    b1 = torch.tensor([0.1, -0.2], requires_grad=True)
    W2 = torch.tensor([[0.7, -0.4]], requires_grad=True)  # o <- h_j
    b2 = torch.tensor([0.05], requires_grad=True)
    return [W1, b1, W2, b2]


CASES = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_wd", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.1)),
    ("momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("momentum_wd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1)),
    ("nesterov_wd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True,
                                              weight_decay=0.1)),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.9, 0.999), eps=1e-8)),
    ("adam_wd", lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-8,
                                           weight_decay=0.1)),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=0.05, betas=(0.9, 0.999), eps=1e-8,
                                          weight_decay=0.1)),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8)),
    ("rmsprop_wd", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8,
                                                 weight_decay=0.1)),
]

for name, make in CASES:
    W1, b1, W2, b2 = p = params()
    opt = make(p)
    for _ in range(3):
        opt.zero_grad()
        y = torch.tanh(X @ W1.T + b1) @ W2.T + b2
        E = (0.5 * (y - T) ** 2).sum()
        E.backward()
        opt.step()
    # Order: w(x0->h0), w(x1->h0), w(x0->h1), w(x1->h1), w(h0->o), w(h1->o), b(h0), b(h1), b(o)
    values = [W1[0, 0], W1[0, 1], W1[1, 0], W1[1, 1], W2[0, 0], W2[0, 1], b1[0], b1[1], b2[0]]
    print('{"%s", {%s}},' % (name, ", ".join("%.17g" % v.item() for v in values)))
