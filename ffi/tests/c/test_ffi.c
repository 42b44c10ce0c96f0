/* C test of every function in include/pagerduty.h, against pagerduty-mock (PD_MOCK_URL).
 * Built with -Wall -Wextra -Werror; run plainly and under valgrind by ffi/tests/c/run.sh.
 * PD_NOTHING_LOST=N additionally sends N triggers under injected faults (some events failing 8
 * times in a row) and checks that exactly N alerts exist. PD_TLS_URL / PD_TLS_CA: a simulator
 * serving HTTPS with a certificate of its own, and that certificate (issue 11's TLS tests). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pagerduty.h"

#include "check.h"

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

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* The last error's message and details JSON, for "no secret anywhere" checks. */
static int last_error_mentions(const char *needle) {
  int found = contains(pd_last_error_message(), needle);
  char *details = NULL;
  pd_last_error_details(&details);
  found = found || contains(details, needle);
  pd_string_free(details);
  return found;
}

static void test_misc(void) {
  CHECK(strlen(pd_version()) > 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_RATE_LIMITED), "rate_limited") == 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_OK), "ok") == 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_TRUNCATED), "truncated") == 0);
  /* Any int: checked, never trusted to be a pd_status. */
  CHECK(pd_status_name(-1) == NULL);
  CHECK(strcmp(pd_status_name(PD_STATUS_SCOPE_NOT_GRANTED), "scope_not_granted") == 0);
  CHECK(strcmp(pd_status_name(PD_STATUS_ALREADY_EXISTS), "already_exists") == 0);
  CHECK(pd_status_name(18) == NULL);
  CHECK(pd_status_name(2147483647) == NULL);
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
  CHECK(contains(details, "\"status\":403"));
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

  /* The core's list operations: filters checked against its registry before anything is sent. */
  CHECK_STATUS(pd_pager_op(c, "list_incidents", "{\"statuses\":[\"triggered\"],\"limit\":50}", &p), PD_STATUS_OK);
  int triggered = 0;
  while (pd_pager_next(p, &items) == PD_STATUS_OK && items) {
    CHECK(!contains(items, "\"status\":\"resolved\""));
    triggered++;
    pd_string_free(items);
  }
  CHECK(triggered > 0);
  pd_pager_free(p);
  p = (pd_pager *)0x1;
  CHECK_STATUS(pd_pager_op(c, "list_incidents", "{\"statuses\":[\"open\"]}", &p), PD_STATUS_INVALID_INPUT);
  CHECK(p == NULL);
  CHECK(last_error_mentions("args.statuses[0]"));
  CHECK_STATUS(pd_pager_op(c, "get_incident", "{\"id\":\"P1\"}", &p), PD_STATUS_INVALID_INPUT);
  char *result = NULL;
  CHECK_STATUS(pd_rest_op(c, "get_incident", "{\"id\":\"Q0000000000001\",\"idd\":1}", &result), PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("args.idd"));
  /* The registry, as JSON: every operation C can call by name. */
  char *ops = NULL;
  CHECK_STATUS(pd_operations(&ops), PD_STATUS_OK);
  CHECK(contains(ops, "\"name\":\"list_incidents\"") && contains(ops, "\"name\":\"get_change_event\""));
  pd_string_free(ops);
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
  /* No header at all is a bad signature, as in JavaScript (issue 11). */
  event = (char *)0x1;
  CHECK_STATUS(pd_webhook_verify(secrets, 2, NULL, (const uint8_t *)GO_BODY, strlen(GO_BODY), 0, &event),
               PD_STATUS_INVALID_SIGNATURE);
  CHECK(event == NULL);
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

/* A number `"name":N` from the simulator's inspection endpoint `path`. */
static long mock_number(pd_rest *c, const char *path, const char *name) {
  char *out = NULL;
  long v = -1;
  if (pd_rest_request(c, "GET", path, NULL, NULL, &out) == PD_STATUS_OK && out) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\":", name);
    const char *p = strstr(out, needle);
    if (p) v = strtol(p + strlen(needle), NULL, 10);
  }
  pd_string_free(out);
  return v;
}

static long counter(pd_rest *c, const char *name) { return mock_number(c, "/_mock/counters", name); }

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

/* ---- Issue 11: trust at the boundary ------------------------------------------------------ */

static void mock_admin(pd_rest *c, const char *method, const char *path, const char *body) {
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, method, path, NULL, body, &out), PD_STATUS_OK);
  pd_string_free(out);
}

static void set_faults(pd_rest *admin, const char *rules) { mock_admin(admin, "PUT", "/_mock/faults", rules); }

/* The simulator's stray listener (127.0.0.2, another port): where its redirects point, and the
 * host a leaked key would reach. */
static char stray_url[256];
static char stray_port[16];

static void stray_init(pd_rest *c) {
  char *out = NULL;
  stray_url[0] = stray_port[0] = 0;
  if (pd_rest_request(c, "GET", "/_mock/stray", NULL, NULL, &out) == PD_STATUS_OK && out) {
    const char *p = strstr(out, "\"url\":\"");
    if (p) {
      p += 7;
      size_t n = strcspn(p, "\"");
      if (n < sizeof stray_url) {
        memcpy(stray_url, p, n);
        stray_url[n] = 0;
      }
    }
  }
  pd_string_free(out);
  const char *colon = strrchr(stray_url, ':');
  if (colon && strlen(colon + 1) < sizeof stray_port) {
    strcpy(stray_port, colon + 1);
    stray_port[strcspn(stray_port, "/")] = 0;
  }
  CHECK(stray_url[0] != 0 && stray_port[0] != 0);
}

static long stray_count(pd_rest *c) { return mock_number(c, "/_mock/stray", "count"); }

/* `s` as a JSON string (with its quotes) into `dst`. */
static void json_string(char *dst, size_t n, const char *s) {
  size_t o = 0;
  if (n < 3) return;
  dst[o++] = '"';
  for (; *s && o + 8 < n; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      dst[o++] = '\\';
      dst[o++] = (char)ch;
    } else if (ch < 0x20) {
      o += (size_t)snprintf(dst + o, n - o, "\\u%04x", ch);
    } else {
      dst[o++] = (char)ch;
    }
  }
  dst[o++] = '"';
  dst[o] = 0;
}

