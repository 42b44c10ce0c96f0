/* C test of every function in include/pagerduty.h, against pagerduty-mock (PD_MOCK_URL).
 * Built with -Wall -Wextra -Werror; run plainly and under valgrind by ffi/tests/c/run.sh.
 * PD_NOTHING_LOST=N additionally sends N triggers under injected faults and checks that
 * exactly N alerts exist. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagerduty.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    checks++;                                                                         \
    if (!(cond)) {                                                                    \
      failures++;                                                                     \
      const char *m = pd_last_error_message();                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, \
              #cond, m ? m : "none");                                                 \
    }                                                                                 \
  } while (0)

#define CHECK_STATUS(call, want) CHECK((call) == (want))

static const char *FULL = "pdmock_full_access_1";
static const char *READ_ONLY = "pdmock_read_only_key";
static const char *USER = "pdmock_user_token_01";
static const char *ROUTING = "pdmockintegrationkey000000000001";

static char options[512];

static pd_rest *rest_client(const char *token, const char *extra) {
  pd_rest *c = NULL;
  char opts[1024];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"from\":\"ada@example.com\"%s}", getenv("PD_MOCK_URL"),
           extra ? extra : "");
  CHECK_STATUS(pd_rest_new(token, opts, &c), PD_STATUS_OK);
  return c;
}

static int contains(const char *hay, const char *needle) { return hay && needle && strstr(hay, needle) != NULL; }

static void test_misc(void) {
  CHECK(strlen(pd_version()) > 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_RATE_LIMITED), "rate_limited") == 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_OK), "ok") == 0);
  pd_string_free(NULL);
  pd_rest_free(NULL);
  pd_events_free(NULL);
  pd_pager_free(NULL);
  CHECK_STATUS(pd_last_error_details(NULL), PD_STATUS_INVALID_INPUT);
}

static void test_rest_new_bad_inputs(void) {
  pd_rest *c = (pd_rest *)0x1;
  CHECK_STATUS(pd_rest_new(NULL, NULL, &c), PD_STATUS_INVALID_INPUT);
  CHECK(c == NULL);
  CHECK(contains(pd_last_error_message(), "token"));
  CHECK_STATUS(pd_rest_new(FULL, NULL, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_new(ROUTING, NULL, &c), PD_STATUS_WRONG_KEY_KIND);
  CHECK(contains(pd_last_error_message(), "integration key"));
  CHECK(!contains(pd_last_error_message(), ROUTING));
  CHECK_STATUS(pd_rest_new("pdmock_full_acc\xff\xfe_1", NULL, &c), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "UTF-8"));
  CHECK_STATUS(pd_rest_new(FULL, "{not json", &c), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_new(FULL, "{\"region\":\"http://10.1.2.3\"}", &c), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "https"));
  CHECK_STATUS(pd_rest_new(FULL, "{\"token_kind\":\"magic\"}", &c), PD_STATUS_INVALID_INPUT);
  char *details = NULL;
  CHECK_STATUS(pd_last_error_details(&details), PD_STATUS_OK);
  CHECK(contains(details, "\"code\":\"invalid_input\""));
  pd_string_free(details);
  /* Options of the wrong type are refused, never silently ignored (the core's ClientOptions). */
  CHECK_STATUS(pd_rest_new(FULL, "{\"from\":7}", &c), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_new(FULL, "{\"retry\":3}", &c), PD_STATUS_INVALID_INPUT);
  pd_events *e0 = NULL;
  CHECK_STATUS(pd_events_new(ROUTING, "{\"truncate_summary\":\"yes\"}", &e0), PD_STATUS_INVALID_INPUT);
  CHECK(e0 == NULL);
  /* A success clears the last error. */
  pd_rest *ok = rest_client(FULL, NULL);
  CHECK(pd_last_error_message() == NULL);
  CHECK_STATUS(pd_last_error_details(&details), PD_STATUS_OK);
  CHECK(details == NULL);
  pd_rest_free(ok);
}

