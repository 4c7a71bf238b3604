#!/usr/bin/python3
# Reference outputs for tests/io/test_neat_json.cpp: feed-forward networks in
# neat-python's JSON export format (format_version "1.0") and their outputs on
# a few inputs, computed here from neat-python's published definitions
# (neat/activations.py, neat/aggregations.py, neat/nn/feed_forward.py), written
# out again below in plain Python, without dagprop. Prints the C++ header
# tests/io/neat_reference.hpp (the JSON texts and the values embedded in it).
# Run: /usr/bin/python3 tests/io/reference/neat_reference.py > tests/io/neat_reference.hpp
import json
import math
import random

# neat-python's built-in activations, as its activations.py defines them.
def clamp(lo, hi, z):
    return max(lo, min(hi, z))

ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-clamp(-60.0, 60.0, 5.0 * z))),
    "tanh": lambda z: math.tanh(clamp(-60.0, 60.0, 2.5 * z)),
    "sin": lambda z: math.sin(clamp(-60.0, 60.0, 5.0 * z)),
    "gauss": lambda z: math.exp(-5.0 * clamp(-3.4, 3.4, z) ** 2),
    "relu": lambda z: z if z > 0.0 else 0.0,
    "elu": lambda z: z if z > 0.0 else math.exp(z) - 1,
    "lelu": lambda z: z if z > 0.0 else 0.005 * z,
    "selu": lambda z: (1.0507009873554804934193349852946 * z if z > 0.0 else
                       1.0507009873554804934193349852946 * 1.6732632423543772848170429916717
                       * (math.exp(z) - 1)),
    "softplus": lambda z: 0.2 * math.log(1 + math.exp(clamp(-60.0, 60.0, 5.0 * z))),
    "identity": lambda z: z,
    "clamped": lambda z: clamp(-1.0, 1.0, z),
    "exp": lambda z: math.exp(clamp(-60.0, 60.0, z)),
    "abs": abs,
    "hat": lambda z: max(0.0, 1 - abs(z)),
    "square": lambda z: z ** 2,
    "cube": lambda z: z ** 3,
}

AGGREGATIONS = {
    "sum": sum,
    "mean": lambda x: sum(x) / len(x) if x else 0.0,
}


def evaluate(net, inputs):
    """FeedForwardNetwork.activate: each node once all its enabled sources are known."""
    values = dict(zip(net["topology"]["input_keys"], inputs))
    nodes = [n for n in net["nodes"] if n["type"] != "input"]
    links = [c for c in net["connections"] if c["enabled"]]
    while len(values) < len(nodes) + len(inputs):
        progressed = False
        for n in nodes:
            if n["id"] in values:
                continue
            into = [c for c in links if c["to"] == n["id"]]
            if all(c["from"] in values for c in into):
                s = AGGREGATIONS[n["aggregation"]["name"]]([values[c["from"]] * c["weight"] for c in into])
                values[n["id"]] = ACTIVATIONS[n["activation"]["name"]](n["bias"] + n["response"] * s)
                progressed = True
        assert progressed, "cycle"
    return [values[k] for k in net["topology"]["output_keys"]]


def node(key, kind, act, bias, response=1.0, agg="sum"):
    return {"id": key, "type": kind, "activation": {"name": act, "custom": False},
            "aggregation": {"name": agg, "custom": False}, "bias": bias, "response": response}


def input_node(key):
    return {"id": key, "type": "input", "activation": {"name": "identity", "custom": False},
            "aggregation": {"name": "none", "custom": False}, "bias": 0.0, "response": 1.0}


def document(input_keys, output_keys, nodes, connections):
    return {"format_version": "1.0", "network_type": "feedforward",
            "metadata": {"created_timestamp": "2026-01-01T00:00:00+00:00",
                         "neat_python_version": "2.1.0", "note": "tests/io/reference"},
            "topology": {"num_inputs": len(input_keys), "num_outputs": len(output_keys),
                         "input_keys": input_keys, "output_keys": output_keys},
            "nodes": nodes + [input_node(k) for k in input_keys],
            "connections": [{"from": a, "to": b, "weight": w, "enabled": e}
                            for a, b, w, e in connections]}


