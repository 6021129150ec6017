/* Debug log lines through a sink set once at start-up. */
#include <stdarg.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/str.h"

static wcr_log_sink log_sink;
static void *log_ud;

void wcr_log_set_sink(wcr_log_sink sink, void *ud)
{
    log_sink = sink;
    log_ud = ud;
}

bool wcr_log_enabled(void)
{
    return log_sink != NULL;
}

void wcr_log_debug(const char *fmt, ...)
{
    if (!log_sink)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = wcr_vasprintf(fmt, ap);
    va_end(ap);
    if (line)
        log_sink(log_ud, line);
    free(line);
}
