/* C test of pd_outbox (include/pagerduty.h) against pagerduty-mock (PD_MOCK_URL): bad inputs,
 * every verb, the journal's mode, the lock, spooling from a second process, dead letters, close
 * while another thread flushes; then the crash test: a child (this program run again, `child`
 * mode) that opens the outbox, starts the sender and enqueues triggers with distinct
 * custom_details.seq over 16 routing keys, printing `try N` / `ok N` around each enqueue, is
 * SIGKILLed at random points at least 20 times and restarted, under 20% 5xx, 10% 429, 5% lost
 * answers and a full outage in the middle; at the end every seq whose enqueue returned has
 * exactly one alert and no seq has two.
 * PD_OUTBOX_CRASH=N: events in the crash test (default 1000; 0 skips it). PD_SOAK=1: 10,000 events
 * and a 60 s outage. PD_SEED: the kill schedule's seed (printed). Built by ffi/tests/c/run.sh. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pagerduty.h"

#include "check.h"

static const char *FULL = "pdmock_full_access_1";
static const char *ROUTING = "pdmockintegrationkey000000000001";
static const char *ROUTING_2 = "pdmockintegrationkey000000000002";
/* Well-formed, but no integration has it: PagerDuty answers 400. */
static const char *UNKNOWN_KEY = "R0123456789ABCDEF0123456789ABCDE";

static const char *self_path;
static char options[512];

static int contains(const char *hay, const char *needle) { return hay && needle && strstr(hay, needle) != NULL; }

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* PD_SOAK set and not empty: the full-size run. */
static int soak(void) { return getenv("PD_SOAK") && *getenv("PD_SOAK"); }

static void extra_key(char *dst, size_t n, long i) { snprintf(dst, n, "pdmockextraintegration%010ld", i); }

/* A fresh directory for one test (removed at the end with rm -rf). */
static void make_dir(char *dst, size_t n, const char *name) {
  snprintf(dst, n, "%s/pd-outbox-c-%s-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name, (long)getpid());
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dst);
  CHECK(system(cmd) == 0);
}

static void remove_dir(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

/* A number `"name":N` in `json` (the first), or -1. */
static long json_number(const char *json, const char *name) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"%s\":", name);
  const char *p = json ? strstr(json, needle) : NULL;
  return p ? strtol(p + strlen(needle), NULL, 10) : -1;
}

static pd_rest *admin_client(void) {
  pd_rest *c = NULL;
  char opts[600];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"from\":\"ada@example.com\"}", getenv("PD_MOCK_URL"));
  CHECK_STATUS(pd_rest_new(FULL, opts, &c), PD_STATUS_OK);
  return c;
}

static void mock_admin(pd_rest *c, const char *method, const char *path, const char *body) {
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, method, path, NULL, body, &out), PD_STATUS_OK);
  pd_string_free(out);
}

static char *mock_get(pd_rest *c, const char *path) {
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, "GET", path, NULL, NULL, &out), PD_STATUS_OK);
  return out;
}

static long outbox_stat(pd_outbox *o, const char *name) {
  char *json = NULL;
  long v = -1;
  if (pd_outbox_stats(o, &json) == PD_STATUS_OK) v = json_number(json, name);
  pd_string_free(json);
  return v;
}

static const char *TRIGGER = "{\"action\":\"trigger\",\"event\":{\"summary\":\"from C\",\"source\":\"c\",\"severity\":\"info\"}}";

/* ---- Short tests -------------------------------------------------------------------------- */

