/* FANN 2.2 anchors for W1 (fmnist-mlp), W2 (small-mlp), W3 (approximation of sparse-dag).
 * Copied from the project's shared benchmark definitions (/work/shared/bench, see
 * WORKLOADS.md); kept as it is so that every engine trains the same workloads.
 *
 * Build:  gcc -O2 -o fann_anchor fann_anchor.c -lfloatfann -lz -lm
 * Usage:  ./fann_anchor w1|w2|w3 incremental|batch EPOCHS [eval_epochs_csv]
 *
 * FANN has no minibatch SGD: FANN_TRAIN_INCREMENTAL updates the weights after every
 * sample (minibatch 1), FANN_TRAIN_BATCH does one update per epoch with the full-data
 * mean gradient.  FANN 2.2 has no ReLU and no softmax, so W1 uses tanh hidden units
 * (FANN_SIGMOID_SYMMETRIC, steepness 1) and logistic outputs (FANN_SIGMOID, steepness 1)
 * with MSE on one-hot targets (FANN_ERRORFUNC_LINEAR).  W3 is approximated by a layered
 * sparse net 64-2000-10 (fann_create_sparse) with ~the same number of weights.
 * Per-epoch wall time of fann_train_epoch() is measured with CLOCK_MONOTONIC.
 */
#include <floatfann.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <time.h>
#include <zlib.h>

