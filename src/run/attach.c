/* Copy threads between our stdio and a container process's. */
#include <stdlib.h>

#include "core/log.h"
#include "run/attach.h"

#define CHUNK 32768

/* Shared with the stdin thread, which may outlive the attach: it is freed
 * by whichever of the two lets go last. */
typedef struct stdin_link {
    wcr_os_mutex *mu;
    wcr_os_stdio *io;  /* NULL once the attach is gone */
    wcr_attach_eof_fn on_eof;
    void *ud;
    int refs;
} stdin_link;

typedef struct copier {
    wcr_os_stdio *io;
    int from, to;      /* stdio stream, our stream */
    wcr_os_thread *thread;
} copier;

struct wcr_attach {
    copier out[2];
    size_t nout;
    stdin_link *link;
    wcr_os_thread *stdin_thread;
};

static void copy_out(void *arg)
{
    copier *c = arg;
    char *buf = malloc(CHUNK);
    while (buf) {
        size_t got = 0;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_os_stdio_read(c->io, c->from, buf, CHUNK, &got, &err) < 0 || got == 0) {
            if (err.code)
                wcr_log_debug("attach: %s", err.msg ? err.msg : "read failed");
            wcr_err_dispose(&err);
            break;
        }
        if (wcr_os_std_write(c->to, buf, got, NULL) < 0)
            break; /* our stdout is gone: drop the rest */
    }
    free(buf);
}

static void link_release(stdin_link *l)
{
    wcr_os_mutex_lock(l->mu);
    bool last = --l->refs == 0;
    wcr_os_mutex_unlock(l->mu);
    if (last) {
        wcr_os_mutex_free(l->mu);
        free(l);
    }
}

static void copy_in(void *arg)
{
    stdin_link *l = arg;
    char buf[CHUNK];
    for (;;) {
        size_t got = 0;
        if (wcr_os_stdin_read(buf, sizeof buf, &got, NULL) < 0)
            got = 0;
        wcr_os_mutex_lock(l->mu);
        bool gone = l->io == NULL;
        if (!gone && got > 0 && wcr_os_stdio_write(l->io, buf, got, NULL) < 0)
            got = 0;
        if (!gone && got == 0) {
            wcr_os_stdio_close_in(l->io); /* our EOF is the process's */
            if (l->on_eof)
                l->on_eof(l->ud);
        }
        wcr_os_mutex_unlock(l->mu);
        if (gone || got == 0)
            break;
    }
    link_release(l);
}

wcr_attach *wcr_attach_start(wcr_os_stdio *io, bool in, bool out, bool err_stream,
                             wcr_attach_eof_fn on_eof, void *ud, wcr_err *err)
{
    wcr_attach *a = calloc(1, sizeof *a);
    if (!a) {
        wcr_err_set(err, WCR_E_NOMEM, "attach: out of memory");
        return NULL;
    }
    bool streams[2] = { out, err_stream };
    for (int i = 0; i < 2; i++) {
        if (!streams[i])
            continue;
        copier *c = &a->out[a->nout];
        *c = (copier){ io, i == 0 ? WCR_STDIO_OUT : WCR_STDIO_ERR, i == 0 ? WCR_OS_STDOUT : WCR_OS_STDERR, NULL };
        if (wcr_os_thread_start(&c->thread, copy_out, c, err) < 0) {
            wcr_attach_free(a);
            return NULL;
        }
        a->nout++;
    }
    if (in) {
        stdin_link *l = calloc(1, sizeof *l);
        if (!l || !(l->mu = wcr_os_mutex_new(err))) {
            free(l);
            wcr_attach_free(a);
            return NULL;
        }
        l->io = io;
        l->on_eof = on_eof;
        l->ud = ud;
        l->refs = 2;
        a->link = l;
        if (wcr_os_thread_start(&a->stdin_thread, copy_in, l, err) < 0) {
            l->refs = 1;
            wcr_attach_free(a);
            return NULL;
        }
    }
    return a;
}

void wcr_attach_wait(wcr_attach *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nout; i++) {
        wcr_os_thread_join(a->out[i].thread);
        a->out[i].thread = NULL;
    }
    a->nout = 0;
}

void wcr_attach_free(wcr_attach *a)
{
    if (!a)
        return;
    wcr_attach_wait(a);
    if (a->link) {
        wcr_os_mutex_lock(a->link->mu);
        a->link->io = NULL;
        wcr_os_mutex_unlock(a->link->mu);
        link_release(a->link);
        /* Not joined: it may be blocked on our stdin. */
        wcr_os_thread_detach(a->stdin_thread);
    }
    free(a);
}
