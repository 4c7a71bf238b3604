/* Test helper built against FANN 2.2's fixed-point library (libfixedfann,
 * where fann_type is int): runs a FANN_FIX_2.0 file, as fann_save_to_fixed
 * writes it, with FANN's fixed-point fann_run, so that the [fann] tests compare
 * dagprop with FANN's integer runtime itself. It is not part of dagprop and
 * checks its arguments only as far as tests need.
 *
 *   fann_fixed_run NET.net IN.txt   one output row per input row (whitespace
 *     separated numbers): each input v becomes the integer nearest
 *     v * 2^decimal_point, as the fixed runtime expects, and each output the
 *     integer FANN computes divided by 2^decimal_point (%.17g). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixedfann.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fann_fixed_run NET.net IN.txt\n");
    return 1;
  }
  struct fann* ann = fann_create_from_file(argv[1]);
  FILE* in = fopen(argv[2], "r");
  if (!ann || !in) return 2;
  const double multiplier = (double)(1u << fann_get_decimal_point(ann));
  const unsigned num_input = fann_get_num_input(ann), num_output = fann_get_num_output(ann);
  fann_type* x = calloc(num_input, sizeof *x);
  for (;;) {
    unsigned c = 0;
    double v;
    for (; c < num_input; ++c) {
      if (fscanf(in, "%lf", &v) != 1) break;
      x[c] = (fann_type)lround(v * multiplier);
    }
    if (c < num_input) break;
    const fann_type* y = fann_run(ann, x);
    for (c = 0; c < num_output; ++c) printf(c ? " %.17g" : "%.17g", (double)y[c] / multiplier);
    printf("\n");
  }
  free(x);
  fclose(in);
  fann_destroy(ann);
  return 0;
}
