/* A container process's stdio as named pipes that wcr serves and the
 * runhcs shim connects to during Tasks.Create. A client may connect to a
 * pipe instance before the server waits for it, so the instances are made
 * first and accepted once Create has returned. */
#include <stdio.h>
#include <stdlib.h>

#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"

struct wcr_os_stdio {
    char *path[3];
    wcr_os_listener *listener[3];
    wcr_os_conn *conn[3];
};

wcr_os_stdio *wcr_os_stdio_new(const char *dir, const char *prefix, bool in, bool out, bool err_stream,
                               wcr_err *err)
{
    (void)dir; /* pipes live in their own namespace */
    wcr_os_stdio *s = calloc(1, sizeof *s);
    if (!s) {
        wcr_err_set(err, WCR_E_NOMEM, "stdio: out of memory");
        return NULL;
    }
    unsigned char r[6];
    if (wcr_os_random(r, sizeof r, err) < 0) {
        free(s);
        return NULL;
    }
    static const char *const names[3] = { "stdin", "stdout", "stderr" };
    bool want[3] = { in, out, err_stream };
    for (int i = 0; i < 3; i++) {
        if (!want[i])
            continue;
        s->path[i] = wcr_asprintf("\\\\.\\pipe\\%s-%02x%02x%02x%02x%02x%02x-%s", prefix, r[0], r[1], r[2],
                                  r[3], r[4], r[5], names[i]);
        if (!s->path[i]) {
            wcr_err_set(err, WCR_E_NOMEM, "stdio: out of memory");
            wcr_os_stdio_free(s);
            return NULL;
        }
        if (!(s->listener[i] = wcr_os_listen(s->path[i], err))) {
            wcr_os_stdio_free(s);
            return NULL;
        }
    }
    return s;
}

const char *wcr_os_stdio_path(const wcr_os_stdio *s, int stream)
{
    return s && stream >= 0 && stream < 3 && s->path[stream] ? s->path[stream] : "";
}

int wcr_os_stdio_connected(wcr_os_stdio *s, wcr_err *err)
{
    for (int i = 0; i < 3; i++) {
        if (!s->listener[i] || s->conn[i])
            continue;
        if (!(s->conn[i] = wcr_os_accept(s->listener[i], err)))
            return wcr_err_wrap(err, "the shim did not connect to %s", s->path[i]);
    }
    return 0;
}

int wcr_os_stdio_read(wcr_os_stdio *s, int stream, void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    return s->conn[stream] ? wcr_os_conn_read(s->conn[stream], buf, len, got, err) : 0;
}

int wcr_os_stdio_write(wcr_os_stdio *s, const void *buf, size_t len, wcr_err *err)
{
    if (!s->conn[WCR_STDIO_IN])
        return wcr_err_set(err, WCR_E_IO, "stdin: not connected");
    return wcr_os_conn_write(s->conn[WCR_STDIO_IN], buf, len, err);
}

void wcr_os_stdio_close_in(wcr_os_stdio *s)
{
    if (!s)
        return;
    wcr_os_conn_close(s->conn[WCR_STDIO_IN]);
    s->conn[WCR_STDIO_IN] = NULL;
    wcr_os_listener_close(s->listener[WCR_STDIO_IN]);
    s->listener[WCR_STDIO_IN] = NULL;
}

void wcr_os_stdio_free(wcr_os_stdio *s)
{
    if (!s)
        return;
    for (int i = 0; i < 3; i++) {
        wcr_os_conn_close(s->conn[i]);
        wcr_os_listener_close(s->listener[i]);
        free(s->path[i]);
    }
    free(s);
}