#define NPATHS 19
static void test_escaping_paths(void) {
  pd_rest *c = rest_client(FULL, NULL);
  stray_init(c);
  mock_admin(c, "DELETE", "/_mock/stray", NULL);
  char paths[NPATHS][320];
  int n = 0;
  snprintf(paths[n++], sizeof paths[0], "\\\\127.0.0.2:%s/x", stray_port);
  snprintf(paths[n++], sizeof paths[0], "\\/127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], "http:\\\\127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], "\t//127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], " //127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], "\v//127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], "\\\\2130706434:%s/x", stray_port);
  snprintf(paths[n++], sizeof paths[0], "\\\\[::ffff:127.0.0.2]/x");
  snprintf(paths[n++], sizeof paths[0], "http:127.0.0.2:%s/x", stray_port);
  snprintf(paths[n++], sizeof paths[0], "/..//x");
  snprintf(paths[n++], sizeof paths[0], "..\\..\\x");
  snprintf(paths[n++], sizeof paths[0], "/\\x");
  snprintf(paths[n++], sizeof paths[0], "\r\n//127.0.0.2/x");
  snprintf(paths[n++], sizeof paths[0], "//127.0.0.2:%s/x", stray_port);
  snprintf(paths[n++], sizeof paths[0], "http://127.0.0.2:%s/x", stray_port);
  snprintf(paths[n++], sizeof paths[0], "%s/x", stray_url);
  snprintf(paths[n++], sizeof paths[0], "%s/incidents?x=1", stray_url);
  snprintf(paths[n++], sizeof paths[0], "/incidents\r\nX-Evil: 1");
  snprintf(paths[n++], sizeof paths[0], "/incidents/..\\..\\x");
  long before = counter(c, "requests");
  for (int i = 0; i < n; i++) {
    char *out = NULL;
    pd_status get = pd_rest_request(c, "GET", paths[i], NULL, NULL, &out);
    int named = contains(pd_last_error_message(), "path");
    pd_status post = pd_rest_request(c, "POST", paths[i], NULL, "{\"note\":{\"content\":\"x\"}}", &out);
    pd_pager *p = NULL;
    pd_status pager = pd_pager_new(c, paths[i], NULL, &p); /* refused when made, or at its first page */
    if (pager == PD_STATUS_OK) {
      char *items = NULL;
      pager = pd_pager_next(p, &items);
      CHECK(items == NULL);
      pd_pager_free(p);
      p = NULL;
    }
    if (get != PD_STATUS_INVALID_INPUT || post != PD_STATUS_INVALID_INPUT || pager != PD_STATUS_INVALID_INPUT || !named)
      fprintf(stderr, "escaping path #%d: GET %d, POST %d, pager %d, names path: %d\n", i, get, post, pager, named);
    CHECK(get == PD_STATUS_INVALID_INPUT && post == PD_STATUS_INVALID_INPUT && pager == PD_STATUS_INVALID_INPUT && named);
    CHECK(out == NULL && p == NULL);
    pd_pager_free(p);
    pd_string_free(out);
  }
  CHECK(counter(c, "requests") == before + 1); /* nothing reached the simulator but that call */
  CHECK(stray_count(c) == 0);
  pd_rest_free(c);

  /* A base URL with a path: nothing may leave it. */
  char extra[400];
  snprintf(extra, sizeof extra, "{\"region\":\"%s/pd/\"}", getenv("PD_MOCK_URL"));
  pd_rest *prefixed = NULL;
  CHECK_STATUS(pd_rest_new(FULL, extra, &prefixed), PD_STATUS_OK);
  const char *out_of_prefix[] = {"/..//x", "..\\..\\x", "/\\x", "../x", "/../x"};
  for (size_t i = 0; i < sizeof out_of_prefix / sizeof *out_of_prefix; i++) {
    char *out = NULL;
    pd_status st = pd_rest_request(prefixed, "GET", out_of_prefix[i], NULL, NULL, &out);
    if (st != PD_STATUS_INVALID_INPUT) fprintf(stderr, "prefix escape #%zu: status %d\n", i, st);
    CHECK(st == PD_STATUS_INVALID_INPUT && contains(pd_last_error_message(), "path"));
    pd_string_free(out);
  }
  pd_rest_free(prefixed);

  /* The sans-IO builder, region "us": never a request to evil.example. */
  const char *evil[] = {"http:evil.example/x", "\\\\evil.example/x", "\r\n//evil.example/x", "//evil.example/x",
                        "\\/evil.example/x", "\t//evil.example/x", "https:evil.example/x"};
  for (size_t i = 0; i < sizeof evil / sizeof *evil; i++) {
    char path[128], spec[400];
    json_string(path, sizeof path, evil[i]);
    snprintf(spec, sizeof spec, "{\"api\":\"rest\",\"region\":\"us\",\"token\":\"%s\",\"method\":\"GET\",\"path\":%s}", FULL, path);
    char *req = NULL;
    pd_status st = pd_build_request(spec, &req);
    if (st != PD_STATUS_INVALID_INPUT) fprintf(stderr, "build_request escape #%zu: status %d: %s\n", i, st, req ? req : "");
    CHECK(st == PD_STATUS_INVALID_INPUT && contains(pd_last_error_message(), "path"));
    CHECK(!last_error_mentions(FULL));
    pd_string_free(req);
  }
}