static void test_bad_inputs(void) {
  char dir[512];
  make_dir(dir, sizeof dir, "bad");
  pd_outbox *o = (pd_outbox *)0x1;
  CHECK_STATUS(pd_outbox_open(NULL, options, &o), PD_STATUS_INVALID_INPUT);
  CHECK(o == NULL);
  CHECK(contains(pd_last_error_message(), "dir"));
  CHECK_STATUS(pd_outbox_open(dir, options, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_open("/tmp/pd-\xff\xfe", options, &o), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "UTF-8"));
  CHECK_STATUS(pd_outbox_open(dir, "{not json", &o), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_open(dir, "{\"outbox\":{\"rate_limt\":1}}", &o), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "outbox.rate_limt"));
  CHECK_STATUS(pd_outbox_open(dir, "{\"outbox\":{\"fsync\":\"no\"}}", &o), PD_STATUS_INVALID_INPUT);
  CHECK(o == NULL);

  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  char *out = (char *)0x1;
  CHECK_STATUS(pd_outbox_enqueue(NULL, ROUTING, TRIGGER, &out), PD_STATUS_INVALID_INPUT);
  CHECK(out == NULL);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, TRIGGER, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, NULL, TRIGGER, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, "pdmockintegrationkey00000000000\xff", TRIGGER, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, FULL, TRIGGER, &out), PD_STATUS_WRONG_KEY_KIND);
  CHECK(!contains(pd_last_error_message(), FULL));
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{broken", &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "[]", &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"explode\"}", &out), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "v1_resolve"));
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"resolve\"}", &out), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "dedup_key"));
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"trigger\",\"event\":{\"summary\":\"s\",\"source\":\"c\",\"severity\":\"bad\"}}", &out),
               PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"trigger\",\"event\":{},\"extra\":1}", &out), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "extra"));
  CHECK(out == NULL);
  CHECK(outbox_stat(o, "queued") == 0); /* nothing refused reached the journal */
  CHECK_STATUS(pd_outbox_stats(o, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_stats(NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_dead(o, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_flush(NULL, 10, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_start(NULL), PD_STATUS_INVALID_INPUT);
  uint64_t n = 7;
  CHECK_STATUS(pd_outbox_retry_dead(o, "nope", &n), PD_STATUS_INVALID_INPUT);
  CHECK(n == 0);
  CHECK_STATUS(pd_outbox_retry_dead(o, "[-1]", NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_retry_dead(NULL, NULL, &n), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_spool(NULL, options, ROUTING, TRIGGER, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_spool(dir, options, ROUTING, TRIGGER, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_spool(dir, options, ROUTING, "{\"action\":\"change\",\"event\":{\"summary\":\"s\",\"images\":[]}}", &out),
               PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_inspect(NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_outbox_close(NULL), PD_STATUS_OK);
  pd_outbox_free(NULL);
  pd_outbox_free(o);
  remove_dir(dir);
}

static void test_verbs_mode_and_lock(void) {
  pd_rest *admin = admin_client();
  mock_admin(admin, "POST", "/_mock/reset", "{}");
  char dir[512];
  make_dir(dir, sizeof dir, "verbs");
  pd_outbox *o = NULL;
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  char *out = NULL;
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"trigger\",\"event\":{\"summary\":\"c verbs\",\"source\":\"c\","
                                             "\"severity\":\"error\",\"dedup_key\":\"c-verbs-1\"}}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"dedup_key\":\"c-verbs-1\""));
  CHECK(json_number(out, "id") >= 0);
  long first_id = json_number(out, "id");
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, TRIGGER, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"dedup_key\":\"")); /* generated now, fixed for every resend */
  CHECK(json_number(out, "id") == first_id + 1);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"acknowledge\",\"dedup_key\":\"c-verbs-1\"}", &out), PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, "{\"action\":\"resolve\",\"dedup_key\":\"c-verbs-1\"}", &out), PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING_2, "{\"action\":\"change\",\"event\":{\"summary\":\"deployed\",\"source\":\"c\"}}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"dedup_key\":null"));
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING_2, "{\"action\":\"v1_trigger\",\"event\":{\"description\":\"v1 from C\",\"incident_key\":\"c-v1\"}}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"dedup_key\":\"c-v1\""));
  pd_string_free(out);

  CHECK(outbox_stat(o, "queued") == 6);
  CHECK_STATUS(pd_outbox_stats(o, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"keys\":[{\"key\":\""));
  CHECK(!contains(out, ROUTING) && !contains(out, ROUTING_2));
  pd_string_free(out);

  /* The journal holds keys: 0600, in a 0700 directory. */
  char path[600];
  struct stat st;
  snprintf(path, sizeof path, "%s/journal", dir);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
  /* One owner: a second open (here or in another process) is refused. */
  pd_outbox *second = (pd_outbox *)0x1;
  CHECK_STATUS(pd_outbox_open(dir, options, &second), PD_STATUS_INVALID_INPUT);
  CHECK(second == NULL);
  CHECK(contains(pd_last_error_message(), "owned by another process"));
  char *details = NULL;
  pd_last_error_details(&details);
  CHECK(contains(details, "\"field\":\"dir\""));
  pd_string_free(details);

  CHECK_STATUS(pd_outbox_flush(o, 30000, &out), PD_STATUS_OK);
  CHECK(json_number(out, "queued") == 0);
  CHECK(json_number(out, "delivered") == 6);
  pd_string_free(out);
  char *alerts = mock_get(admin, "/_mock/alerts");
  CHECK(contains(alerts, "\"alert_key\":\"c-verbs-1\""));
  CHECK(contains(alerts, "\"status\":\"resolved\""));
  pd_string_free(alerts);
  /* Read-only, beside the owner. */
  CHECK_STATUS(pd_outbox_inspect(dir, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"spooled\":0") && contains(out, "\"dead_letters\":[]") && contains(out, "\"delivered\":6"));
  pd_string_free(out);
  pd_outbox_free(o);
  /* Freed: the directory can be owned again, with nothing left to send. */
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  CHECK(outbox_stat(o, "queued") == 0);
  pd_outbox_free(o);
  remove_dir(dir);
  pd_rest_free(admin);
}

