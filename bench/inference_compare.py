#!/usr/bin/python3
"""Inference side by side, one thread, float32: dagprop's predict() and Predictor
(inference_bench), PyTorch under torch.no_grad (anchors/torch_inference.py), FANN 2.2's
fann_run (anchors/fann_inference.c on `dagprop export-fann` of the same network) and
dagprop's exported C (`dagprop export-c`, compiled -O2, anchors/c_export_inference.c),
on W1, W3 and the NEAT-sized sparse DAG, at each batch size. Prints one markdown table:
samples/s, the median time of one call (at batch 1 the latency of a single run) and
the ratio to dagprop's Predictor. Every engine runs exactly the network inference_bench
built (torch checks its outputs against dagprop's first); the inputs are random. It
builds the two C programs (cc, into a temporary folder) and asserts nothing.

  /usr/bin/python3 bench/inference_compare.py --build build/release
  /usr/bin/python3 bench/inference_compare.py --workloads neat --batches 1,16 --seconds 0.3
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ANCHORS = os.path.join(HERE, "anchors")
sys.path.insert(0, HERE)
from compare import AVX2_HELP, best_coretype, hold_to_avx2, torch_env  # noqa: E402
ORDER = ["dagprop Predictor", "dagprop predict", "exported C", "torch", "fann"]


def results(cmd, env=None):
    """Runs cmd; returns its RESULT dicts (the run's other lines go to stderr on failure)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       cwd=ROOT, env=env)
    found = [json.loads(l[len("RESULT "):]) for l in p.stdout.splitlines()
             if l.startswith("RESULT ")]
    if p.returncode != 0 or not found:
        print("FAILED (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), p.stdout[-2000:]),
              file=sys.stderr, flush=True)
    return found


def compile_c(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print("could not build: %s\n%s" % (" ".join(cmd), p.stdout[-2000:]), file=sys.stderr)
    return p.returncode == 0


def one_workload(a, w, tmp, fann_exe):
    """Every engine on workload w; returns the RESULT dicts."""
    model, dump = os.path.join(tmp, w + ".dpn"), os.path.join(tmp, w + ".txt")
    batches, secs = a.batches, str(a.seconds)
    rows = results([a.bench, w, "--threads", "1", "--batches", batches, "--seconds", secs,
                    "--save", model, "--dump", dump])
    env = torch_env(1)
    if not a.no_torch:
        rows += results([a.python, os.path.join(ANCHORS, "torch_inference.py"), dump,
                         "--workload", w, "--threads", "1", "--batches", batches,
                         "--seconds", secs], env=env)
    cdir = os.path.join(tmp, "c_" + w)
    os.makedirs(cdir, exist_ok=True)
    if results_ok([a.cli, "export-c", model, "-o", os.path.join(cdir, "net.c"), "--name", "net"]):
        exe = os.path.join(cdir, "c_export_inference")
        if compile_c([a.cc, "-O2", a.march, "-I", cdir, "-o", exe,
                      os.path.join(ANCHORS, "c_export_inference.c"),
                      os.path.join(cdir, "net.c"), "-lm"]):
            rows += results([exe, w, secs] + batches.split(","))
    net = os.path.join(tmp, w + ".net")
    if fann_exe and results_ok([a.cli, "export-fann", model, "-o", net]):
        rows += results([fann_exe, net, w, secs] + batches.split(","))
    return rows


def results_ok(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    if p.returncode != 0:
        print("FAILED: %s\n%s" % (" ".join(cmd), p.stdout[-2000:]), file=sys.stderr)
    return p.returncode == 0


def table(rows):
    print("| workload | batch | engine | samples/s | µs per call | vs Predictor |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    key = lambda r: (r["workload"], r["batch"])
    base = {key(r): r["samples_per_s"] for r in rows if r["engine"] == "dagprop Predictor"}
    rank = lambda e: ORDER.index(e) if e in ORDER else len(ORDER)
    seen = []
    for r in rows:
        if key(r) not in seen:
            seen.append(key(r))
    for k in seen:
        for r in sorted((r for r in rows if key(r) == k), key=lambda r: rank(r["engine"])):
            ratio = r["samples_per_s"] / base[k] if k in base else float("nan")
            print("| %s | %d | %s | %s | %.2f | %.2f |" % (
                r["workload"], r["batch"], r["engine"], format(round(r["samples_per_s"]), ","),
                r["call_us"], ratio))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default="build/release", help="build folder (bench/, tools/)")
    p.add_argument("--workloads", default="w1,w3,neat")
    p.add_argument("--batches", default="1,16,256,4096")
    p.add_argument("--seconds", type=float, default=0.5, help="per engine and batch size")
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--cc", default="cc")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--avx2", action="store_true",
                   help=AVX2_HELP + ", given as --build; the C programs with -march=x86-64-v3")
    a = p.parse_args()
    a.march = "-march=x86-64-v3" if a.avx2 else "-march=native"
    a.bench = os.path.join(ROOT, a.build, "bench", "inference_bench")
    a.cli = os.path.join(ROOT, a.build, "tools", "dagprop")
    for exe in (a.bench, a.cli):
        if not os.access(exe, os.X_OK):
            sys.exit("inference_compare: %s is not built" % exe)
    if a.avx2:
        hold_to_avx2()
    elif not a.no_torch:
        best_coretype(a.python)
    tmp = tempfile.mkdtemp(prefix="dagprop_inference_")
    try:
        fann_exe = os.path.join(tmp, "fann_inference")
        if not compile_c([a.cc, "-O3", a.march, "-o", fann_exe,
                          os.path.join(ANCHORS, "fann_inference.c"), "-lfloatfann", "-lm"]):
            fann_exe = None
        rows = []
        for w in a.workloads.split(","):
            print("workload %s ..." % w, file=sys.stderr, flush=True)
            rows += one_workload(a, w, tmp, fann_exe)
        table(rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