static void test_redirects(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  pd_rest *c = rest_client(FULL, NULL);
  pd_events *e = events_client();
  mock_admin(admin, "DELETE", "/_mock/stray", NULL);
  const int kinds[] = {301, 302, 307, 308};
  for (int k = 0; k < 4; k++) {
    char rules[600];
    snprintf(rules, sizeof rules,
             "[{\"route\":\"/priorities\",\"redirect\":1.0,\"redirect_status\":%d},"
             "{\"route\":\"/incidents\",\"redirect\":1.0,\"redirect_status\":%d},"
             "{\"route\":\"/v2/enqueue\",\"redirect\":1.0,\"redirect_status\":%d},"
             "{\"route\":\"/generic/2010-04-15/create_event.json\",\"redirect\":1.0,\"redirect_status\":%d}]",
             kinds[k], kinds[k], kinds[k], kinds[k]);
    set_faults(admin, rules);
    long alerts = counter(admin, "alerts");
    char want[32];
    snprintf(want, sizeof want, "\"status\":%d", kinds[k]);
    char *out = NULL;
    CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_HTTP_ERROR);
    CHECK(last_error_mentions(want));
    CHECK(out == NULL);
    CHECK_STATUS(pd_rest_op(c, "create_incident_note", "{\"id\":\"Q0000000000001\",\"content\":\"not elsewhere\"}", &out),
                 PD_STATUS_HTTP_ERROR);
    pd_pager *p = NULL;
    CHECK_STATUS(pd_pager_new(c, "/incidents", NULL, &p), PD_STATUS_OK);
    char *items = NULL;
    CHECK_STATUS(pd_pager_next(p, &items), PD_STATUS_HTTP_ERROR);
    pd_pager_free(p);
    char *key = NULL;
    CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"redirected\",\"source\":\"c\",\"severity\":\"error\"}", &key),
                 PD_STATUS_HTTP_ERROR);
    CHECK(last_error_mentions(want));
    CHECK(key != NULL && strlen(key) == 36); /* the key it was sent with, on failure too */
    pd_string_free(key);
    key = NULL;
    CHECK_STATUS(pd_events_v1(e, "trigger", "{\"description\":\"legacy\"}", &key), PD_STATUS_HTTP_ERROR);
    pd_string_free(key);
    CHECK(counter(admin, "alerts") == alerts);
  }
  set_faults(admin, "[]");
  CHECK(stray_count(admin) == 0);
  pd_events_free(e);
  pd_rest_free(c);
  pd_rest_free(admin);
}

static void test_echoed_keys(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  set_faults(admin, "[{\"route\":\"/priorities\",\"echo_key\":1.0},{\"route\":\"/v2/enqueue\",\"echo_key\":1.0}]");
  const char *tokens[] = {FULL, USER, "oauth-Zm9vYmFyYmF6cXV4LXNlY3JldA"};
  const char *kinds[] = {"general", "user", "oauth"};
  for (int i = 0; i < 3; i++) {
    char opts[512];
    snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"token_kind\":\"%s\"}", getenv("PD_MOCK_URL"), kinds[i]);
    pd_rest *c = NULL;
    CHECK_STATUS(pd_rest_new(tokens[i], opts, &c), PD_STATUS_OK);
    char *out = NULL;
    CHECK(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out) != PD_STATUS_OK);
    CHECK(last_error_mentions("\"status\":400"));
    CHECK(!last_error_mentions(tokens[i]));
    pd_rest_free(c);
  }
  pd_events *e = events_client();
  char *key = NULL;
  CHECK(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"info\"}", &key) != PD_STATUS_OK);
  CHECK(last_error_mentions("\"status\":400"));
  CHECK(!last_error_mentions(ROUTING));
  pd_string_free(key);
  pd_events_free(e);
  set_faults(admin, "[]");
  pd_rest_free(admin);
}

static void test_event_timeout_and_dedup_key_on_failure(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  char opts[512];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"timeout_ms\":2000,\"retry\":{\"max_attempts\":1}}", getenv("PD_MOCK_URL"));
  pd_events *e = NULL;
  CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);

  set_faults(admin, "[{\"route\":\"/v2/enqueue\",\"stall\":1.0}]");
  char *key = NULL;
  double t0 = now_s();
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"stalled\",\"source\":\"c\",\"severity\":\"error\",\"dedup_key\":\"stalled-1\"}", &key),
               PD_STATUS_TIMEOUT);
  double took = now_s() - t0;
  if (took > 3.0 || took < 1.5) fprintf(stderr, "events timeout of 2 s took %.2f s\n", took);
  CHECK(took >= 1.5 && took <= 3.0);
  CHECK(key && strcmp(key, "stalled-1") == 0);
  pd_string_free(key);

  /* Processed, then the connection dropped: the error carries the key; re-sending with it adds
   * no second alert. */
  set_faults(admin, "[{\"route\":\"/v2/enqueue\",\"drop_after\":1.0},{\"route\":\"/generic/2010-04-15/create_event.json\",\"drop_after\":1.0}]");
  long alerts = counter(admin, "alerts");
  key = NULL;
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"lost answer\",\"source\":\"c\",\"severity\":\"error\"}", &key), PD_STATUS_TRANSPORT);
  CHECK(key && strlen(key) == 36);
  char *v1key = NULL;
  CHECK_STATUS(pd_events_v1(e, "trigger", "{\"description\":\"legacy\",\"incident_key\":\"v1-key\"}", &v1key), PD_STATUS_TRANSPORT);
  CHECK(v1key && strcmp(v1key, "v1-key") == 0);
  pd_string_free(v1key);
  set_faults(admin, "[]");
  if (key) {
    char body[256], again[64];
    snprintf(body, sizeof body, "{\"summary\":\"lost answer\",\"source\":\"c\",\"severity\":\"error\",\"dedup_key\":\"%s\"}", key);
    char *out = NULL;
    CHECK_STATUS(pd_events_trigger(e, body, &out), PD_STATUS_OK);
    snprintf(again, sizeof again, "%s", out ? out : "");
    CHECK(strcmp(again, key) == 0);
    pd_string_free(out);
  }
  pd_string_free(key);
  CHECK(counter(admin, "alerts") == alerts + 2); /* the v2 event once, and the v1 one */
  key = (char *)0x1;
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"loud\"}", &key), PD_STATUS_INVALID_INPUT);
  CHECK(key == NULL); /* refused before a key was chosen */

  /* An event refused 8 times in a row still arrives with the default policy (bounded by time). */
  pd_events_free(e);
  snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"retry\":{\"base_delay_ms\":5,\"max_delay_ms\":20}}", getenv("PD_MOCK_URL"));
  CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);
  set_faults(admin, "[{\"route\":\"/v2/enqueue\",\"fail_streak\":8,\"fail_streak_fraction\":1.0}]");
  alerts = counter(admin, "alerts");
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"eight faults first\",\"source\":\"c\",\"severity\":\"error\"}", NULL), PD_STATUS_OK);
  CHECK(counter(admin, "alerts") == alerts + 1);
  set_faults(admin, "[]");
  pd_events_free(e);

  /* REST keeps its timeout too. */
  set_faults(admin, "[{\"route\":\"/priorities\",\"stall\":1.0}]");
  pd_rest *c = rest_client(FULL, ",\"timeout_ms\":1500,\"retry\":{\"max_attempts\":1}");
  char *out = NULL;
  t0 = now_s();
  CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_TIMEOUT);
  CHECK(now_s() - t0 <= 2.5);
  pd_rest_free(c);
  set_faults(admin, "[]");
  pd_rest_free(admin);
}