/* Runs this program as `spool DIR N`: N triggers spooled to DIR, summary "spooled from C". */
static int spool_main(const char *dir, int n) {
  pd_outbox *o = NULL;
  if (pd_outbox_open(dir, options, &o) != PD_STATUS_INVALID_INPUT) return 3; /* the owner holds it */
  for (int i = 0; i < n; i++) {
    char event[256], *out = NULL;
    snprintf(event, sizeof event,
             "{\"action\":\"trigger\",\"event\":{\"summary\":\"spooled from C %d\",\"source\":\"c\",\"severity\":\"info\"}}", i);
    if (pd_outbox_spool(dir, options, ROUTING_2, event, &out) != PD_STATUS_OK || !contains(out, "\"dedup_key\":\"")) {
      fprintf(stderr, "spool %d: %s\n", i, pd_last_error_message());
      return 4;
    }
    pd_string_free(out);
  }
  return 0;
}

static int run_child(char *const argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    execv(self_path, argv);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_spool_from_a_second_process(void) {
  pd_rest *admin = admin_client();
  mock_admin(admin, "POST", "/_mock/reset", "{}");
  char dir[512];
  make_dir(dir, sizeof dir, "spool");
  pd_outbox *o = NULL;
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  CHECK_STATUS(pd_outbox_start(o), PD_STATUS_OK);
  CHECK_STATUS(pd_outbox_start(o), PD_STATUS_OK); /* idempotent */
  char *args[] = {(char *)self_path, "spool", dir, "5", NULL};
  CHECK(run_child(args) == 0);
  /* The running owner takes them in (it looks every 250 ms) and sends them. */
  double t0 = now_s();
  while (outbox_stat(o, "delivered") < 5 && now_s() - t0 < 20) sleep_ms(50);
  CHECK(outbox_stat(o, "delivered") == 5);
  char *alerts = mock_get(admin, "/_mock/alerts");
  int found = 0;
  for (const char *p = alerts; p && (p = strstr(p, "spooled from C")); p++) found++;
  CHECK(found >= 5); /* summary appears in the alert and its body */
  pd_string_free(alerts);
  char *out = NULL;
  CHECK_STATUS(pd_outbox_inspect(dir, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"spooled\":0"));
  pd_string_free(out);
  pd_outbox_free(o);
  remove_dir(dir);
  pd_rest_free(admin);
}

static void test_dead_letters(void) {
  char dir[512];
  make_dir(dir, sizeof dir, "dead");
  pd_outbox *o = NULL;
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  char *out = NULL;
  CHECK_STATUS(pd_outbox_enqueue(o, UNKNOWN_KEY, "{\"action\":\"trigger\",\"event\":{\"summary\":\"nobody listens\",\"source\":\"c\",\"severity\":\"info\"}}", &out),
               PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, TRIGGER, &out), PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_flush(o, 30000, &out), PD_STATUS_OK);
  CHECK(json_number(out, "delivered") == 1 && json_number(out, "dead") == 1 && json_number(out, "queued") == 0);
  pd_string_free(out);
  CHECK_STATUS(pd_outbox_dead(o, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"code\":\"invalid_event\""));
  CHECK(contains(out, "\"status\":400"));
  CHECK(contains(out, "\"errors\":[\""));
  CHECK(contains(out, "\"reason\":\""));
  CHECK(contains(out, "\"kind\":\"v2\""));
  CHECK(contains(out, "nobody listens"));
  CHECK(!contains(out, UNKNOWN_KEY));
  pd_string_free(out);
  uint64_t n = 9;
  CHECK_STATUS(pd_outbox_retry_dead(o, "[123456]", &n), PD_STATUS_OK);
  CHECK(n == 0);
  CHECK_STATUS(pd_outbox_retry_dead(o, NULL, &n), PD_STATUS_OK);
  CHECK(n == 1);
  CHECK(outbox_stat(o, "queued") == 1);
  CHECK_STATUS(pd_outbox_flush(o, 30000, NULL), PD_STATUS_OK);
  CHECK(outbox_stat(o, "dead") == 1);
  /* Dead again: the journal holds the key, the listing never. */
  CHECK_STATUS(pd_outbox_inspect(dir, &out), PD_STATUS_OK);
  CHECK(contains(out, "invalid_event") && !contains(out, UNKNOWN_KEY));
  pd_string_free(out);
  pd_outbox_free(o);
  remove_dir(dir);
}