static void test_rest_calls(void) {
  pd_rest *c = rest_client(FULL, NULL);
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, "GET", "/incidents", "{\"statuses\":[\"triggered\"],\"limit\":5,\"total\":true}", NULL, &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"incidents\":["));
  CHECK(contains(out, "\"limit\":5"));
  pd_string_free(out);

  CHECK_STATUS(pd_rest_request(c, "GET", "/services/PNOPE", NULL, NULL, &out), PD_STATUS_NOT_FOUND);
  CHECK(out == NULL);
  CHECK_STATUS(pd_rest_request(c, "FETCH", "/incidents", NULL, NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_request(c, "GET", "https://evil.example.com/incidents", NULL, NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_request(c, "POST", "/incidents/Q0000000000001/notes", NULL, "{broken", &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_request(c, "GET", "/incidents", "[1,2]", NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_request(NULL, "GET", "/incidents", NULL, NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_request(c, "GET", "/incidents", NULL, NULL, NULL), PD_STATUS_INVALID_INPUT);

  CHECK_STATUS(pd_rest_op(c, "get_incident", "{\"id\":\"Q0000000000001\"}", &out), PD_STATUS_OK);
  CHECK(contains(out, "\"id\":\"Q0000000000001\""));
  pd_string_free(out);
  CHECK_STATUS(pd_rest_op(c, "create_incident_note", "{\"id\":\"Q0000000000002\",\"content\":\"from C\"}", &out), PD_STATUS_OK);
  CHECK(contains(out, "from C"));
  pd_string_free(out);
  CHECK_STATUS(pd_rest_op(c, "update_incident", "{\"id\":\"Q0000000000004\",\"update\":{\"status\":\"acknowledged\"}}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"status\":\"acknowledged\""));
  pd_string_free(out);
  CHECK_STATUS(pd_rest_op(c, "test_ability", "{\"ability\":\"nope\"}", &out), PD_STATUS_OK);
  CHECK(out && strcmp(out, "false") == 0);
  pd_string_free(out);
  CHECK_STATUS(pd_rest_op(c, "list_contact_methods", "{\"user_id\":\"PUSER01\"}", &out), PD_STATUS_OK);
  CHECK(contains(out, "ada@example.com"));
  pd_string_free(out);
  CHECK_STATUS(pd_rest_op(c, "teleport", "{}", &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_op(c, "get_incident", "{\"id\":\"../users\"}", &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_rest_op(c, "update_incident", "{\"id\":\"Q1\",\"update\":{\"status\":\"sleeping\"}}", &out),
               PD_STATUS_INVALID_INPUT);
  pd_rest_free(c);

  /* A read-only key may not write: 403 with PagerDuty's details, and no key in the message. */
  pd_rest *ro = rest_client(READ_ONLY, NULL);
  CHECK_STATUS(pd_rest_op(ro, "create_incident_note", "{\"id\":\"Q0000000000002\",\"content\":\"x\"}", &out), PD_STATUS_FORBIDDEN);
  CHECK(contains(pd_last_error_message(), "read-only"));
  CHECK(!contains(pd_last_error_message(), READ_ONLY));
  char *details = NULL;
  pd_last_error_details(&details);
  CHECK(contains(details, "\"http_status\":403"));
  CHECK(contains(details, "\"request_id\":\"mock-"));
  pd_string_free(details);
  pd_rest_free(ro);

  /* A user token: /users/me works, no From needed. */
  pd_rest *user = NULL;
  char opts[512];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"token_kind\":\"user\"}", getenv("PD_MOCK_URL"));
  CHECK_STATUS(pd_rest_new(USER, opts, &user), PD_STATUS_OK);
  CHECK_STATUS(pd_rest_op(user, "current_user", NULL, &out), PD_STATUS_OK);
  CHECK(contains(out, "PUSER01"));
  pd_string_free(out);
  pd_rest_free(user);
}

static void test_pager(void) {
  pd_rest *c = rest_client(FULL, NULL);
  pd_pager *p = NULL;
  CHECK_STATUS(pd_pager_new(c, "/incidents", "{\"limit\":100}", &p), PD_STATUS_OK);
  pd_rest_free(c); /* the pager keeps its own reference */
  int pages = 0;
  long bytes = 0;
  for (;;) {
    char *items = NULL;
    pd_status s = pd_pager_next(p, &items);
    CHECK_STATUS(s, PD_STATUS_OK);
    if (s != PD_STATUS_OK || items == NULL) break;
    CHECK(items[0] == '[');
    bytes += (long)strlen(items);
    pages++;
    pd_string_free(items);
  }
  CHECK(pages == 3); /* 250 seeded incidents */
  CHECK(bytes > 250 * 1000);
  bool truncated = true;
  CHECK_STATUS(pd_pager_truncated(p, &truncated), PD_STATUS_OK);
  CHECK(!truncated);
  CHECK_STATUS(pd_pager_truncated(p, NULL), PD_STATUS_INVALID_INPUT);
  char *after = (char *)0x1;
  CHECK_STATUS(pd_pager_next(p, &after), PD_STATUS_OK);
  CHECK(after == NULL);
  pd_pager_free(p);

  /* Cursor pagination. */
  c = rest_client(FULL, NULL);
  CHECK_STATUS(pd_pager_new(c, "/audit/records", NULL, &p), PD_STATUS_OK);
  int cursor_pages = 0;
  char *items = NULL;
  while (pd_pager_next(p, &items) == PD_STATUS_OK && items) {
    cursor_pages++;
    pd_string_free(items);
  }
  CHECK(cursor_pages == 3); /* 250 records, 100 a page */
  pd_pager_free(p);
  CHECK_STATUS(pd_pager_new(c, "/incidents", "{\"limit\":500}", &p), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_pager_new(NULL, "/incidents", NULL, &p), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_pager_next(NULL, &items), PD_STATUS_INVALID_INPUT);
  pd_rest_free(c);
}

static pd_events *events_client(void) {
  pd_events *e = NULL;
  CHECK_STATUS(pd_events_new(ROUTING, options, &e), PD_STATUS_OK);
  return e;
}

static void test_events(void) {
  pd_events *e = events_client();
  char *key = NULL;
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"Disk full on db-1\",\"source\":\"db-1\",\"severity\":\"critical\"}", &key),
               PD_STATUS_OK);
  CHECK(key && strlen(key) == 36); /* a generated UUID */
  CHECK_STATUS(pd_events_acknowledge(e, key), PD_STATUS_OK);
  CHECK_STATUS(pd_events_resolve(e, key), PD_STATUS_OK);
  pd_string_free(key);
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"info\",\"dedup_key\":\"mine\"}", NULL),
               PD_STATUS_OK);
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"loud\"}", &key), PD_STATUS_INVALID_INPUT);
  CHECK(key == NULL);
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\"}", &key), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "payload.severity"));
  CHECK_STATUS(pd_events_trigger(e, NULL, &key), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_events_resolve(e, ""), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_events_resolve(e, NULL), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_events_change(e, "{\"summary\":\"Deployed v42\",\"links\":[{\"href\":\"https://ci.example.com/42\"}]}"),
               PD_STATUS_OK);
  CHECK_STATUS(pd_events_change(e, "{\"summary\":\"x\",\"images\":[{\"src\":\"https://x\"}]}"), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_events_v1(e, "trigger", "{\"description\":\"CPU on fire\"}", &key), PD_STATUS_OK);
  CHECK(key && strlen(key) > 0);
  CHECK_STATUS(pd_events_v1(e, "resolve", "{\"incident_key\":\"x\"}", NULL), PD_STATUS_OK);
  CHECK_STATUS(pd_events_v1(e, "explode", "{}", NULL), PD_STATUS_INVALID_INPUT);
  pd_string_free(key);
  pd_events_free(e);

  pd_events *bad = NULL;
  CHECK_STATUS(pd_events_new(FULL, options, &bad), PD_STATUS_WRONG_KEY_KIND);
  CHECK(contains(pd_last_error_message(), "REST API key"));
  CHECK_STATUS(pd_events_new("short", options, &bad), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_events_new(NULL, options, &bad), PD_STATUS_INVALID_INPUT);
  /* A valid-looking key the simulator does not know: PagerDuty's 400 with its reasons. */
  CHECK_STATUS(pd_events_new("00000000000000000000000000000000", options, &bad), PD_STATUS_OK);
  CHECK_STATUS(pd_events_trigger(bad, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"info\"}", NULL), PD_STATUS_INVALID_EVENT);
  char *details = NULL;
  pd_last_error_details(&details);
  CHECK(contains(details, "routing_key"));
  pd_string_free(details);
  pd_events_free(bad);
}

