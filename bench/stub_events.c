/* Stand-ins for pd_events_trigger and pd_string_free that do no I/O, with the same C signatures:
 * bench/python_side.py swaps them in to time what pagerduty_ffi's Python does per event. */
#include <stdlib.h>
#include <string.h>

int stub_events_trigger(void *client, const char *trigger_json, char **out_dedup_key) {
  (void)client;
  (void)trigger_json;
  *out_dedup_key = strdup("00000000-0000-4000-8000-000000000000");
  return *out_dedup_key ? 0 : 1;
}

void stub_string_free(char *s) { free(s); }
