/* libpagerduty from C: trigger an event, stream open incidents page by page, verify a webhook.
 *
 *   make -C examples/c run        (builds libpagerduty and this program, runs it)
 *
 * Against the simulator when PAGERDUTY_BASE_URL is set (make demo does this); against
 * PagerDuty when PAGERDUTY_TOKEN and PAGERDUTY_ROUTING_KEY are set (PAGERDUTY_REGION=us|eu,
 * PAGERDUTY_FROM=you@example.com). Keys are read from the environment and never printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagerduty.h"

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return (v && *v) ? v : fallback;
}

static int fail(const char *what, pd_status s) {
  const char *msg = pd_last_error_message();
  fprintf(stderr, "%s failed [%s]: %s\n", what, pd_status_name(s), msg ? msg : "");
  return 1;
}

int main(void) {
  const char *base_url = env_or("PAGERDUTY_BASE_URL", NULL);
  const char *region = base_url ? base_url : env_or("PAGERDUTY_REGION", "us");
  const char *token = env_or("PAGERDUTY_TOKEN", "pdmock_full_access_1");
  const char *routing_key = env_or("PAGERDUTY_ROUTING_KEY", "pdmockintegrationkey000000000001");
  const char *from = env_or("PAGERDUTY_FROM", "ada@example.com");
  char options[1024];
  snprintf(options, sizeof options, "{\"region\":\"%s\",\"from\":\"%s\"}", region, from);
  printf("libpagerduty %s, region %s\n", pd_version(), region);

  /* 1. Trigger: the library generates the dedup_key before the first attempt and retries
   *    429s, 5xx and lost answers without ever opening a second alert. */
  pd_events *events = NULL;
  pd_status s = pd_events_new(routing_key, options, &events);
  if (s != PD_STATUS_OK) return fail("pd_events_new", s);
  char *dedup_key = NULL;
  s = pd_events_trigger(events,
                        "{\"summary\":\"Disk /var at 96% on db-1 (libpagerduty C example)\",\"source\":\"db-1.prod\","
                        "\"severity\":\"critical\",\"component\":\"postgres\",\"custom_details\":{\"free_percent\":4}}",
                        &dedup_key);
  if (s != PD_STATUS_OK) return fail("pd_events_trigger", s);
  printf("triggered      dedup_key=%s\n", dedup_key);

  /* 2. Stream open incidents, one page at a time. */
  pd_rest *rest = NULL;
  s = pd_rest_new(token, options, &rest);
  if (s != PD_STATUS_OK) return fail("pd_rest_new", s);
  pd_pager *pager = NULL;
  s = pd_pager_new(rest, "/incidents", "{\"statuses\":[\"triggered\",\"acknowledged\"],\"limit\":100}", &pager);
  if (s != PD_STATUS_OK) return fail("pd_pager_new", s);
  int pages = 0;
  size_t bytes = 0;
  char *items = NULL;
  while ((s = pd_pager_next(pager, &items)) == PD_STATUS_OK && items != NULL) {
    pages++;
    bytes += strlen(items); /* a JSON array of incidents: hand it to your JSON parser */
    pd_string_free(items);
  }
  if (s != PD_STATUS_OK) return fail("pd_pager_next", s);
  printf("open incidents %d page(s), %zu bytes of JSON\n", pages, bytes);
  pd_pager_free(pager);

  /* 3. Resolve what we triggered. */
  s = pd_events_resolve(events, dedup_key);
  if (s != PD_STATUS_OK) return fail("pd_events_resolve", s);
  printf("resolved       dedup_key=%s\n", dedup_key);
  pd_string_free(dedup_key);

  /* 4. Verify a webhook (go-pagerduty's published test vector, with a rotated-out secret too). */
  const char *secrets[] = {"an-old-secret", "lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK"};
  const char *body =
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
  const char *signature = "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd";
  char *event = NULL;
  s = pd_webhook_verify(secrets, 2, signature, (const unsigned char *)body, strlen(body), 0, &event);
  if (s != PD_STATUS_OK) return fail("pd_webhook_verify", s);
  printf("webhook        verified: %.60s...\n", event);
  pd_string_free(event);
  s = pd_webhook_verify(secrets, 1, signature, (const unsigned char *)body, strlen(body), 0, NULL);
  printf("webhook        with the wrong secret: %s\n", pd_status_name(s));

  pd_rest_free(rest);
  pd_events_free(events);
  return 0;
}