struct flusher {
  pd_outbox *o;
  pd_status status;
  double took;
};

static void *flush_thread(void *arg) {
  struct flusher *f = arg;
  double t0 = now_s();
  char *out = NULL;
  f->status = pd_outbox_flush(f->o, 60000, &out);
  pd_string_free(out);
  f->took = now_s() - t0;
  return NULL;
}

static void test_close_while_another_thread_flushes(void) {
  pd_rest *admin = admin_client();
  mock_admin(admin, "PUT", "/_mock/faults", "[{\"route\":\"/v2/enqueue\",\"server_error\":1.0}]");
  char dir[512];
  make_dir(dir, sizeof dir, "close");
  pd_outbox *o = NULL;
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  char *out = NULL;
  CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, TRIGGER, &out), PD_STATUS_OK);
  pd_string_free(out);
  /* A flush that times out keeps the event, with the last error per key. */
  CHECK_STATUS(pd_outbox_flush(o, 300, &out), PD_STATUS_OK);
  CHECK(json_number(out, "queued") == 1);
  CHECK(contains(out, "\"last_error\":\""));
  pd_string_free(out);
  /* Flushing on the calling thread, then with a sender started (flush waits for it). */
  for (int with_sender = 0; with_sender < 2; with_sender++) {
    if (with_sender) {
      pd_outbox_free(o);
      o = NULL;
      CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
      CHECK_STATUS(pd_outbox_start(o), PD_STATUS_OK);
    }
    struct flusher f = {o, PD_STATUS_OK, 0};
    pthread_t t;
    pthread_create(&t, NULL, flush_thread, &f);
    sleep_ms(300);
    CHECK_STATUS(pd_outbox_close(o), PD_STATUS_OK);
    CHECK_STATUS(pd_outbox_close(o), PD_STATUS_OK); /* idempotent */
    pthread_join(t, NULL);
    CHECK(f.status == PD_STATUS_CANCELLED);
    CHECK(f.took < 5.0);
    CHECK_STATUS(pd_outbox_enqueue(o, ROUTING, TRIGGER, &out), PD_STATUS_CANCELLED);
    CHECK_STATUS(pd_outbox_stats(o, &out), PD_STATUS_CANCELLED);
    CHECK_STATUS(pd_outbox_start(o), PD_STATUS_CANCELLED);
  }
  pd_outbox_free(o);
  /* The event stayed on disk: the next owner delivers it once the outage ends. */
  mock_admin(admin, "PUT", "/_mock/faults", "[]");
  CHECK_STATUS(pd_outbox_open(dir, options, &o), PD_STATUS_OK);
  CHECK_STATUS(pd_outbox_flush(o, 30000, &out), PD_STATUS_OK);
  CHECK(json_number(out, "queued") == 0 && json_number(out, "delivered") == 1);
  pd_string_free(out);
  pd_outbox_free(o);
  remove_dir(dir);
  pd_rest_free(admin);
}

