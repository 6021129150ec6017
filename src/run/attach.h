/* Attaching our stdio to a container process: its stdout and stderr are
 * copied to ours, and our stdin to it, on threads of their own. */
#ifndef WCR_RUN_ATTACH_H
#define WCR_RUN_ATTACH_H

#include <stdbool.h>

#include "os/os.h"

typedef struct wcr_attach wcr_attach;

/* Called (on the stdin thread) when our stdin ends, after the stdin
 * endpoint was closed: the shim must be told too (Tasks.CloseIO), as it
 * keeps its end of the FIFO open. Never called after wcr_attach_free(). */
typedef void (*wcr_attach_eof_fn)(void *ud);

/* Start copying (call after wcr_os_stdio_connected). The stdio must stay
 * alive until wcr_attach_free(). */
wcr_attach *wcr_attach_start(wcr_os_stdio *io, bool in, bool out, bool err_stream,
                             wcr_attach_eof_fn on_eof, void *ud, wcr_err *err);

/* Wait until the process closed its stdout and stderr (it exited). */
void wcr_attach_wait(wcr_attach *a);

/* Stop forwarding stdin. A stdin thread still blocked reading our own
 * stdin (a terminal nobody types into) is left to end with the process. */
void wcr_attach_free(wcr_attach *a);

#endif
