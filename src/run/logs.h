/* The output of detached containers: a file the shim writes (containerd's
 * file:// log URI) that wcr logs prints. */
#ifndef WCR_RUN_LOGS_H
#define WCR_RUN_LOGS_H

#include <stdbool.h>

#include "containerd/client.h"

/* The file a detached container id logs to (malloc'd). */
char *wcr_logs_path_for(const char *ns, const char *id, wcr_err *err);

/* Copy the log to our stdout; with follow, keep copying new output until
 * the container's task is no longer running. */
int wcr_logs_copy(wcr_ctd *c, const char *id, bool follow, wcr_err *err);

#endif