struct call {
  pd_rest *rest;
  pd_events *events;
  pd_status status;
  double ended;
  char *key;
};

static void *rest_call(void *arg) {
  struct call *a = arg;
  char *out = NULL;
  a->status = pd_rest_request(a->rest, "GET", "/priorities", NULL, NULL, &out);
  pd_string_free(out);
  a->ended = now_s();
  return NULL;
}

static void *events_call(void *arg) {
  struct call *a = arg;
  a->status = pd_events_trigger(a->events, "{\"summary\":\"to cancel\",\"source\":\"c\",\"severity\":\"error\"}", &a->key);
  a->ended = now_s();
  return NULL;
}

static void test_cancel(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  set_faults(admin, "[{\"route\":\"/priorities\",\"server_error\":1.0},{\"route\":\"/v2/enqueue\",\"server_error\":1.0}]");
  const char *slow = ",\"retry\":{\"base_delay_ms\":5000,\"max_delay_ms\":5000,\"deadline_ms\":60000}";
  struct call a = {rest_client(FULL, slow), NULL, PD_STATUS_OK, 0, NULL};
  pthread_t t;
  pthread_create(&t, NULL, rest_call, &a);
  sleep_ms(1000); /* the first attempt failed: the call waits 5 s before the next */
  double t0 = now_s();
  CHECK_STATUS(pd_rest_cancel(a.rest), PD_STATUS_OK);
  pthread_join(t, NULL);
  CHECK(a.status == PD_STATUS_CANCELLED);
  if (a.ended - t0 > 1.0) fprintf(stderr, "pd_rest_cancel took %.2f s\n", a.ended - t0);
  CHECK(a.ended - t0 <= 1.0);
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(a.rest, "GET", "/incidents", NULL, NULL, &out), PD_STATUS_CANCELLED);
  pd_pager *p = NULL;
  pd_status made = pd_pager_new(a.rest, "/incidents", NULL, &p);
  CHECK(made == PD_STATUS_CANCELLED); /* "every later call on it fails with PD_STATUS_CANCELLED" */
  if (made == PD_STATUS_OK) {
    char *items = NULL;
    CHECK_STATUS(pd_pager_next(p, &items), PD_STATUS_CANCELLED);
    pd_string_free(items);
  }
  pd_pager_free(p);
  CHECK_STATUS(pd_rest_cancel(a.rest), PD_STATUS_OK); /* twice is fine */
  pd_rest_free(a.rest);

  char opts[512];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\"%s}", getenv("PD_MOCK_URL"), slow);
  struct call b = {NULL, NULL, PD_STATUS_OK, 0, NULL};
  CHECK_STATUS(pd_events_new(ROUTING, opts, &b.events), PD_STATUS_OK);
  pthread_create(&t, NULL, events_call, &b);
  sleep_ms(1000);
  t0 = now_s();
  CHECK_STATUS(pd_events_cancel(b.events), PD_STATUS_OK);
  pthread_join(t, NULL);
  CHECK(b.status == PD_STATUS_CANCELLED);
  CHECK(b.ended - t0 <= 1.0);
  CHECK(b.key != NULL && strlen(b.key) == 36);
  pd_string_free(b.key);
  CHECK_STATUS(pd_events_resolve(b.events, "k"), PD_STATUS_CANCELLED);
  pd_events_free(b.events);
  set_faults(admin, "[]");
  pd_rest_free(admin);
}

static void test_options_checked(void) {
  pd_rest *c = (pd_rest *)0x1;
  CHECK_STATUS(pd_rest_new(FULL, "{\"regoin\":\"eu\"}", &c), PD_STATUS_INVALID_INPUT);
  CHECK(c == NULL && contains(pd_last_error_message(), "regoin"));
  pd_events *e = NULL;
  CHECK_STATUS(pd_events_new(ROUTING, "{\"regoin\":\"eu\"}", &e), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "regoin"));
  const char *bad[][2] = {
      {"{\"timeout_ms\":\"5\"}", "timeout_ms"},
      {"{\"timeout_ms\":-1}", "timeout_ms"},
      {"{\"timeout_ms\":true}", "timeout_ms"},
      {"{\"retry\":{\"deadline_ms\":\"inf\"}}", "deadline_ms"},
      {"{\"retry\":{\"base_delay_ms\":-5}}", "base_delay_ms"},
      {"{\"max_response_bytes\":-1}", "max_response_bytes"},
      {"{\"max_response_bytes\":\"big\"}", "max_response_bytes"},
      {"{\"ca_pem\":\"not a certificate\"}", "ca_pem"},
      {"{\"ca_file\":\"/nonexistent/ca.pem\"}", "ca_file"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    pd_status st = pd_rest_new(FULL, bad[i][0], &c);
    int named = contains(pd_last_error_message(), bad[i][1]);
    if (st != PD_STATUS_INVALID_INPUT || !named) fprintf(stderr, "options %s: status %d, names %s: %d\n", bad[i][0], st, bad[i][1], named);
    CHECK(st == PD_STATUS_INVALID_INPUT && named);
    if (st == PD_STATUS_OK) pd_rest_free(c);
  }
  CHECK_STATUS(pd_rest_new(FULL, "{\"timeout_ms\":1500.6,\"max_response_bytes\":1048576}", &c), PD_STATUS_OK);
  pd_rest_free(c);
  /* A CRLF in the User-Agent is invalid input, not a transport "builder error". */
  pd_status st = pd_rest_new(FULL, "{\"user_agent\":\"me\\r\\nX-Evil: 1\"}", &c);
  if (st == PD_STATUS_OK) {
    char *out = NULL;
    st = pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out);
    pd_rest_free(c);
  }
  CHECK(st == PD_STATUS_INVALID_INPUT && contains(pd_last_error_message(), "user_agent"));
}

static void test_truncation(void) {
  pd_rest *c = rest_client(FULL, NULL);
  mock_admin(c, "POST", "/_mock/reset", "{\"incidents\":10050}");
  pd_pager *p = NULL;
  CHECK_STATUS(pd_pager_new(c, "/incidents", "{\"limit\":100}", &p), PD_STATUS_OK);
  long items = 0;
  pd_status st;
  for (;;) {
    char *page = NULL;
    st = pd_pager_next(p, &page);
    if (st != PD_STATUS_OK || page == NULL) break;
    for (const char *q = strstr(page, "\"incident_number\":"); q; q = strstr(q + 1, "\"incident_number\":")) items++;
    pd_string_free(page);
  }
  CHECK(st == PD_STATUS_TRUNCATED); /* not a silent end */
  CHECK(items == 10000);
  bool truncated = false;
  CHECK_STATUS(pd_pager_truncated(p, &truncated), PD_STATUS_OK);
  CHECK(truncated);
  pd_pager_free(p);
  mock_admin(c, "POST", "/_mock/reset", "{\"incidents\":250}");
  pd_rest_free(c);
}

