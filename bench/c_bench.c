/* libpagerduty from C: page 10,000 incidents, send 2,000 triggers from one thread and from 16
 * threads sharing one client; median (min-max) of RUNS. Usage: c_bench URL RUNS [CA_FILE]
 * (CA_FILE: trust the simulator's self-signed certificate, for its HTTPS listener).
 * `c_bench --startup URL [CA_FILE]` prints, for this fresh process, the ms to create a REST and
 * an events client and the ms of their first calls (run it several times for a median). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pagerduty.h"

#define EVENTS 2000
#define THREADS 16
#define TRIGGER "{\"summary\":\"bench\",\"source\":\"c\",\"severity\":\"info\"}"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void options(char *buf, size_t n, const char *url, const char *ca_file) {
  if (ca_file)
    snprintf(buf, n, "{\"region\":\"%s\",\"ca_file\":\"%s\"}", url, ca_file);
  else
    snprintf(buf, n, "{\"region\":\"%s\"}", url);
}

static int failures;

static void *worker(void *arg) {
  pd_events *e = arg;
  for (int i = 0; i < EVENTS / THREADS; i++)
    if (pd_events_trigger(e, TRIGGER, NULL) != PD_STATUS_OK) __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
  return NULL;
}

static int startup(const char *url, const char *ca_file) {
  char opts[1024];
  options(opts, sizeof opts, url, ca_file);
  double t0 = now();
  pd_rest *c = NULL;
  pd_events *e = NULL;
  if (pd_rest_new("pdmock_full_access_1", opts, &c) != PD_STATUS_OK) return 1;
  if (pd_events_new("pdmockintegrationkey000000000001", opts, &e) != PD_STATUS_OK) return 1;
  double t1 = now();
  char *out = NULL;
  if (pd_rest_request(c, "GET", "/incidents", "{\"limit\":1}", NULL, &out) != PD_STATUS_OK) return 1;
  pd_string_free(out);
  if (pd_events_trigger(e, TRIGGER, NULL) != PD_STATUS_OK) return 1;
  double t2 = now();
  printf("%.3f %.3f\n", (t1 - t0) * 1000, (t2 - t1) * 1000);
  pd_events_free(e);
  pd_rest_free(c);
  return 0;
}

static void report(const char *what, double *xs, int runs, int events) {
  qsort(xs, runs, sizeof(double), cmp);
  double m = xs[runs / 2];
  if (events)
    printf("%s: %.3f s median (%.3f-%.3f), %.0f events/s\n", what, m, xs[0], xs[runs - 1], EVENTS / m);
  else
    printf("%s: %.3f s median (%.3f-%.3f)\n", what, m, xs[0], xs[runs - 1]);
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "--startup") == 0) return startup(argv[2], argc > 3 ? argv[3] : NULL);
  const char *url = argv[1];
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  const char *ca_file = argc > 3 ? argv[3] : NULL;
  if (runs > 32) runs = 32;
  char opts[1024];
  options(opts, sizeof opts, url, ca_file);
  double paging[32], events[32], events16[32];
  for (int r = 0; r < runs; r++) {
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
    if (pd_events_new("pdmockintegrationkey000000000001", opts, &e) != PD_STATUS_OK) return 1;
    t = now();
    for (int i = 0; i < EVENTS; i++)
      if (pd_events_trigger(e, TRIGGER, NULL) != PD_STATUS_OK) failures++;
    events[r] = now() - t;
    pd_events_free(e);

    /* 16 threads, each its first request on this client from a new thread. */
    if (pd_events_new("pdmockintegrationkey000000000001", opts, &e) != PD_STATUS_OK) return 1;
    pthread_t th[THREADS];
    t = now();
    for (int k = 0; k < THREADS; k++) pthread_create(&th[k], NULL, worker, e);
    for (int k = 0; k < THREADS; k++) pthread_join(th[k], NULL);
    events16[r] = now() - t;
    pd_events_free(e);
  }
  if (failures) printf("C: %d triggers failed\n", failures);
  report("C paging 10,000 incidents", paging, runs, 0);
  report("C 2,000 triggers c1", events, runs, 1);
  report("C 2,000 triggers c16 (16 threads, one client)", events16, runs, 1);
  return failures != 0;
}