/* go-pagerduty's webhookv3 test vector (data). */
static const char *GO_SECRET = "lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK";
static const char *GO_SIG = "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd";
static const char *GO_BODY =
    "{\"event\":{\"id\":\"01BWDWL3NYY7LUFPZCC28QUCMK\",\"event_type\":\"incident.priority_updated\",\"resource_type\":"
    "\"incident\",\"occurred_at\":\"2021-04-26T17:36:27.458Z\",\"agent\":{\"html_url\":\"https://acme.pagerduty.com/users/"
    "PLH1HKV\",\"id\":\"PLH1HKV\",\"self\":\"https://api.pagerduty.com/users/PLH1HKV\",\"summary\":\"Tenex Engineer\","
    "\"type\":\"user_reference\"},\"client\":null,\"data\":{\"id\":\"PGR0VU2\",\"type\":\"incident\",\"self\":\"https://"
    "api.pagerduty.com/incidents/PGR0VU2\",\"html_url\":\"https://acme.pagerduty.com/incidents/PGR0VU2\",\"number\":2,"
    "\"status\":\"triggered\",\"title\":\"A little bump in the road\",\"service\":{\"html_url\":\"https://acme.pagerduty"
    ".com/services/PF9KMXH\",\"id\":\"PF9KMXH\",\"self\":\"https://api.pagerduty.com/services/PF9KMXH\",\"summary\":\"API "
    "Service\",\"type\":\"service_reference\"},\"assignees\":[{\"html_url\":\"https://acme.pagerduty.com/users/PTUXL6G\","
    "\"id\":\"PTUXL6G\",\"self\":\"https://api.pagerduty.com/users/PTUXL6G\",\"summary\":\"User 123\",\"type\":\"user_"
    "reference\"}],\"escalation_policy\":{\"html_url\":\"https://acme.pagerduty.com/escalation_policies/PUS0KTE\",\"id\":"
    "\"PUS0KTE\",\"self\":\"https://api.pagerduty.com/escalation_policies/PUS0KTE\",\"summary\":\"Default\",\"type\":"
    "\"escalation_policy_reference\"},\"teams\":[{\"html_url\":\"https://acme.pagerduty.com/teams/PFCVPS0\",\"id\":"
    "\"PFCVPS0\",\"self\":\"https://api.pagerduty.com/teams/PFCVPS0\",\"summary\":\"Engineering\",\"type\":\"team_"
    "reference\"}],\"priority\":{\"html_url\":\"https://acme.pagerduty.com/account/incident_priorities\",\"id\":\"PSO75BM\","
    "\"self\":\"https://api.pagerduty.com/priorities/PSO75BM\",\"summary\":\"P1\",\"type\":\"priority_reference\"},"
    "\"urgency\":\"high\",\"conference_bridge\":{\"conference_number\":1000,\"conference_url\":\"https://example.com\"},"
    "\"resolve_reason\":null}}}";