/* ---- The crash test ----------------------------------------------------------------------- */

/* `child DIR FROM TO`: opens the outbox (retrying while a killed predecessor's lock goes away),
 * starts the sender, enqueues seqs FROM..TO over 16 routing keys printing `try N` and `ok N`,
 * then flushes until nothing is queued and prints `done`. */
static int child_main(const char *dir, long from, long to) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pd_outbox *o = NULL;
  while (pd_outbox_open(dir, options, &o) != PD_STATUS_OK) {
    printf("open failed: %s\n", pd_last_error_message());
    sleep_ms(20);
  }
  printf("opened\n");
  if (pd_outbox_start(o) != PD_STATUS_OK) return 3;
  for (long seq = from; seq < to; seq++) {
    char key[64], event[256], *out = NULL;
    extra_key(key, sizeof key, seq % 16);
    snprintf(event, sizeof event,
             "{\"action\":\"trigger\",\"event\":{\"summary\":\"crash test %ld\",\"source\":\"outbox-test\","
             "\"severity\":\"warning\",\"custom_details\":{\"seq\":%ld}}}",
             seq, seq);
    printf("try %ld\n", seq);
    if (pd_outbox_enqueue(o, key, event, &out) != PD_STATUS_OK) {
      printf("failed %ld: %s\n", seq, pd_last_error_message());
      return 4;
    }
    pd_string_free(out);
    printf("ok %ld\n", seq);
  }
  for (;;) {
    char *stats = NULL;
    if (pd_outbox_flush(o, 1000, &stats) != PD_STATUS_OK) return 5;
    long queued = json_number(stats, "queued");
    pd_string_free(stats);
    if (queued == 0) break;
  }
  printf("done\n");
  pd_outbox_free(o);
  return 0;
}

static const char *FAULTS = "[{\"route\":\"/v2/enqueue\",\"server_error\":0.2,\"rate_limit\":0.1,\"drop_after\":0.05}]";

struct outage {
  long seconds;
};

static void *outage_thread(void *arg) {
  struct outage *o = arg;
  pd_rest *admin = admin_client();
  sleep_ms(2000);
  mock_admin(admin, "PUT", "/_mock/faults", "[{\"route\":\"/v2/enqueue\",\"server_error\":1.0}]");
  sleep_ms(o->seconds * 1000);
  mock_admin(admin, "PUT", "/_mock/faults", FAULTS);
  pd_rest_free(admin);
  return NULL;
}