static uint64_t sm_state;
static uint64_t sm_next(void) {
    uint64_t z = (sm_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double sm_u01(void) { return (sm_next() >> 11) * (1.0 / 9007199254740992.0); }

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

static unsigned char *read_idx(const char *path, size_t *n) {
    gzFile f = gzopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    size_t cap = 1 << 20, len = 0; unsigned char *b = malloc(cap); int r;
    while ((r = gzread(f, b + len, (unsigned)(cap - len))) > 0) { len += r; if (len == cap) b = realloc(b, cap *= 2); }
    gzclose(f); *n = len; return b;
}

static struct fann_train_data *fmnist(const char *img, const char *lab, unsigned cnt) {
    size_t ni, nl; char p1[256], p2[256];
    snprintf(p1, sizeof p1, "/usr/share/datasets/fashion-mnist/%s", img);
    snprintf(p2, sizeof p2, "/usr/share/datasets/fashion-mnist/%s", lab);
    unsigned char *I = read_idx(p1, &ni), *L = read_idx(p2, &nl);
    struct fann_train_data *d = fann_create_train(cnt, 784, 10);
    for (unsigned i = 0; i < cnt; i++) {
        for (unsigned j = 0; j < 784; j++) d->input[i][j] = I[16 + (size_t)i * 784 + j] / 255.0f;
        for (unsigned k = 0; k < 10; k++) d->output[i][k] = (L[8 + i] == k) ? 1.0f : 0.0f;
    }
    free(I); free(L); return d;
}

static double accuracy(struct fann *ann, struct fann_train_data *d) {
    unsigned ok = 0;
    for (unsigned i = 0; i < d->num_data; i++) {
        fann_type *o = fann_run(ann, d->input[i]); unsigned a = 0, t = 0;
        for (unsigned k = 1; k < d->num_output; k++) { if (o[k] > o[a]) a = k; if (d->output[i][k] > d->output[i][t]) t = k; }
        ok += (a == t);
    }
    return (double)ok / d->num_data;
}

static int cmpd(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s w1|w2|w3 incremental|batch EPOCHS [eval_csv]\n", argv[0]); return 2; }
    const char *w = argv[1]; int batch = !strcmp(argv[2], "batch"); int epochs = atoi(argv[3]);
    const char *evals = argc > 4 ? argv[4] : "";
    struct fann *ann; struct fann_train_data *tr, *te = NULL; double conns; float lr;
    srand(1);  /* FANN initial weights use rand() */
    if (!strcmp(w, "w1")) {
        tr = fmnist("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60000);
        te = fmnist("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000);
        ann = fann_create_standard(4, 784, 256, 128, 10);
        fann_set_activation_function_hidden(ann, FANN_SIGMOID_SYMMETRIC);
        fann_set_activation_function_output(ann, FANN_SIGMOID);
        conns = 784 * 256 + 256 * 128 + 128 * 10; lr = 0.05f;
    } else if (!strcmp(w, "w2")) {
        unsigned n = 100000; tr = fann_create_train(n, 2, 1); sm_state = 2;
        for (unsigned i = 0; i < n; i++) {
            double x1 = -M_PI + 2 * M_PI * sm_u01(), x2 = -M_PI + 2 * M_PI * sm_u01();
            tr->input[i][0] = (float)x1; tr->input[i][1] = (float)x2; tr->output[i][0] = (float)(sin(x1) * cos(x2));
        }
        ann = fann_create_standard(4, 2, 32, 32, 1);
        fann_set_activation_function_hidden(ann, FANN_SIGMOID_SYMMETRIC);
        fann_set_activation_function_output(ann, FANN_LINEAR);
        conns = 2 * 32 + 32 * 32 + 32; lr = 0.01f;
    } else {
        unsigned n = 8192; tr = fann_create_train(n, 64, 10); sm_state = 4;
        for (unsigned i = 0; i < n; i++) for (unsigned j = 0; j < 64; j++) tr->input[i][j] = (float)(2.0 * sm_u01() - 1.0);
        for (unsigned i = 0; i < n; i++) for (unsigned k = 0; k < 10; k++) tr->output[i][k] = tr->input[i][k] * tr->input[i][k + 10];
        /* rate chosen so that FANN's connection count (biases included) ~= 64,320 weights + 2,010 biases */
        ann = fann_create_sparse(0.4422f, 3, 64, 2000, 10);
        fann_set_activation_function_hidden(ann, FANN_SIGMOID_SYMMETRIC);
        fann_set_activation_function_output(ann, FANN_LINEAR);
        conns = fann_get_total_connections(ann) - 2010.0; lr = 0.01f;
    }
    fann_set_activation_steepness_hidden(ann, 1.0f);
    fann_set_activation_steepness_output(ann, 1.0f);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_training_algorithm(ann, batch ? FANN_TRAIN_BATCH : FANN_TRAIN_INCREMENTAL);
    fann_set_learning_rate(ann, lr);
    printf("fann %s %s: layers, total_connections(FANN, incl. bias)=%u, weights counted=%.0f, lr=%g, samples=%u\n",
           w, argv[2], fann_get_total_connections(ann), conns, lr, tr->num_data);
    double *t = malloc(sizeof(double) * epochs);
    for (int e = 1; e <= epochs; e++) {
        double t0 = now(); float mse = fann_train_epoch(ann, tr); t[e - 1] = now() - t0;
        printf("epoch %3d  %.3f s  %9.0f samples/s  MSE %.5f", e, t[e - 1], tr->num_data / t[e - 1], mse);
        char key[16]; snprintf(key, sizeof key, ",%d,", e); char ev[256]; snprintf(ev, sizeof ev, ",%s,", evals);
        if (te && (strstr(ev, key) || e == epochs)) printf("  test-acc %.4f", accuracy(ann, te));
        printf("\n"); fflush(stdout);
    }
    int s0 = epochs > 1 ? 1 : 0, ns = epochs - s0; double tot = 0;
    for (int e = 0; e < epochs; e++) tot += t[e];
    qsort(t + s0, ns, sizeof(double), cmpd);
    double med = (ns % 2) ? t[s0 + ns / 2] : 0.5 * (t[s0 + ns / 2 - 1] + t[s0 + ns / 2]);
    double sps = tr->num_data / med;
    printf("RESULT {\"workload\": \"%s\", \"algo\": \"%s\", \"epochs\": %d, \"median_epoch_s\": %.4f, \"samples_per_s\": %.1f, "
           "\"connections\": %.0f, \"MCUPS\": %.2f, \"GFLOPs_6\": %.4f, \"total_train_s\": %.2f}\n",
           w, argv[2], epochs, med, sps, conns, sps * conns / 1e6, sps * conns * 6 / 1e9, tot);
    return 0;
}