/* A whole history past the cap: n incidents (347 s apart, back from the simulator's start)
 * walked by pd_pager_history come back each once: n items whose incident_numbers are 1..n. */
static void test_history(long n) {
  pd_rest *c = rest_client(FULL, NULL);
  char body[64];
  snprintf(body, sizeof body, "{\"incidents\":%ld}", n);
  mock_admin(c, "POST", "/_mock/reset", body);
  char since[32], until[32];
  time_t now = time(NULL), from = now - (time_t)(n * 347 + 86400), to = now + 86400;
  strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", gmtime(&from));
  strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", gmtime(&to));
  pd_pager *p = NULL;
  CHECK_STATUS(pd_pager_history(c, "/incidents", NULL, until, since, &p), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_pager_history(c, "/incidents", "{\"limit\":100}", since, until, &p), PD_STATUS_OK);
  long items = 0;
  long long sum = 0;
  pd_status st;
  for (;;) {
    char *page = NULL;
    st = pd_pager_next(p, &page);
    if (st != PD_STATUS_OK || page == NULL) break;
    for (const char *q = strstr(page, "\"incident_number\":"); q; q = strstr(q + 1, "\"incident_number\":")) {
      items++;
      sum += atoll(q + strlen("\"incident_number\":"));
    }
    pd_string_free(page);
  }
  CHECK(st == PD_STATUS_OK);
  CHECK(items == n);
  CHECK(sum == (long long)n * (n + 1) / 2);
  pd_pager_free(p);
  mock_admin(c, "POST", "/_mock/reset", "{\"incidents\":250}");
  pd_rest_free(c);
}

/* Webhook event types, the replay guard, dedup keys, and safe creates / delivery lookups. */
static void test_webhook_types_dedup_and_safe_creates(void) {
  CHECK(pd_webhook_event_code("incident.acknowledged") == PD_WEBHOOK_EVENT_TYPE_INCIDENT_ACKNOWLEDGED);
  CHECK(pd_webhook_event_code("incident.made_up") == PD_WEBHOOK_EVENT_TYPE_OTHER);
  CHECK(pd_webhook_event_code(NULL) == -1);
  CHECK(strcmp(pd_webhook_event_type_name(PD_WEBHOOK_EVENT_TYPE_INCIDENT_ACKNOWLEDGED), "incident.acknowledged") == 0);
  CHECK(pd_webhook_event_type_name(-5) == NULL);

  pd_replay_guard *g = NULL;
  CHECK_STATUS(pd_replay_guard_new(2, &g), PD_STATUS_OK);
  bool seen = true;
  CHECK_STATUS(pd_replay_guard_seen(g, "w1", &seen), PD_STATUS_OK);
  CHECK(!seen);
  CHECK_STATUS(pd_replay_guard_remember(g, "w1", false), PD_STATUS_OK);
  CHECK_STATUS(pd_replay_guard_seen(g, "w1", &seen), PD_STATUS_OK);
  CHECK(seen);
  /* Bounded: two more push the first out. */
  CHECK_STATUS(pd_replay_guard_remember(g, "w2", false), PD_STATUS_OK);
  CHECK_STATUS(pd_replay_guard_remember(g, "w3", false), PD_STATUS_OK);
  CHECK_STATUS(pd_replay_guard_seen(g, "w1", &seen), PD_STATUS_OK);
  CHECK(!seen);
  CHECK_STATUS(pd_replay_guard_seen(g, NULL, &seen), PD_STATUS_INVALID_INPUT);
  pd_replay_guard_free(g);
  pd_replay_guard_free(NULL);

  char *k1 = NULL, *k2 = NULL;
  CHECK_STATUS(pd_dedup_key("{\"host\":\"db-1\",\"alertname\":\"DiskFull\"}", &k1), PD_STATUS_OK);
  CHECK_STATUS(pd_dedup_key("{\"alertname\":\"DiskFull\",\"host\":\"db-1\"}", &k2), PD_STATUS_OK);
  CHECK(k1 && k2 && strcmp(k1, k2) == 0 && strncmp(k1, "dk1-", 4) == 0 && strlen(k1) == 68);
  pd_string_free(k1);
  pd_string_free(k2);
  CHECK_STATUS(pd_dedup_key("{}", &k1), PD_STATUS_INVALID_INPUT);

  pd_rest *c = rest_client(FULL, NULL);
  char *first = NULL, *again = NULL, *found = NULL;
  bool created = false;
  const char *args = "{\"title\":\"Disk full\",\"service_id\":\"PSVC001\",\"incident_key\":\"c-safe-create-1\"}";
  CHECK_STATUS(pd_rest_create_incident_once(c, args, &first, &created), PD_STATUS_OK);
  CHECK(created && first && contains(first, "c-safe-create-1"));
  CHECK_STATUS(pd_rest_create_incident_once(c, args, &again, &created), PD_STATUS_OK);
  CHECK(!created && again);
  /* The same incident both times: its id. */
  const char *id = first ? strstr(first, "\"id\":\"") : NULL;
  const char *id2 = again ? strstr(again, "\"id\":\"") : NULL;
  CHECK(id && id2 && strncmp(id, id2, 14) == 0);
  CHECK_STATUS(pd_rest_find_incident_for_dedup_key(c, "c-safe-create-1", 2000, &found), PD_STATUS_OK);
  CHECK(found && contains(found, "c-safe-create-1"));
  pd_string_free(found);
  found = NULL;
  CHECK_STATUS(pd_rest_find_incident_for_dedup_key(c, "no-such-key", 300, &found), PD_STATUS_OK);
  CHECK(found && strcmp(found, "null") == 0);
  pd_string_free(found);
  CHECK_STATUS(pd_rest_find_incident_for_dedup_key(c, "", 300, &found), PD_STATUS_INVALID_INPUT);
  pd_string_free(first);
  pd_string_free(again);
  pd_rest_free(c);
}