static void test_webhook(void) {
  const char *secrets[] = {"old-secret", GO_SECRET};
  char *event = NULL;
  CHECK_STATUS(pd_webhook_verify(secrets, 2, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event), PD_STATUS_OK);
  CHECK(contains(event, "\"event_type\":\"incident.priority_updated\""));
  pd_string_free(event);
  CHECK_STATUS(pd_webhook_verify(secrets, 2, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, NULL), PD_STATUS_OK);
  CHECK_STATUS(pd_webhook_verify(secrets, 1, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event),
               PD_STATUS_INVALID_SIGNATURE);
  CHECK(event == NULL);
  CHECK_STATUS(pd_webhook_verify(secrets, 2, "garbage", (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event),
               PD_STATUS_INVALID_SIGNATURE);
  CHECK_STATUS(pd_webhook_verify(secrets, 2, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 100, &event),
               PD_STATUS_INVALID_SIGNATURE);
  CHECK(contains(pd_last_error_message(), "over the limit"));
  CHECK_STATUS(pd_webhook_verify(NULL, 0, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_webhook_verify(secrets, 2, GO_SIG, NULL, 10, 0, &event), PD_STATUS_INVALID_INPUT);
  const char *with_null[] = {NULL};
  CHECK_STATUS(pd_webhook_verify(with_null, 1, GO_SIG, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event),
               PD_STATUS_INVALID_INPUT);
}

static void test_sansio(void) {
  char *req = NULL;
  CHECK_STATUS(pd_build_request("{\"api\":\"rest\",\"token\":\"pdmock_full_access_1\",\"method\":\"GET\",\"path\":\"/incidents\","
                                "\"query\":{\"statuses\":[\"triggered\"]}}",
                                &req),
               PD_STATUS_OK);
  CHECK(contains(req, "https://api.pagerduty.com/incidents?statuses%5B%5D=triggered"));
  CHECK(contains(req, "application/vnd.pagerduty+json;version=2"));
  pd_string_free(req);
  CHECK_STATUS(pd_build_request("{\"api\":\"events\",\"region\":\"eu\",\"routing_key\":\"pdmockintegrationkey000000000001\","
                                "\"action\":\"trigger\",\"event\":{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"error\"}}",
                                &req),
               PD_STATUS_OK);
  CHECK(contains(req, "https://events.eu.pagerduty.com/v2/enqueue"));
  CHECK(contains(req, "\"dedup_key\":\""));
  pd_string_free(req);
  CHECK_STATUS(pd_build_request("{\"api\":\"events\",\"routing_key\":\"pdmock_full_access_1\",\"action\":\"resolve\",\"dedup_key\":\"k\"}",
                                &req),
               PD_STATUS_WRONG_KEY_KIND);
  CHECK_STATUS(pd_build_request("{\"api\":\"soap\"}", &req), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_build_request(NULL, &req), PD_STATUS_INVALID_INPUT);

  char *out = NULL;
  const char *body = "{\"incident\":{\"id\":\"P1\"}}";
  CHECK_STATUS(pd_parse_response("rest", 200, "{\"x-request-id\":\"r1\"}", (const uint8_t *)body, strlen(body), &out), PD_STATUS_OK);
  CHECK(contains(out, "\"id\":\"P1\""));
  pd_string_free(out);
  const char *limited = "{\"error\":{\"message\":\"Rate Limit Exceeded\",\"code\":2020}}";
  CHECK_STATUS(pd_parse_response("rest", 429, "[[\"ratelimit-reset\",\"7\"]]", (const uint8_t *)limited, strlen(limited), &out),
               PD_STATUS_RATE_LIMITED);
  char *details = NULL;
  pd_last_error_details(&details);
  CHECK(contains(details, "\"retry_after_ms\":7000"));
  CHECK(contains(details, "\"pagerduty_code\":2020"));
  pd_string_free(details);
  const char *html = "<html><title>502 Bad Gateway</title></html>";
  CHECK_STATUS(pd_parse_response("rest", 502, NULL, (const uint8_t *)html, strlen(html), &out), PD_STATUS_HTTP_ERROR);
  CHECK_STATUS(pd_parse_response("events_v1", 403, NULL, NULL, 0, &out), PD_STATUS_RATE_LIMITED);
  const char *accepted = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k1\"}";
  CHECK_STATUS(pd_parse_response("events_v2", 202, NULL, (const uint8_t *)accepted, strlen(accepted), &out), PD_STATUS_OK);
  CHECK(contains(out, "\"dedup_key\":\"k1\""));
  pd_string_free(out);
  CHECK_STATUS(pd_parse_response("rest", 200, NULL, (const uint8_t *)"{\"a\":", 5, &out), PD_STATUS_DECODE);
  CHECK_STATUS(pd_parse_response("ftp", 200, NULL, NULL, 0, &out), PD_STATUS_INVALID_INPUT);
}

/* One REST and one events client shared by several threads. */
#define THREADS 4
#define PER_THREAD 25
struct shared {
  pd_events *events;
  pd_rest *rest;
  int ok;
};

static void *worker(void *arg) {
  struct shared *s = arg;
  int ok = 0;
  for (int i = 0; i < PER_THREAD; i++) {
    if (pd_events_trigger(s->events, "{\"summary\":\"threaded\",\"source\":\"t\",\"severity\":\"warning\"}", NULL) == PD_STATUS_OK)
      ok++;
    char *out = NULL;
    if (pd_rest_request(s->rest, "GET", "/priorities", NULL, NULL, &out) == PD_STATUS_OK && out) ok++;
    pd_string_free(out);
  }
  __sync_fetch_and_add(&s->ok, ok);
  return NULL;
}

static long counter(pd_rest *c, const char *name) {
  char *out = NULL;
  long v = -1;
  if (pd_rest_request(c, "GET", "/_mock/counters", NULL, NULL, &out) == PD_STATUS_OK && out) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\":", name);
    const char *p = strstr(out, needle);
    if (p) v = strtol(p + strlen(needle), NULL, 10);
  }
  pd_string_free(out);
  return v;
}

