/* The C tests' checks: each failed check prints its place, the condition and libpagerduty's
 * last error message, and is counted; main() reports the counts. One program per test file. */
#ifndef PD_TEST_CHECK_H
#define PD_TEST_CHECK_H

#include <stdio.h>

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

#endif
