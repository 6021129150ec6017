/* A container process's stdio as FIFOs, the way containerd's shims take
 * it: the client makes the FIFOs and opens its ends first; the shim opens
 * the other ends during Tasks.Create. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "os/os.h"

struct wcr_os_stdio {
    char *dir;
    char *path[3];
    int fd[3];        /* our ends: stdin writable, stdout/stderr readable */
    int keepalive[3]; /* write ends we hold until the shim has its own */
};

static int open_ends(wcr_os_stdio *s, int stream, wcr_err *err)
{
    const char *p = s->path[stream];
    if (stream == WCR_STDIO_IN) {
        /* O_RDWR never blocks on a FIFO; the shim reads the other end. */
        s->fd[stream] = open(p, O_RDWR | O_CLOEXEC);
    } else {
        /* Read end first without blocking, then a write end of ours so a
         * read before the shim has opened its end does not see the end. */
        s->fd[stream] = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (s->fd[stream] >= 0) {
            s->keepalive[stream] = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            int fl = fcntl(s->fd[stream], F_GETFL);
            if (s->keepalive[stream] < 0 || fl < 0 || fcntl(s->fd[stream], F_SETFL, fl & ~O_NONBLOCK) < 0)
                return wcr_err_set_errno(err, errno, "open FIFO %s", p);
        }
    }
    if (s->fd[stream] < 0)
        return wcr_err_set_errno(err, errno, "open FIFO %s", p);
    return 0;
}

wcr_os_stdio *wcr_os_stdio_new(const char *dir, const char *prefix, bool in, bool out, bool err_stream,
                               wcr_err *err)
{
    wcr_os_stdio *s = calloc(1, sizeof *s);
    if (!s) {
        wcr_err_set(err, WCR_E_NOMEM, "stdio: out of memory");
        return NULL;
    }
    for (int i = 0; i < 3; i++)
        s->fd[i] = s->keepalive[i] = -1;
    char *tmpl = wcr_asprintf("%s/%s-XXXXXX", dir, prefix);
    if (!tmpl || wcr_os_mkdir_p(dir, 0700, err) < 0) {
        if (!tmpl)
            wcr_err_set(err, WCR_E_NOMEM, "stdio: out of memory");
        free(tmpl);
        free(s);
        return NULL;
    }
    if (!mkdtemp(tmpl)) {
        wcr_err_set_errno(err, errno, "create a FIFO directory in %s", dir);
        free(tmpl);
        free(s);
        return NULL;
    }
    s->dir = tmpl;
    static const char *const names[3] = { "stdin", "stdout", "stderr" };
    bool want[3] = { in, out, err_stream };
    for (int i = 0; i < 3; i++) {
        if (!want[i])
            continue;
        s->path[i] = wcr_asprintf("%s/%s", s->dir, names[i]);
        if (!s->path[i]) {
            wcr_err_set(err, WCR_E_NOMEM, "stdio: out of memory");
            goto fail;
        }
        if (mkfifo(s->path[i], 0600) != 0) {
            wcr_err_set_errno(err, errno, "mkfifo %s", s->path[i]);
            goto fail;
        }
        if (open_ends(s, i, err) < 0)
            goto fail;
    }
    return s;
fail:
    wcr_os_stdio_free(s);
    return NULL;
}

const char *wcr_os_stdio_path(const wcr_os_stdio *s, int stream)
{
    return s && stream >= 0 && stream < 3 && s->path[stream] ? s->path[stream] : "";
}

int wcr_os_stdio_connected(wcr_os_stdio *s, wcr_err *err)
{
    (void)err;
    for (int i = 1; i < 3; i++) {
        if (s->keepalive[i] >= 0) {
            close(s->keepalive[i]);
            s->keepalive[i] = -1;
        }
    }
    return 0;
}

int wcr_os_stdio_read(wcr_os_stdio *s, int stream, void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    if (s->fd[stream] < 0)
        return 0;
    for (;;) {
        ssize_t n = read(s->fd[stream], buf, len);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR)
            return wcr_err_set_errno(err, errno, "read %s", s->path[stream]);
    }
}

int wcr_os_stdio_write(wcr_os_stdio *s, const void *buf, size_t len, wcr_err *err)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(s->fd[WCR_STDIO_IN], p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return wcr_err_set_errno(err, errno, "write %s", s->path[WCR_STDIO_IN]);
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void wcr_os_stdio_close_in(wcr_os_stdio *s)
{
    if (s && s->fd[WCR_STDIO_IN] >= 0) {
        close(s->fd[WCR_STDIO_IN]);
        s->fd[WCR_STDIO_IN] = -1;
    }
}

void wcr_os_stdio_free(wcr_os_stdio *s)
{
    if (!s)
        return;
    for (int i = 0; i < 3; i++) {
        if (s->fd[i] >= 0)
            close(s->fd[i]);
        if (s->keepalive[i] >= 0)
            close(s->keepalive[i]);
        if (s->path[i])
            unlink(s->path[i]);
        free(s->path[i]);
    }
    if (s->dir)
        rmdir(s->dir);
    free(s->dir);
    free(s);
}