static void test_threads(void) {
  pd_rest *c = rest_client(FULL, NULL);
  long before = counter(c, "alerts");
  struct shared s = {events_client(), c, 0};
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, &s);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  CHECK(s.ok == THREADS * PER_THREAD * 2);
  CHECK(counter(c, "alerts") == before + THREADS * PER_THREAD);
  pd_events_free(s.events);
  pd_rest_free(c);
}

static void test_nothing_lost(int n) {
  pd_rest *c = rest_client(FULL, NULL);
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, "POST", "/_mock/reset", NULL, "{}", &out), PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_rest_request(c, "PUT", "/_mock/faults", NULL,
                               "[{\"route\":\"/v2/enqueue\",\"server_error\":0.2,\"rate_limit\":0.005,"
                               "\"rate_limit_no_headers\":0.095,\"drop_after\":0.05}]",
                               &out),
               PD_STATUS_OK);
  pd_string_free(out);
  pd_events *e = NULL;
  char opts[512];
  snprintf(opts, sizeof opts,
           "{\"region\":\"%s\",\"retry\":{\"max_attempts\":15,\"base_delay_ms\":2,\"max_delay_ms\":20,\"deadline_ms\":60000}}",
           getenv("PD_MOCK_URL"));
  CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);
  int ok = 0;
  for (int i = 0; i < n; i++) {
    char body[128];
    snprintf(body, sizeof body, "{\"summary\":\"event %d\",\"source\":\"c\",\"severity\":\"error\"}", i);
    if (pd_events_trigger(e, body, NULL) == PD_STATUS_OK) ok++;
  }
  pd_events_free(e);
  CHECK_STATUS(pd_rest_request(c, "PUT", "/_mock/faults", NULL, "[]", &out), PD_STATUS_OK);
  pd_string_free(out);
  long alerts = counter(c, "alerts");
  long processed = counter(c, "events_accepted");
  printf("nothing lost: %d triggers acknowledged, %ld alerts, %ld events processed (retries after faults)\n", ok, alerts, processed);
  CHECK(ok == n);
  CHECK(alerts == n);
  CHECK(processed > n);
  pd_rest_free(c);
}

int main(void) {
  if (!getenv("PD_MOCK_URL")) {
    fprintf(stderr, "PD_MOCK_URL is not set\n");
    return 2;
  }
  snprintf(options, sizeof options, "{\"region\":\"%s\"}", getenv("PD_MOCK_URL"));
  test_misc();
  test_rest_new_bad_inputs();
  test_rest_calls();
  test_pager();
  test_events();
  test_webhook();
  test_sansio();
  test_threads();
  const char *n = getenv("PD_NOTHING_LOST");
  if (n && atoi(n) > 0) test_nothing_lost(atoi(n));
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