static uint64_t rng_state;
static uint64_t rand_below(uint64_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state % n;
}

/* Reads the child's lines until `deadline` (monotonic seconds): seqs tried and returned go into
 * the arrays; returns 1 on `done`, 0 at the deadline, -1 at EOF. Partial lines are kept in buf. */
struct reader {
  int fd;
  char buf[4096];
  size_t len;
  long *tried, *returned;
  long ntried, nreturned;
  long kill_at_try; /* stop reading once `try N` with N >= this was seen (-1: never) */
  int hit;
};

static int take_lines(struct reader *r) {
  int done = 0;
  char *start = r->buf, *nl;
  while ((nl = memchr(start, '\n', r->len - (size_t)(start - r->buf)))) {
    *nl = 0;
    if (!strncmp(start, "try ", 4)) {
      r->tried[r->ntried++] = atol(start + 4);
      if (r->kill_at_try >= 0 && r->tried[r->ntried - 1] >= r->kill_at_try) r->hit = 1;
    }
    else if (!strncmp(start, "ok ", 3)) r->returned[r->nreturned++] = atol(start + 3);
    else if (!strcmp(start, "done")) done = 1;
    else if (!strncmp(start, "failed", 6)) fprintf(stderr, "child: %s\n", start);
    start = nl + 1;
  }
  r->len -= (size_t)(start - r->buf);
  memmove(r->buf, start, r->len);
  return done;
}