static void test_response_cap(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  set_faults(admin, "[{\"route\":\"/priorities\",\"huge_body\":1.0,\"huge_body_mb\":50}]");
  pd_rest *c = rest_client(FULL, ",\"retry\":{\"max_attempts\":1}");
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_DECODE);
  CHECK(contains(pd_last_error_message(), "8388608") || contains(pd_last_error_message(), "8 MiB"));
  pd_rest_free(c);
  set_faults(admin, "[]");
  c = rest_client(FULL, ",\"max_response_bytes\":1000");
  CHECK_STATUS(pd_rest_request(c, "GET", "/incidents", "{\"limit\":100}", NULL, &out), PD_STATUS_DECODE);
  CHECK(contains(pd_last_error_message(), "1000"));
  pd_rest_free(c);
  pd_rest_free(admin);
}

static void test_tls(void) {
  const char *url = getenv("PD_TLS_URL"), *ca = getenv("PD_TLS_CA");
  if (!url || !ca) {
    fprintf(stderr, "PD_TLS_URL / PD_TLS_CA not set: the TLS tests cannot run\n");
    failures++;
    return;
  }
  char opts[8192];
  snprintf(opts, sizeof opts, "{\"region\":\"%s\"}", url);
  pd_rest *c = NULL;
  CHECK_STATUS(pd_rest_new(FULL, opts, &c), PD_STATUS_OK);
  char *out = NULL;
  double t0 = now_s();
  CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_TRANSPORT);
  CHECK(now_s() - t0 < 2.0); /* not retried as if transient */
  CHECK(contains(pd_last_error_message(), "certificate"));
  CHECK(!last_error_mentions(FULL));
  pd_rest_free(c);
  pd_events *e = NULL;
  CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);
  t0 = now_s();
  CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"s\",\"source\":\"x\",\"severity\":\"info\"}", NULL), PD_STATUS_TRANSPORT);
  CHECK(now_s() - t0 < 2.0);
  CHECK(contains(pd_last_error_message(), "certificate"));
  pd_events_free(e);

  /* Trusted with ca_file, and with ca_pem. */
  char path[512], pem[4096] = "", pem_json[6000];
  json_string(path, sizeof path, ca);
  FILE *f = fopen(ca, "r");
  CHECK(f != NULL);
  if (f) {
    size_t n = fread(pem, 1, sizeof pem - 1, f);
    pem[n] = 0;
    fclose(f);
  }
  json_string(pem_json, sizeof pem_json, pem);
  for (int i = 0; i < 2; i++) {
    snprintf(opts, sizeof opts, "{\"region\":\"%s\",\"%s\":%s}", url, i ? "ca_pem" : "ca_file", i ? pem_json : path);
    CHECK_STATUS(pd_rest_new(FULL, opts, &c), PD_STATUS_OK);
    CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_OK);
    CHECK(contains(out, "\"priorities\""));
    pd_string_free(out);
    out = NULL;
    pd_rest_free(c);
    CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);
    CHECK_STATUS(pd_events_trigger(e, "{\"summary\":\"over TLS\",\"source\":\"c\",\"severity\":\"info\"}", NULL), PD_STATUS_OK);
    pd_events_free(e);
  }

  /* A DNS failure is named and not retried. */
  CHECK_STATUS(pd_rest_new(FULL, "{\"region\":\"https://no-such-host.invalid\",\"retry\":{\"base_delay_ms\":1000}}", &c), PD_STATUS_OK);
  t0 = now_s();
  CHECK_STATUS(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out), PD_STATUS_TRANSPORT);
  CHECK(contains(pd_last_error_message(), "resolve"));
  CHECK(now_s() - t0 < 5.0);
  pd_rest_free(c);
}

static void test_nothing_lost(int n) {
  pd_rest *c = rest_client(FULL, NULL);
  char *out = NULL;
  CHECK_STATUS(pd_rest_request(c, "POST", "/_mock/reset", NULL, "{}", &out), PD_STATUS_OK);
  pd_string_free(out);
  CHECK_STATUS(pd_rest_request(c, "PUT", "/_mock/faults", NULL,
                               "[{\"route\":\"/v2/enqueue\",\"server_error\":0.2,\"rate_limit\":0.005,"
                               "\"rate_limit_no_headers\":0.095,\"drop_after\":0.05,"
                               "\"fail_streak\":8,\"fail_streak_fraction\":0.02}]",
                               &out),
               PD_STATUS_OK);
  pd_string_free(out);
  pd_events *e = NULL;
  char opts[512];
  snprintf(opts, sizeof opts,
           "{\"region\":\"%s\",\"retry\":{\"base_delay_ms\":2,\"max_delay_ms\":20}}",
           getenv("PD_MOCK_URL"));
  CHECK_STATUS(pd_events_new(ROUTING, opts, &e), PD_STATUS_OK);
  int ok = 0;
  for (int i = 0; i < n; i++) {
    char body[128];
    snprintf(body, sizeof body, "{\"summary\":\"event %d\",\"source\":\"c\",\"severity\":\"error\"}", i);
    char *key = NULL;
    pd_status st = pd_events_trigger(e, body, &key);
    if (st == PD_STATUS_OK) {
      ok++;
    } else {
      const char *why = pd_last_error_message();
      fprintf(stderr, "trigger %d failed (status %d): %s; its dedup_key: %s\n", i, (int)st, why ? why : "", key ? key : "(none)");
      CHECK(key != NULL);
    }
    pd_string_free(key);
  }
  pd_events_free(e);
  CHECK_STATUS(pd_rest_request(c, "PUT", "/_mock/faults", NULL, "[]", &out), PD_STATUS_OK);
  pd_string_free(out);
  long alerts = counter(c, "alerts");
  long processed = counter(c, "events_accepted");
  long streaks = counter(c, "fail_streak"); /* inside "faults": {...}: the only key of that name */
  printf("nothing lost: %d triggers acknowledged, %ld alerts, %ld events processed (retries after faults), %ld fail-streak faults\n",
         ok, alerts, processed, streaks);
  CHECK(ok == n);
  CHECK(alerts == n);
  CHECK(processed > n);
  CHECK(streaks >= 8 * (n / 200)); /* ~2% of the events failed 8 times in a row each */
  pd_rest_free(c);
}

/* ---- Issue 16: OAuth client credentials and rate limits ----------------------------------- */

static const char *OAUTH_SECRET = "pdmock-oauth-secret-5f1c9e2a";

