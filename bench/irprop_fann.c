/* FANN 2.2's own iRPROP- (FANN_TRAIN_RPROP, fann_update_weights_irpropm) on a fixed
 * problem, for bench/irprop_fann.py, which trains dagprop's irprop- from the same start.
 * It builds the layered network and its data, gives every weight and bias a seeded
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) value, writes both for dagprop (OUT/net.dot with
 * the exact float values, OUT/data.csv), then trains full-batch epochs with FANN's
 * defaults (1.2, 0.5, 0, 50, 0.1) until the epoch's MSE reaches TARGET or EPOCHS run.
 * Nothing here is a test.
 *
 * Build:  cc -O2 -o irprop_fann irprop_fann.c -lfloatfann -lm
 * Usage:  ./irprop_fann sincos|parity6 OUT EPOCHS TARGET_MSE [SEED]   (SEED of the weights, 1)
 *
 * Hidden units are FANN_SIGMOID_SYMMETRIC with steepness 1 (tanh), outputs FANN_LINEAR
 * with steepness 1 (identity; FANN halves the error of symmetric outputs), error
 * function FANN_ERRORFUNC_LINEAR. FANN's MSE is sum (d - y)^2 / (rows * outputs).
 */
#define _XOPEN_SOURCE 600 /* erand48 */
#include <floatfann.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seeded uniform numbers in [0, 1): erand48 of POSIX, the same on every libc. */
static unsigned short rng[3];
static void seed(unsigned short s) { rng[0] = 0x330E, rng[1] = s, rng[2] = 0; }
static double u01(void) { return erand48(rng); }
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* sincos: y = sin(x1) cos(x2) on 2000 points of [-pi, pi]^2, 2-16-16-1.
 * parity6: the parity of 6 bits as -1/+1 on all 64 patterns, 6-12-1. */
static struct fann_train_data *make_problem(const char *name, unsigned *layers, unsigned *n) {
    struct fann_train_data *d;
    unsigned i, j;
    if (!strcmp(name, "sincos")) {
        layers[0] = 2, layers[1] = 16, layers[2] = 16, layers[3] = 1, *n = 4;
        d = fann_create_train(2000, 2, 1);
        seed(11);
        for (i = 0; i < 2000; i++) {
            double x1 = -M_PI + 2 * M_PI * u01(), x2 = -M_PI + 2 * M_PI * u01();
            d->input[i][0] = (float)x1, d->input[i][1] = (float)x2;
            d->output[i][0] = (float)(sin(x1) * cos(x2));
        }
        return d;
    }
    if (!strcmp(name, "parity6")) {
        layers[0] = 6, layers[1] = 12, layers[2] = 1, *n = 3;
        d = fann_create_train(64, 6, 1);
        for (i = 0; i < 64; i++) {
            unsigned ones = 0;
            for (j = 0; j < 6; j++) {
                d->input[i][j] = (i >> j) & 1 ? 1.0f : -1.0f;
                ones += (i >> j) & 1;
            }
            d->output[i][0] = ones % 2 ? 1.0f : -1.0f;
        }
        return d;
    }
    fprintf(stderr, "unknown problem '%s' (expected sincos or parity6)\n", name);
    exit(2);
}

/* FANN numbers neurons layer by layer, each layer followed by its bias neuron. */
static unsigned layer_of(const unsigned *layers, unsigned n, unsigned neuron, unsigned *pos) {
    unsigned l, first = 0;
    for (l = 0; l < n; l++) {
        if (neuron < first + layers[l] + 1) break;
        first += layers[l] + 1;
    }
    *pos = neuron - first;
    return l;
}

