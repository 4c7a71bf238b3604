/* Test helper built against FANN 2.2 (libfloatfann; with FANN_TOOL_DOUBLE
 * against libdoublefann, the same code in double): makes FANN networks and
 * data files with FANN itself and runs networks with fann_run, so that the
 * [fann] tests compare dagprop with the library, not with a re-implementation.
 * It is not part of dagprop and checks its arguments only as far as tests need.
 *
 *   fann_tool create OUT.net TYPE LAYERS FUNCS STEEPS SEED SCALED
 *     TYPE standard|shortcut|sparse; LAYERS e.g. 3,5,2; FUNCS and STEEPS comma
 *     lists of FANN function codes and steepnesses given to the neurons in turn
 *     (bias neurons skipped); SEED for srand (weights in [-1, 1]; a sparse
 *     network's connections FANN draws from its own seed); SCALED 1: set
 *     scaling parameters from random data (inputs to [-0.8, 0.8], outputs to
 *     [-0.9, 0.6]).
 *   fann_tool run NET.net IN.txt    one output row per input row (whitespace
 *     separated numbers); with scaling: fann_scale_input, fann_run,
 *     fann_descale_output, as a FANN program deploys it.
 *   fann_tool data OUT.data ROWS INPUTS OUTPUTS SEED   fann_save_train of random data.
 *   fann_tool dump IN.data   fann_read_train_from_file, each pair's inputs and
 *     outputs on one line (%.9g), "error" if FANN refuses the file.
 *   fann_tool fixed NET.net OUT.net   fann_save_to_fixed (prints the decimal point). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FANN_TOOL_DOUBLE
#include "doublefann.h"
#else
#include "floatfann.h"
#endif

static unsigned parse_list(const char* text, double* values, unsigned max) {
  unsigned n = 0;
  char *copy = strdup(text), *save = NULL;
  for (char* tok = strtok_r(copy, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
    values[n++] = strtod(tok, NULL);
  free(copy);
  return n;
}

static double uniform(double lo, double hi) {
  return lo + (hi - lo) * rand() / (double)RAND_MAX;
}

static int create(char** argv) {
  double layers_d[16], funcs[64], steeps[64];
  unsigned layers[16];
  const unsigned num_layers = parse_list(argv[4], layers_d, 16);
  const unsigned nf = parse_list(argv[5], funcs, 64), ns = parse_list(argv[6], steeps, 64);
  srand((unsigned)atoi(argv[7]));
  for (unsigned k = 0; k < num_layers; ++k) layers[k] = (unsigned)layers_d[k];
  struct fann* ann = NULL;
  if (strcmp(argv[3], "standard") == 0)
    ann = fann_create_standard_array(num_layers, layers);
  else if (strcmp(argv[3], "shortcut") == 0)
    ann = fann_create_shortcut_array(num_layers, layers);
  else
    ann = fann_create_sparse_array(0.6f, num_layers, layers);
  if (!ann || nf == 0 || ns == 0) return 2;
  srand((unsigned)atoi(argv[7])); /* fann_create_* seeds rand() from the clock */
  fann_randomize_weights(ann, -1, 1);
  unsigned k = 0;
  for (struct fann_layer* l = ann->first_layer + 1; l != ann->last_layer; ++l)
    for (struct fann_neuron* n = l->first_neuron; n != l->last_neuron; ++n) {
      if (n->first_con == n->last_con) continue;
      n->activation_function = (enum fann_activationfunc_enum)funcs[k % nf];
      n->activation_steepness = (fann_type)steeps[k % ns];
      ++k;
    }
  if (atoi(argv[8]) == 1) {
    struct fann_train_data* d = fann_create_train(30, ann->num_input, ann->num_output);
    for (unsigned r = 0; r < 30; ++r) {
      for (unsigned c = 0; c < ann->num_input; ++c) d->input[r][c] = (fann_type)uniform(-20, 50);
      for (unsigned c = 0; c < ann->num_output; ++c) d->output[r][c] = (fann_type)uniform(3, 9);
    }
    fann_set_scaling_params(ann, d, -0.8f, 0.8f, -0.9f, 0.6f);
    fann_destroy_train(d);
  }
  const int rc = fann_save(ann, argv[2]);
  fann_destroy(ann);
  return rc == 0 ? 0 : 3;
}

static int run(char** argv) {
  struct fann* ann = fann_create_from_file(argv[2]);
  FILE* in = fopen(argv[3], "r");
  if (!ann || !in) return 2;
  fann_type *x = calloc(ann->num_input, sizeof *x), *y = calloc(ann->num_output, sizeof *y);
  for (;;) {
    unsigned c = 0;
    for (; c < ann->num_input; ++c)
      if (fscanf(in, FANNSCANF, &x[c]) != 1) break;
    if (c < ann->num_input) break;
    if (ann->scale_mean_in) fann_scale_input(ann, x);
    const fann_type* out = fann_run(ann, x);
    memcpy(y, out, ann->num_output * sizeof *y);
    if (ann->scale_mean_in) fann_descale_output(ann, y);
    for (c = 0; c < ann->num_output; ++c) printf(c ? " %.17g" : "%.17g", (double)y[c]);
    printf("\n");
  }
  free(x);
  free(y);
  fclose(in);
  fann_destroy(ann);
  return 0;
}

static int data(char** argv) {
  const unsigned rows = (unsigned)atoi(argv[3]), ni = (unsigned)atoi(argv[4]),
                 no = (unsigned)atoi(argv[5]);
  srand((unsigned)atoi(argv[6]));
  struct fann_train_data* d = fann_create_train(rows, ni, no);
  for (unsigned r = 0; r < rows; ++r) {
    for (unsigned c = 0; c < ni; ++c) d->input[r][c] = (fann_type)uniform(-2, 2);
    for (unsigned c = 0; c < no; ++c) d->output[r][c] = (fann_type)uniform(0, 1);
  }
  const int rc = fann_save_train(d, argv[2]);
  fann_destroy_train(d);
  return rc == 0 ? 0 : 3;
}

static int dump(char** argv) {
  struct fann_train_data* d = fann_read_train_from_file(argv[2]);
  if (!d) {
    printf("error\n");
    return 0;
  }
  for (unsigned r = 0; r < d->num_data; ++r) {
    for (unsigned c = 0; c < d->num_input; ++c)
      printf(c ? " %.9g" : "%.9g", (double)d->input[r][c]);
    for (unsigned c = 0; c < d->num_output; ++c) printf(" %.9g", (double)d->output[r][c]);
    printf("\n");
  }
  fann_destroy_train(d);
  return 0;
}

static int fixed(char** argv) {
  struct fann* ann = fann_create_from_file(argv[2]);
  if (!ann) return 2;
  printf("%d\n", fann_save_to_fixed(ann, argv[3]));
  fann_destroy(ann);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 9 && strcmp(argv[1], "create") == 0) return create(argv);
  if (argc == 4 && strcmp(argv[1], "run") == 0) return run(argv);
  if (argc == 7 && strcmp(argv[1], "data") == 0) return data(argv);
  if (argc == 4 && strcmp(argv[1], "fixed") == 0) return fixed(argv);
  if (argc == 3 && strcmp(argv[1], "dump") == 0) return dump(argv);
  fprintf(stderr, "usage: see the comment at the top of fann_tool.c\n");
  return 1;
}