static pd_rest *oauth_client(const char *scopes, const char *secret) {
  char opts[1024];
  snprintf(opts, sizeof opts,
           "{\"region\":\"%s\",\"oauth\":{\"client_id\":\"pdmock-oauth-client\",\"client_secret\":\"%s\","
           "\"scopes\":%s,\"subdomain\":\"pdmock\"}}",
           getenv("PD_MOCK_URL"), secret, scopes);
  pd_rest *c = NULL;
  CHECK_STATUS(pd_rest_new(NULL, opts, &c), PD_STATUS_OK);
  return c;
}

static pd_status list_incidents(pd_rest *c) {
  char *out = NULL;
  pd_status s = pd_rest_request(c, "GET", "/incidents", NULL, NULL, &out);
  pd_string_free(out);
  return s;
}

static void test_oauth(void) {
  pd_rest *admin = rest_client(FULL, NULL);
  long t0 = counter(admin, "token_requests");
  /* Lazily: nothing until the first call; one token for two calls. */
  pd_rest *c = oauth_client("[\"incidents.read\"]", OAUTH_SECRET);
  CHECK(counter(admin, "token_requests") == t0);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  CHECK(counter(admin, "token_requests") == t0 + 1);
  /* A 401 (the token expired early): one new token, the request replayed. */
  long e0 = counter(admin, "expired_tokens");
  mock_admin(admin, "POST", "/_mock/oauth/expire", NULL);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  CHECK(counter(admin, "token_requests") == t0 + 2);
  CHECK(counter(admin, "expired_tokens") == e0 + 1);
  pd_rest_free(c);
  /* Refreshed before expiry: 3 s tokens, a call 2.8 s later fetches a new one first. */
  mock_admin(admin, "PUT", "/_mock/oauth", "{\"expires_in\":3}");
  c = oauth_client("[\"incidents.read\"]", OAUTH_SECRET);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  sleep_ms(2800);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  CHECK(counter(admin, "token_requests") == t0 + 4);
  CHECK(counter(admin, "expired_tokens") == e0 + 1);
  mock_admin(admin, "PUT", "/_mock/oauth", "{\"expires_in\":86400}");
  pd_rest_free(c);
  /* A scope PagerDuty dropped: a typed error naming it. */
  c = oauth_client("\"incidents.read incidents.wirte\"", OAUTH_SECRET);
  CHECK_STATUS(list_incidents(c), PD_STATUS_SCOPE_NOT_GRANTED);
  CHECK(contains(pd_last_error_message(), "incidents.wirte"));
  pd_rest_free(c);
  /* Checked before any I/O: no subdomain, no as_account scope. */
  char opts[512];
  snprintf(opts, sizeof opts,
           "{\"region\":\"%s\",\"oauth\":{\"client_id\":\"x\",\"client_secret\":\"y\",\"scopes\":[\"read\"]}}",
           getenv("PD_MOCK_URL"));
  c = NULL;
  CHECK_STATUS(pd_rest_new(NULL, opts, &c), PD_STATUS_INVALID_INPUT);
  CHECK(contains(pd_last_error_message(), "oauth.subdomain"));
  /* The secret and the token never in an error. */
  c = oauth_client("[\"read\"]", "pdmock-wrong-secret-77");
  CHECK_STATUS(list_incidents(c), PD_STATUS_UNAUTHORIZED);
  CHECK(!last_error_mentions("pdmock-wrong-secret-77"));
  pd_rest_free(c);
  c = oauth_client("[\"read\"]", OAUTH_SECRET);
  set_faults(admin, "[{\"route\":\"/priorities\",\"echo_key\":1.0}]");
  char *out = NULL;
  CHECK(pd_rest_request(c, "GET", "/priorities", NULL, NULL, &out) != PD_STATUS_OK);
  CHECK(last_error_mentions("<redacted>"));
  CHECK(!last_error_mentions("pdmock_oauth_"));
  set_faults(admin, "[]");
  pd_rest_free(c);
  pd_rest_free(admin);
}

static void test_rate_limit(void) {
  pd_rest *c = rest_client(FULL, NULL);
  char *json = NULL;
  CHECK_STATUS(pd_rest_rate_limit(c, &json), PD_STATUS_OK);
  CHECK(json && strcmp(json, "null") == 0);
  pd_string_free(json);
  CHECK_STATUS(list_incidents(c), PD_STATUS_OK);
  json = NULL;
  CHECK_STATUS(pd_rest_rate_limit(c, &json), PD_STATUS_OK);
  CHECK(contains(json, "\"limit\":1000000"));
  CHECK(contains(json, "\"remaining\":"));
  CHECK(contains(json, "\"reset_ms\":"));
  pd_string_free(json);
  CHECK_STATUS(pd_rest_rate_limit(NULL, &json), PD_STATUS_INVALID_INPUT);
  pd_rest_free(c);
}

/* OAuth for user apps (PKCE): the RFC 7636 example, the authorize URL, the code-exchange and
 * refresh requests, a dropped scope named, unknown keys refused and no secret in any error. */
static int last_error_quotes(const char *secret) {
  char *details = NULL;
  pd_last_error_details(&details);
  int found = contains(pd_last_error_message(), secret) || contains(details, secret);
  pd_string_free(details);
  return found;
}

