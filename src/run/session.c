/* Stdio sessions of container processes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/tasks.h"
#include "core/str.h"
#include "run/session.h"

int wcr_session_open(wcr_session *s, wcr_ctd *c, const char *container, const char *exec_id,
                     bool interactive, bool tty, wcr_err *err)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->interactive = interactive;
    s->tty = tty;
    s->container = wcr_strdup(container);
    s->exec_id = exec_id ? wcr_strdup(exec_id) : NULL;
    char *dir = wcr_os_state_dir(true, err);
    char *fifo = dir ? wcr_asprintf("%s%cfifo", dir, wcr_os_path_sep()) : NULL;
    /* "<container>.<pid>-": wcr prune finds the FIFOs of dead runs by it. */
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s%s%s.%lu", container, exec_id ? "-" : "", exec_id ? exec_id : "",
             wcr_os_pid());
    if (fifo && s->container && (!exec_id || s->exec_id))
        s->io = wcr_os_stdio_new(fifo, prefix, interactive, true, !tty, err);
    else if (dir)
        wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    free(fifo);
    free(dir);
    if (!s->io) {
        wcr_session_close(s);
        return wcr_err_wrap(err, "stdio");
    }
    return 0;
}

const char *wcr_session_path(const wcr_session *s, int stream)
{
    return wcr_os_stdio_path(s->io, stream);
}

static void stdin_ended(void *ud)
{
    wcr_session *s = ud;
    /* The shim holds its end of the FIFO: it must be told to close the
     * process's stdin. */
    wcr_tasks_close_io(s->c, s->container, s->exec_id, true, NULL);
}

void wcr_session_resize(wcr_session *s)
{
    unsigned cols, rows;
    if (s->tty && wcr_os_terminal_size(WCR_OS_STDOUT, &cols, &rows) == 0)
        wcr_tasks_resize_pty(s->c, s->container, s->exec_id, cols, rows, NULL);
}

int wcr_session_attach(wcr_session *s, wcr_err *err)
{
    if (wcr_os_stdio_connected(s->io, err) < 0)
        return -1;
    if (s->tty && s->interactive && wcr_os_isatty(WCR_OS_STDIN) && !(s->term = wcr_os_term_raw(err)))
        return -1;
    s->attach = wcr_attach_start(s->io, s->interactive, true, !s->tty, stdin_ended, s, err);
    if (!s->attach)
        return -1;
    wcr_session_resize(s);
    return 0;
}

void wcr_session_wait(wcr_session *s)
{
    wcr_attach_wait(s->attach);
}

void wcr_session_close(wcr_session *s)
{
    if (!s)
        return;
    wcr_os_term_restore(s->term);
    s->term = NULL;
    wcr_attach_free(s->attach);
    s->attach = NULL;
    wcr_os_stdio_free(s->io);
    s->io = NULL;
    free(s->container);
    free(s->exec_id);
    s->container = s->exec_id = NULL;
}

int wcr_session_failure_code(const wcr_err *err)
{
    const char *texts[] = { err ? err->msg : NULL, err ? err->cause_msg : NULL };
    for (size_t i = 0; i < 2; i++) {
        const char *t = texts[i];
        if (!t)
            continue;
        /* runc says "exec: ..." when the process itself failed; the same
         * errno texts from a mount or a device are wcr's own errors. */
        bool exec = strstr(t, "exec:") || strstr(t, "exec failed");
        if (strstr(t, "executable file not found") || strstr(t, "The system cannot find the file") ||
            (exec && strstr(t, "no such file or directory")))
            return 127;
        if (strstr(t, "Access is denied") ||
            (exec && (strstr(t, "permission denied") || strstr(t, "is a directory"))))
            return 126;
    }
    return 0;
}
