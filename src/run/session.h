/* A process's stdio session, shared by run and exec: the endpoints the
 * shim opens, the copy threads, our terminal in raw mode, resizes, and
 * telling the shim when our stdin ends. */
#ifndef WCR_RUN_SESSION_H
#define WCR_RUN_SESSION_H

#include <stdbool.h>

#include "containerd/client.h"
#include "os/os.h"
#include "run/attach.h"

typedef struct wcr_session {
    wcr_ctd *c;
    char *container;
    char *exec_id;       /* NULL for the task's own process */
    bool interactive, tty;
    wcr_os_stdio *io;
    wcr_attach *attach;
    wcr_os_term *term;
} wcr_session;

/* Make the endpoints (FIFOs under the state directory, or pipes). */
int wcr_session_open(wcr_session *s, wcr_ctd *c, const char *container, const char *exec_id,
                     bool interactive, bool tty, wcr_err *err);
const char *wcr_session_path(const wcr_session *s, int stream);
/* After Tasks.Create/Exec: connect, raw terminal, start copying. */
int wcr_session_attach(wcr_session *s, wcr_err *err);
/* The terminal's size to the process's pty. */
void wcr_session_resize(wcr_session *s);
/* Wait until the process's output ended. */
void wcr_session_wait(wcr_session *s);
/* 127 when starting a process failed because its executable is missing,
 * 126 when it cannot be run, 0 otherwise: the shells' convention, found in
 * the runtime's message (runc, crun, hcsshim). */
int wcr_session_failure_code(const wcr_err *err);
/* Restore the terminal, stop copying, remove the endpoints. */
void wcr_session_close(wcr_session *s);

#endif