def every_activation(rng):
    """Each activation as an output fed by both inputs, with sum and with mean."""
    nodes, conns, outs = [], [], []
    key = 0
    for agg in ("sum", "mean"):
        for act in ACTIVATIONS:
            nodes.append(node(key, "output", act, round(rng.uniform(-0.5, 0.5), 6),
                              round(rng.uniform(0.5, 1.5), 6), agg))
            for i in (-1, -2):
                conns.append((i, key, round(rng.uniform(-1.2, 1.2), 6), True))
            outs.append(key)
            key += 1
    return document([-1, -2], outs, nodes, conns)


def genome():
    """An evolved-looking genome: odd node ids, a disabled gene, a dangling
    output, a bias neuron, skips across levels, mean, responses != 1, and
    input keys listed out of order."""
    nodes = [
        node(249, "hidden", "sigmoid", -0.3696683903761406, 1.0),
        node(2, "output", "identity", 0.25),               # dangling: no connection reaches it
        node(0, "output", "sigmoid", -0.9741713191653999, 1.2),
        node(142, "hidden", "tanh", -0.44984204479845014, 0.8, "mean"),
        node(77, "hidden", "relu", 0.6),                   # a bias neuron: no connection in
        node(1, "output", "gauss", 0.1, 0.9),
        node(311, "hidden", "clamped", 0.05, 1.3),
    ]
    conns = [
        (-1, 249, 1.9, True), (-2, 249, -2.2, True), (-3, 249, 0.4, True),
        (-1, 142, 0.7, True), (-2, 142, 1.4, True),
        (249, 0, 2.5, True), (142, 0, -1.7, True), (-3, 0, 0.3, True),
        (-2, 0, 5.0, False),                                # disabled by an add-node mutation
        (77, 311, 1.1, True), (142, 311, 0.9, True),
        (311, 1, -1.3, True), (249, 1, 0.6, True), (77, 1, 0.2, True),
        (-1, 1, 0.45, True), (311, 0, 0.8, True),
        (249, 142, 0.3, False),                             # disabled: would make 142 depend on 249
    ]
    return document([-1, -3, -2], [0, 1, 2], nodes, conns)


def cpp_string(text):
    return 'R"json(' + text + ')json"'


def main():
    rng = random.Random(13)
    cases = [("every_activation", every_activation(rng), 2), ("genome", genome(), 3)]
    print("// Generated by tests/io/reference/neat_reference.py: neat-python JSON documents and")
    print("// their outputs by neat-python's definitions. Do not edit; rerun the script.")
    print("#pragma once\n\n#include <vector>\n\nnamespace neat_reference {\n")
    print("struct Case {\n  const char* name;\n  const char* json;\n  std::size_t inputs, outputs;")
    print("  std::vector<double> x, y;  // [rows * inputs], [rows * outputs]\n};\n")
    print("// clang-format off\ninline const Case cases[] = {")
    for name, net, n_in in cases:
        rows = [[rng.uniform(-2.0, 2.0) for _ in range(n_in)] for _ in range(6)]
        rows += [[rng.uniform(-30.0, 30.0) for _ in range(n_in)] for _ in range(4)]  # past the clamps
        rows += [[0.0] * n_in]
        xs, ys = [], []
        for r in rows:
            xs += r
            ys += evaluate(net, r)
        n_out = len(net["topology"]["output_keys"])
        print("    {\"%s\",\n     %s,\n     %d, %d,\n     {%s},\n     {%s}}," % (
            name, cpp_string(json.dumps(net, indent=2)), n_in, n_out,
            ", ".join("%.17g" % v for v in xs), ", ".join("%.17g" % v for v in ys)))
    print("};\n// clang-format on\n\n}  // namespace neat_reference")


main()
