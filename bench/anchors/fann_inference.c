/* FANN 2.2 inference (fann_run, float) of a network file, for the side-by-side inference
 * table: FANN has no batch mode, so a batch of B runs is B calls of fann_run. Prints one
 * RESULT {json} line per batch size with samples/s and the median time of a batch.
 *
 * Build: cc -O3 -march=native fann_inference.c -lfloatfann -lm -o fann_inference
 * Usage: fann_inference NET.net WORKLOAD SECONDS BATCH [BATCH ...]
 */
#define _POSIX_C_SOURCE 199309L
#include <fann.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
  if (argc < 5) {
    fprintf(stderr, "usage: %s NET.net WORKLOAD SECONDS BATCH [BATCH ...]\n", argv[0]);
    return 2;
  }
  struct fann *ann = fann_create_from_file(argv[1]);
  if (!ann) return 1;
  const unsigned ni = fann_get_num_input(ann);
  const double seconds = atof(argv[3]);
  const unsigned rows = 16384;
  fann_type *x = malloc(sizeof(fann_type) * rows * ni);
  unsigned long long state = 7;
  for (unsigned k = 0; k < rows * ni; ++k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    x[k] = (fann_type)((double)(state >> 11) * 0x1.0p-53 * 2.0 - 1.0);
  }
  volatile fann_type sink = 0;
  for (int arg = 4; arg < argc; ++arg) {
    const unsigned batch = (unsigned)atoi(argv[arg]);
    if (batch == 0 || batch > rows) return 2;
    size_t calls = 0, cap = 1024;
    double *times = malloc(sizeof(double) * cap), total = 0;
    unsigned start = 0;
    const double deadline = now() + seconds;
    do {
      const double t0 = now();
      for (unsigned r = 0; r < batch; ++r) sink += fann_run(ann, x + (size_t)(start + r) * ni)[0];
      const double dt = now() - t0;
      if (calls == cap) times = realloc(times, sizeof(double) * (cap *= 2));
      times[calls++] = dt;
      total += dt;
      start = (start + batch) % (rows - batch + 1);
    } while (now() < deadline || calls < 3);
    qsort(times, calls, sizeof(double), by_value);
    printf("RESULT {\"engine\": \"fann\", \"workload\": \"%s\", \"batch\": %u, \"threads\": 1, "
           "\"samples_per_s\": %.1f, \"call_us\": %.3f}\n",
           argv[2], batch, (double)(calls * batch) / total, times[calls / 2] * 1e6);
    fflush(stdout);
    free(times);
  }
  free(x);
  fann_destroy(ann);
  return sink == 12345.0f ? 3 : 0;
}
