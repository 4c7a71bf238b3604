/* dagprop's exported C (`dagprop export-c MODEL -o net.c --name net`) timed as the
 * inference table times the other engines: the generated net_run has no batch
 * mode, so a batch of B runs is B calls of net_run. Prints one RESULT {json} line
 * per batch size with samples/s and the median time of a batch.
 *
 * Build: cc -O2 -march=native -I DIR c_export_inference.c DIR/net.c -lm -o c_export_inference
 * Usage: c_export_inference WORKLOAD SECONDS BATCH [BATCH ...]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "net.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s WORKLOAD SECONDS BATCH [BATCH ...]\n", argv[0]);
    return 2;
  }
  const double seconds = atof(argv[2]);
  const unsigned rows = 16384;
  float *x = malloc(sizeof(float) * rows * net_INPUTS);
  float *work = malloc(sizeof(float) * net_UNITS); /* W1's units do not fit every stack */
  float y[net_OUTPUTS];
  unsigned long long state = 7;
  for (unsigned k = 0; k < rows * net_INPUTS; ++k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    x[k] = (float)((double)(state >> 11) * 0x1.0p-53 * 2.0 - 1.0);
  }
  volatile float sink = 0;
  for (int arg = 3; arg < argc; ++arg) {
    const unsigned batch = (unsigned)atoi(argv[arg]);
    if (batch == 0 || batch > rows) return 2;
    size_t calls = 0, cap = 1024;
    double *times = malloc(sizeof(double) * cap), total = 0;
    unsigned start = 0;
    const double deadline = now() + seconds;
    do {
      const double t0 = now();
      for (unsigned r = 0; r < batch; ++r) {
        net_run_ws(x + (size_t)(start + r) * net_INPUTS, y, work);
        sink += y[0];
      }
      const double dt = now() - t0;
      if (calls == cap) times = realloc(times, sizeof(double) * (cap *= 2));
      times[calls++] = dt;
      total += dt;
      start = (start + batch) % (rows - batch + 1);
    } while (now() < deadline || calls < 3);
    qsort(times, calls, sizeof(double), by_value);
    printf("RESULT {\"engine\": \"exported C\", \"workload\": \"%s\", \"batch\": %u, "
           "\"threads\": 1, \"samples_per_s\": %.1f, \"call_us\": %.3f}\n",
           argv[1], batch, (double)(calls * batch) / total, times[calls / 2] * 1e6);
    fflush(stdout);
    free(times);
  }
  free(work);
  free(x);
  return sink == 12345.0f ? 3 : 0;
}
