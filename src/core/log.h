/* Debug logging: off unless --debug turns it on; lines go to a sink
 * (stderr for the CLI). Never log credentials: callers redact them. */
#ifndef WCR_CORE_LOG_H
#define WCR_CORE_LOG_H

#include <stdbool.h>

#include "wcr/common.h"

typedef void (*wcr_log_sink)(void *ud, const char *line);

/* Turn debug logging on with a sink (NULL: off). Set once, at start-up. */
void wcr_log_set_sink(wcr_log_sink sink, void *ud);
bool wcr_log_enabled(void);
void wcr_log_debug(const char *fmt, ...) WCR_PRINTF(1, 2);

#endif