static void test_oauth_pkce(void) {
  char *out = NULL;
  CHECK_STATUS(pd_oauth("{\"action\":\"challenge\",\"verifier\":\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"challenge\":\"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\""));
  pd_string_free(out);
  char *a = NULL, *b = NULL;
  CHECK_STATUS(pd_oauth("{\"action\":\"pkce\"}", &a), PD_STATUS_OK);
  CHECK_STATUS(pd_oauth("{\"action\":\"pkce\"}", &b), PD_STATUS_OK);
  CHECK(contains(a, "\"verifier\":\"") && contains(a, "\"challenge\":\"") && a && b && strcmp(a, b) != 0);
  pd_string_free(a);
  pd_string_free(b);

  CHECK_STATUS(pd_oauth("{\"action\":\"authorize_url\",\"client_id\":\"cid\",\"redirect_uri\":\"https://app.example/cb\","
                        "\"scopes\":[\"incidents.read\",\"services.read\"],\"state\":\"st4te\","
                        "\"challenge\":\"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\"}",
                        &out),
               PD_STATUS_OK);
  CHECK(contains(out, "https://identity.pagerduty.com/oauth/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"
                      "&response_type=code&scope=incidents.read+services.read&state=st4te"
                      "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
  pd_string_free(out);

  CHECK_STATUS(pd_oauth("{\"action\":\"code_exchange\",\"region\":\"eu\",\"client_id\":\"cid\",\"client_secret\":\"sec-ret-value\","
                        "\"code\":\"auth-code-value\",\"redirect_uri\":\"https://app.example/cb\","
                        "\"verifier\":\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"}",
                        &out),
               PD_STATUS_OK);
  CHECK(contains(out, "\"url\":\"https://identity.eu.pagerduty.com/oauth/token\""));
  CHECK(contains(out, "grant_type=authorization_code&client_id=cid&code=auth-code-value"
                      "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
                      "&client_secret=sec-ret-value"));
  CHECK(contains(out, "application/x-www-form-urlencoded"));
  pd_string_free(out);
  CHECK_STATUS(pd_oauth("{\"action\":\"refresh\",\"client_id\":\"cid\",\"refresh_token\":\"pdus+_refresh-value\"}", &out),
               PD_STATUS_OK);
  CHECK(contains(out, "grant_type=refresh_token&client_id=cid&refresh_token=pdus%2B_refresh-value"));
  pd_string_free(out);

  const char *answer = "{\\\"access_token\\\":\\\"pdus+_user-token\\\",\\\"token_type\\\":\\\"bearer\\\",\\\"expires_in\\\":86400,"
                       "\\\"refresh_token\\\":\\\"pdus+_refresh-2\\\",\\\"scope\\\":\\\"incidents.read\\\"}";
  char spec[1024];
  snprintf(spec, sizeof spec, "{\"action\":\"parse_token\",\"status\":200,\"body\":\"%s\",\"scopes\":[\"incidents.read\"]}", answer);
  CHECK_STATUS(pd_oauth(spec, &out), PD_STATUS_OK);
  CHECK(contains(out, "\"access_token\":\"pdus+_user-token\"") && contains(out, "\"refresh_token\":\"pdus+_refresh-2\""));
  CHECK(contains(out, "\"expires_in\":86400"));
  pd_string_free(out);
  snprintf(spec, sizeof spec, "{\"action\":\"parse_token\",\"status\":200,\"body\":\"%s\",\"scopes\":\"incidents.read incidents.write\"}",
           answer);
  CHECK_STATUS(pd_oauth(spec, &out), PD_STATUS_SCOPE_NOT_GRANTED);
  CHECK(out == NULL);
  CHECK(last_error_mentions("incidents.write"));
  CHECK(!last_error_quotes("pdus+_"));

  /* An identity server that quotes the refresh token it got: scrubbed when the request is given. */
  char *sent = NULL;
  CHECK_STATUS(pd_oauth("{\"action\":\"refresh\",\"client_id\":\"cid\",\"refresh_token\":\"pdus+_R3FR3SH\"}", &sent),
               PD_STATUS_OK);
  const char *echo = "{\\\"error\\\":\\\"invalid_grant: pdus+_R3FR3SH\\\"}";
  snprintf(spec, sizeof spec, "{\"action\":\"parse_token\",\"status\":400,\"body\":\"%s\"}", echo);
  CHECK(pd_oauth(spec, &out) != PD_STATUS_OK);
  CHECK(last_error_quotes("R3FR3SH"));
  snprintf(spec, sizeof spec, "{\"action\":\"parse_token\",\"status\":400,\"body\":\"%s\",\"request\":%s}", echo,
           sent ? sent : "null");
  CHECK(pd_oauth(spec, &out) != PD_STATUS_OK);
  CHECK(out == NULL);
  CHECK(last_error_mentions("invalid_grant") && !last_error_quotes("R3FR3SH"));
  pd_string_free(sent);

  /* Bad inputs: the field named, the secret never quoted. */
  CHECK_STATUS(pd_oauth("{\"action\":\"code_exchange\",\"client_id\":\"cid\",\"client_secret\":\"sec-ret value\",\"code\":\"c\","
                        "\"redirect_uri\":\"https://a.example/\",\"verifier\":\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"}",
                        &out),
               PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("client_secret") && !last_error_quotes("sec-ret"));
  CHECK_STATUS(pd_oauth("{\"action\":\"code_exchange\",\"client_id\":\"cid\",\"code\":\"auth-code value\","
                        "\"redirect_uri\":\"https://a.example/\",\"verifier\":\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"}",
                        &out),
               PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("invalid code") && !last_error_quotes("auth-code"));
  CHECK_STATUS(pd_oauth("{\"action\":\"code_exchange\",\"client_id\":\"cid\",\"code\":\"c\",\"redirect_uri\":\"https://a.example/\","
                        "\"verifier\":\"dBjftJeZ4CVP-mB92K27\"}",
                        &out),
               PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("verifier") && !last_error_quotes("dBjftJeZ4CVP"));
  CHECK_STATUS(pd_oauth("{\"action\":\"refresh\",\"client_id\":\"cid\",\"refresh_token\":\"pdus+_refresh value\"}", &out),
               PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("refresh_token") && !last_error_quotes("pdus+_refresh"));
  CHECK_STATUS(pd_oauth("{\"action\":\"pkce\",\"verifier\":\"x\"}", &out), PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("verifier"));
  CHECK_STATUS(pd_oauth("{\"action\":\"implicit\"}", &out), PD_STATUS_INVALID_INPUT);
  CHECK(last_error_mentions("action"));
  CHECK_STATUS(pd_oauth(NULL, &out), PD_STATUS_INVALID_INPUT);
  CHECK_STATUS(pd_oauth("{\"action\":\"pkce\"}", NULL), PD_STATUS_INVALID_INPUT);
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
  test_oauth_pkce();
  test_threads();
  test_options_checked();
  test_escaping_paths();
  test_redirects();
  test_echoed_keys();
  test_event_timeout_and_dedup_key_on_failure();
  test_cancel();
  test_response_cap();
  test_truncation();
  test_webhook_types_dedup_and_safe_creates();
  const char *h = getenv("PD_HISTORY");
  long history = h ? atol(h) : 25000;
  if (history > 0) test_history(history);
  test_tls();
  test_oauth();
  test_rate_limit();
  const char *n = getenv("PD_NOTHING_LOST");
  if (n && atoi(n) > 0) test_nothing_lost(atoi(n));
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