/* Seeded weights, written back into FANN and as a DOT file dagprop imports. */
static void init_and_write(struct fann *ann, const unsigned *layers, unsigned n, const char *out,
                           unsigned short weight_seed) {
    unsigned total = fann_get_total_connections(ann), c, l, k;
    struct fann_connection *con = malloc(sizeof *con * total);
    char path[4096];
    FILE *f;
    fann_get_connection_array(ann, con);
    seed(weight_seed);
    for (c = 0; c < total; c++) {
        unsigned pos, to = layer_of(layers, n, con[c].to_neuron, &pos);
        double bound = 1.0 / sqrt((double)layers[to - 1]);
        con[c].weight = (float)(bound * (2 * u01() - 1));
    }
    fann_set_weight_array(ann, con, total);
    snprintf(path, sizeof path, "%s/net.dot", out);
    f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fprintf(f, "digraph fann {\n");
    for (l = 0; l < n; l++)
        for (k = 0; k < layers[l]; k++) {
            if (l == 0) fprintf(f, "  n%u_%u [role=input, index=%u];\n", l, k, k);
            else if (l == n - 1) fprintf(f, "  n%u_%u [role=output, index=%u, activation=identity", l, k, k);
            else fprintf(f, "  n%u_%u [role=hidden, activation=tanh", l, k);
            if (l > 0) {  /* the bias: the weight from the previous layer's bias neuron */
                for (c = 0; c < total; c++) {
                    unsigned pf, pt, lf = layer_of(layers, n, con[c].from_neuron, &pf);
                    unsigned lt = layer_of(layers, n, con[c].to_neuron, &pt);
                    if (lt == l && pt == k && pf == layers[lf]) fprintf(f, ", bias=%.9g", con[c].weight);
                }
                fprintf(f, "];\n");
            }
        }
    for (c = 0; c < total; c++) {
        unsigned pf, pt, lf = layer_of(layers, n, con[c].from_neuron, &pf);
        unsigned lt = layer_of(layers, n, con[c].to_neuron, &pt);
        if (pf < layers[lf]) fprintf(f, "  n%u_%u -> n%u_%u [weight=%.9g];\n", lf, pf, lt, pt, con[c].weight);
    }
    fprintf(f, "}\n");
    fclose(f);
    free(con);
}

static void write_data(const struct fann_train_data *d, const char *out) {
    char path[4096];
    unsigned i, j;
    FILE *f;
    snprintf(path, sizeof path, "%s/data.csv", out);
    f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    for (i = 0; i < d->num_data; i++) {
        for (j = 0; j < d->num_input; j++) fprintf(f, "%.9g,", d->input[i][j]);
        for (j = 0; j < d->num_output; j++) fprintf(f, j + 1 < d->num_output ? "%.9g," : "%.9g\n", d->output[i][j]);
    }
    fclose(f);
}

int main(int argc, char **argv) {
    unsigned layers[8], n, e, epochs, reached = 0;
    struct fann_train_data *d;
    struct fann *ann;
    double target, seconds = 0, to_target = 0;
    float mse = 0;
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s sincos|parity6 OUT EPOCHS TARGET_MSE [SEED]\n", argv[0]);
        return 2;
    }
    d = make_problem(argv[1], layers, &n);
    epochs = (unsigned)atoi(argv[3]);
    target = atof(argv[4]);
    ann = fann_create_standard_array(n, layers);
    fann_set_activation_function_hidden(ann, FANN_SIGMOID_SYMMETRIC);
    fann_set_activation_function_output(ann, FANN_LINEAR);
    fann_set_activation_steepness_hidden(ann, 1.0f);
    fann_set_activation_steepness_output(ann, 1.0f);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_training_algorithm(ann, FANN_TRAIN_RPROP);  /* FANN's default, with its defaults */
    init_and_write(ann, layers, n, argv[2], (unsigned short)(argc == 6 ? atoi(argv[5]) : 1));
    write_data(d, argv[2]);
    for (e = 1; e <= epochs; e++) {
        double t0 = now();
        mse = fann_train_epoch(ann, d);  /* the MSE of the weights before this epoch's update */
        seconds += now() - t0;
        printf("epoch %u mse %.9g seconds %.6f\n", e, mse, seconds);
        if (!reached && mse <= target) reached = e, to_target = seconds;
        if (reached) break;
    }
    printf("RESULT {\"engine\": \"fann\", \"problem\": \"%s\", \"epochs\": %u, \"reached\": %u, "
           "\"seconds_to_target\": %.6f, \"mse\": %.9g, \"seconds\": %.6f}\n",
           argv[1], e > epochs ? epochs : e, reached, to_target, mse, seconds);
    fann_destroy(ann);
    fann_destroy_train(d);
    return 0;
}