static int read_until(struct reader *r, double deadline) {
  for (;;) {
    double left = deadline - now_s();
    if (left <= 0) return 0;
    struct pollfd p = {r->fd, POLLIN, 0};
    int ready = poll(&p, 1, (int)(left * 1000) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t got = read(r->fd, r->buf + r->len, sizeof r->buf - r->len - 1);
    if (got <= 0) return -1;
    r->len += (size_t)got;
    if (take_lines(r)) return 1;
    if (r->hit) return 0;
  }
}

static void test_crash(long total, long outage_s) {
  pd_rest *admin = admin_client();
  mock_admin(admin, "POST", "/_mock/reset", "{}");
  mock_admin(admin, "PUT", "/_mock/faults", FAULTS);
  char dir[512];
  make_dir(dir, sizeof dir, "crash");
  const char *seed = getenv("PD_SEED");
  rng_state = seed ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL) * 2654435761u + (uint64_t)getpid();
  if (!rng_state) rng_state = 1;
  printf("crash test: %ld events, seed %llu\n", total, (unsigned long long)rng_state);
  struct reader r = {0};
  r.tried = calloc((size_t)total + 1, sizeof(long));
  r.returned = calloc((size_t)total + 1, sizeof(long));
  double started = now_s();
  struct outage outage = {outage_s};
  pthread_t outage_t;
  pthread_create(&outage_t, NULL, outage_thread, &outage);
  int kills = 0, done = 0;
  long next = 0;
  while (!done) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    char from[32], to[32];
    snprintf(from, sizeof from, "%ld", next);
    snprintf(to, sizeof to, "%ld", total);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      char *argv[] = {(char *)self_path, "child", dir, from, to, NULL};
      execv(self_path, argv);
      _exit(127);
    }
    close(fds[1]);
    r.fd = fds[0];
    r.len = 0;
    int killing = kills < 20;
    /* Kill while it enqueues, while it sends, or between a send and its record. Half the kills
     * (while seqs are left) come as it enqueues a random seq, so that enqueues are cut short in
     * many runs, not only the first. */
    double until = now_s() + (killing ? (50 + (double)rand_below(500)) / 1000.0 : 300.0);
    long left = total - next;
    r.hit = 0;
    r.kill_at_try = killing && left > 0 && rand_below(2) ? next + (long)rand_below((uint64_t)(left / 4 + 1)) : -1;
    int got = read_until(&r, until);
    if (got == 1) done = 1;
    if (!done) {
      kill(pid, SIGKILL);
      kills++;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    /* What the child printed before it died. */
    r.kill_at_try = -1;
    r.hit = 0;
    while (!done && read_until(&r, now_s() + 5.0) == 1) done = 1;
    close(fds[0]);
    if (r.ntried) next = r.tried[r.ntried - 1] + 1;
    if (got == -1 && !done && !killing) {
      fprintf(stderr, "the child ended without `done` (status %d)\n", status);
      CHECK(0);
      break;
    }
    if (now_s() - started > (soak() ? 3600 : 240)) {
      CHECK(!"the crash test took too long");
      break;
    }
  }
  pthread_join(outage_t, NULL);
  /* Every enqueue that returned: exactly one alert; no seq two. */
  int *alerts = calloc((size_t)total + 1, sizeof(int));
  char *json = mock_get(admin, "/_mock/alerts");
  long nalerts = 0;
  for (const char *p = json; p && (p = strstr(p, "\"seq\":")); p += 6) {
    long seq = strtol(p + 6, NULL, 10);
    if (seq >= 0 && seq < total) alerts[seq]++;
    nalerts++;
  }
  pd_string_free(json);
  long missing = 0, doubled = 0;
  for (long i = 0; i < r.nreturned; i++)
    if (alerts[r.returned[i]] != 1) {
      if (missing++ < 10) fprintf(stderr, "seq %ld: %d alerts\n", r.returned[i], alerts[r.returned[i]]);
    }
  for (long s = 0; s < total; s++)
    if (alerts[s] > 1) {
      if (doubled++ < 10) fprintf(stderr, "seq %ld opened %d alerts\n", s, alerts[s]);
    }
  CHECK(kills >= 20);
  CHECK(missing == 0);
  CHECK(doubled == 0);
  CHECK(r.nreturned >= total - 30);
  char *inspect = NULL;
  CHECK_STATUS(pd_outbox_inspect(dir, &inspect), PD_STATUS_OK);
  CHECK(json_number(inspect, "queued") == 0 && json_number(inspect, "dead") == 0 && contains(inspect, "\"spooled\":0"));
  pd_string_free(inspect);
  char *counters = mock_get(admin, "/_mock/counters");
  const char *faults = strstr(counters ? counters : "", "\"faults\":");
  printf("crash test: %ld enqueues returned, %ld alerts, %d kills, %.1f s, %.200s\n", r.nreturned, nalerts, kills,
         now_s() - started, faults ? faults : "");
  pd_string_free(counters);
  mock_admin(admin, "PUT", "/_mock/faults", "[]");
  free(alerts);
  free(r.tried);
  free(r.returned);
  remove_dir(dir);
  pd_rest_free(admin);
}

int main(int argc, char **argv) {
  self_path = argv[0];
  if (!getenv("PD_MOCK_URL")) {
    fprintf(stderr, "PD_MOCK_URL is not set\n");
    return 2;
  }
  snprintf(options, sizeof options,
           "{\"region\":\"%s\",\"retry\":{\"base_delay_ms\":2,\"max_delay_ms\":20},\"outbox\":{\"rate_limit\":0}}",
           getenv("PD_MOCK_URL"));
  if (argc == 5 && !strcmp(argv[1], "child")) return child_main(argv[2], atol(argv[3]), atol(argv[4]));
  if (argc == 4 && !strcmp(argv[1], "spool")) return spool_main(argv[2], atoi(argv[3]));
  double t0 = now_s();
  test_bad_inputs();
  test_verbs_mode_and_lock();
  test_spool_from_a_second_process();
  test_dead_letters();
  test_close_while_another_thread_flushes();
  printf("outbox short tests: %.1f s\n", now_s() - t0);
  const char *n = getenv("PD_OUTBOX_CRASH");
  long total = soak() ? 10000 : (n ? atol(n) : 1000);
  if (total > 0) test_crash(total, soak() ? 60 : 4);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
