/* libpagerduty from C: page 10,000 incidents and send 2,000 triggers; median of RUNS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pagerduty.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *url = argv[1];
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  char opts[256];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\"}", url);
  double paging[32], events[32];
  for (int r = 0; r < runs && r < 32; r++) {
    pd_rest *c = NULL;
    if (pd_rest_new("pdmock_full_access_1", opts, &c) != PD_STATUS_OK) return 1;
    pd_pager *p = NULL;
    pd_pager_new(c, "/incidents", "{\"limit\":100}", &p);
    double t = now();
    size_t bytes = 0;
    char *items = NULL;
    while (pd_pager_next(p, &items) == PD_STATUS_OK && items) {
      bytes += strlen(items);
      pd_string_free(items);
    }
    paging[r] = now() - t;
    pd_pager_free(p);
    pd_rest_free(c);
    if (r == 0) printf("C paging: %zu bytes of incident JSON per walk\n", bytes);

    pd_events *e = NULL;
    pd_events_new("pdmockintegrationkey000000000001", opts, &e);
    t = now();
    for (int i = 0; i < 2000; i++) pd_events_trigger(e, "{\"summary\":\"bench\",\"source\":\"c\",\"severity\":\"info\"}", NULL);
    events[r] = now() - t;
    pd_events_free(e);
  }
  qsort(paging, runs, sizeof(double), cmp);
  qsort(events, runs, sizeof(double), cmp);
  printf("C paging 10,000 incidents: %.3f s median of %d\n", paging[runs / 2], runs);
  printf("C 2,000 triggers: %.3f s median, %.0f events/s\n", events[runs / 2], 2000 / events[runs / 2]);
  return 0;
}
