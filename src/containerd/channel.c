/* The gRPC channel: an HTTP/2 session over a local connection, a reader
 * and a writer thread, and calls that wait on a condition variable. One
 * mutex guards the session and every call's state. */
#include <stdlib.h>
#include <string.h>

#include "containerd/channel.h"
#include "core/h2.h"
#include "core/str.h"
#include "os/os.h"

#define READ_CHUNK 65536
/* A sender waits when this much of its data is queued. */
#define SEND_QUEUE_LIMIT ((size_t)1 << 20)
/* Messages received but not yet taken by the caller. */
#define RECV_QUEUE_LIMIT ((size_t)64 << 20)

typedef struct queued_msg {
    struct queued_msg *next;
    size_t len;
    uint8_t data[];
} queued_msg;

struct wcr_call {
    wcr_channel *ch;
    char *method;
    uint32_t stream;
    bool open;              /* the HTTP/2 stream exists */
    bool finished;          /* no more events will come */
    bool cancelled;
    bool send_closed;
    uint64_t deadline;      /* monotonic ns, 0: none */
    wcr_grpc_response resp;
    queued_msg *head, *tail;
    wcr_err failure;        /* why the call failed, once it has */
    struct wcr_call *next;  /* in the channel's list */
};

struct wcr_channel {
    char *peer;
    char *path;
    wcr_os_conn *conn;
    wcr_h2_session *session;
    wcr_os_mutex *mu;
    wcr_os_cond *changed;   /* anything happened: calls re-check */
    wcr_os_cond *to_write;  /* the writer has work */
    wcr_os_thread *reader, *writer;
    wcr_buf writing;        /* owned by the writer thread */
    bool closing;
    bool dead;              /* the connection is gone */
    wcr_err death;          /* why */
    wcr_call *calls;
};

/* ---- failing calls and the channel (mutex held) ------------------------ */

static wcr_call *find_call(wcr_channel *ch, uint32_t stream)
{
    for (wcr_call *c = ch->calls; c; c = c->next)
        if (c->open && c->stream == stream)
            return c;
    return NULL;
}

static void fail_call(wcr_call *c, const wcr_err *why)
{
    if (c->failure.code == WCR_E_OK)
        wcr_err_copy(&c->failure, why);
}

static void fail_call_text(wcr_call *c, wcr_err_code code, const char *msg)
{
    wcr_err e = WCR_ERR_INIT;
    wcr_err_set(&e, code, "%s", msg);
    fail_call(c, &e);
    wcr_err_dispose(&e);
}

/* The connection is lost: every call fails with the reason. */
static void channel_die(wcr_channel *ch, const wcr_err *why)
{
    if (!ch->dead) {
        ch->dead = true;
        wcr_err_copy(&ch->death, why);
    }
    for (wcr_call *c = ch->calls; c; c = c->next) {
        if (!c->finished) {
            fail_call(c, &ch->death);
            c->finished = true;
            c->open = false;
        }
    }
    wcr_os_cond_broadcast(ch->changed);
    wcr_os_cond_broadcast(ch->to_write);
}

static void wake_writer(wcr_channel *ch)
{
    if (wcr_h2_output(ch->session)->len)
        wcr_os_cond_broadcast(ch->to_write);
}

/* ---- HTTP/2 events (mutex held) ---------------------------------------- */

static int on_header(void *ud, uint32_t stream, const char *name, size_t nlen, const char *value,
                     size_t vlen, wcr_err *err)
{
    (void)err;
    wcr_call *c = find_call(ud, stream);
    if (!c || c->failure.code)
        return 0;
    wcr_err e = WCR_ERR_INIT;
    if (wcr_grpc_response_header(&c->resp, name, nlen, value, vlen, &e) < 0)
        fail_call(c, &e);
    wcr_err_dispose(&e);
    return 0;
}

static int on_headers_done(void *ud, uint32_t stream, bool end_stream, wcr_err *err)
{
    (void)err;
    wcr_call *c = find_call(ud, stream);
    if (!c)
        return 0;
    wcr_err e = WCR_ERR_INIT;
    if (!c->failure.code && wcr_grpc_response_headers_done(&c->resp, end_stream, &e) < 0)
        fail_call(c, &e);
    wcr_err_dispose(&e);
    wcr_os_cond_broadcast(((wcr_channel *)ud)->changed);
    return 0;
}

static int queue_message(void *ud, const uint8_t *msg, size_t len, wcr_err *err)
{
    wcr_call *c = ud;
    queued_msg *q = malloc(sizeof *q + len);
    if (!q)
        return wcr_err_set(err, WCR_E_NOMEM, "gRPC: out of memory for a %zu-byte message", len);
    q->next = NULL;
    q->len = len;
    if (len)
        memcpy(q->data, msg, len);
    if (c->tail)
        c->tail->next = q;
    else
        c->head = q;
    c->tail = q;
    return 0;
}

static int on_data(void *ud, uint32_t stream, const uint8_t *data, size_t len, bool end_stream,
                   wcr_err *err)
{
    (void)err;
    wcr_channel *ch = ud;
    wcr_call *c = find_call(ch, stream);
    if (!c)
        return 0;
    if (!c->failure.code) {
        wcr_err e = WCR_ERR_INIT;
        if (wcr_grpc_response_data(&c->resp, data, len, queue_message, c, &e) < 0)
            fail_call(c, &e);
        wcr_err_dispose(&e);
    }
    if (end_stream)
        c->resp.ended = true;
    wcr_os_cond_broadcast(ch->changed);
    return 0;
}

static void on_stream_close(void *ud, uint32_t stream, uint32_t code, bool by_peer)
{
    wcr_channel *ch = ud;
    wcr_call *c = find_call(ch, stream);
    if (!c)
        return;
    c->open = false;
    c->finished = true;
    if (code == WCR_H2_REFUSED_STREAM && by_peer) {
        char *m = wcr_asprintf("%s did not take the call (it is shutting down?)", ch->peer);
        fail_call_text(c, WCR_E_UNAVAILABLE, m ? m : "the call was refused");
        free(m);
    } else if (code != WCR_H2_NO_ERROR && !c->resp.have_status) {
        char *m = wcr_asprintf("%s reset the call (%s)", by_peer ? ch->peer : "wcr", wcr_h2_error_name(code));
        fail_call_text(c, c->cancelled ? WCR_E_CANCELLED : WCR_E_REMOTE, m ? m : "the call was reset");
        free(m);
    }
    wcr_os_cond_broadcast(ch->changed);
}

static void on_goaway(void *ud, uint32_t last, uint32_t code, const char *debug, size_t len)
{
    (void)ud, (void)last, (void)code, (void)debug, (void)len;
    /* Streams above `last` are closed by the session with REFUSED_STREAM;
     * the others finish normally. New calls are refused (can_open). */
}

static void on_writable(void *ud)
{
    wcr_os_cond_broadcast(((wcr_channel *)ud)->changed);
}

/* ---- the reader and writer threads ------------------------------------- */

static void reader_main(void *arg)
{
    wcr_channel *ch = arg;
    uint8_t *buf = malloc(READ_CHUNK);
    wcr_err err = WCR_ERR_INIT;
    for (;;) {
        size_t got = 0;
        int rc = buf ? wcr_os_conn_read(ch->conn, buf, READ_CHUNK, &got, &err)
                     : wcr_err_set(&err, WCR_E_NOMEM, "read: out of memory");
        wcr_os_mutex_lock(ch->mu);
        if (rc == 0 && got == 0 && !ch->closing)
            wcr_err_set(&err, WCR_E_UNAVAILABLE, "%s closed the connection (did it stop?)", ch->peer);
        else if (rc == 0 && got > 0 && !ch->closing) {
            rc = wcr_h2_recv(ch->session, buf, got, &err);
            wake_writer(ch);
            if (rc == 0) {
                wcr_os_cond_broadcast(ch->changed);
                wcr_os_mutex_unlock(ch->mu);
                continue;
            }
            wcr_err_wrap(&err, "connection to %s", ch->peer);
        } else if (rc < 0) {
            wcr_err_wrap(&err, "connection to %s", ch->peer);
        }
        if (ch->closing && err.code == WCR_E_OK)
            wcr_err_set(&err, WCR_E_CANCELLED, "the connection was closed");
        channel_die(ch, &err);
        wcr_os_mutex_unlock(ch->mu);
        break;
    }
    wcr_err_dispose(&err);
    free(buf);
}

static void writer_main(void *arg)
{
    wcr_channel *ch = arg;
    wcr_os_mutex_lock(ch->mu);
    for (;;) {
        wcr_buf *out = wcr_h2_output(ch->session);
        if (out->len == 0) {
            if (ch->closing || ch->dead)
                break;
            wcr_os_cond_wait(ch->to_write, ch->mu, 0);
            continue;
        }
        /* Take the bytes and write them without holding the lock. */
        wcr_buf taken = *out;
        *out = ch->writing;
        wcr_buf_reset(out);
        ch->writing = taken;
        wcr_os_mutex_unlock(ch->mu);
        wcr_err err = WCR_ERR_INIT;
        int rc = wcr_os_conn_write(ch->conn, ch->writing.data, ch->writing.len, &err);
        wcr_os_mutex_lock(ch->mu);
        wcr_buf_reset(&ch->writing);
        if (rc == 0)
            wcr_h2_flush(ch->session); /* queued body bytes the output had no room for */
        if (rc < 0) {
            if (!ch->closing) {
                /* A write can be first to see the peer gone: say it as the
                 * reader would. */
                if (err.code == WCR_E_UNAVAILABLE) {
                    wcr_err_dispose(&err);
                    wcr_err_set(&err, WCR_E_UNAVAILABLE, "%s closed the connection (did it stop?)", ch->peer);
                } else {
                    wcr_err_wrap(&err, "connection to %s", ch->peer);
                }
                channel_die(ch, &err);
            }
            wcr_err_dispose(&err);
            break;
        }
        wcr_os_cond_broadcast(ch->changed);
    }
    wcr_os_mutex_unlock(ch->mu);
}

/* ---- the channel -------------------------------------------------------- */

wcr_channel *wcr_channel_open(const char *path, const char *peer, unsigned connect_timeout_ms,
                              wcr_err *err)
{
    wcr_channel *ch = calloc(1, sizeof *ch);
    if (!ch) {
        wcr_err_set(err, WCR_E_NOMEM, "connect: out of memory");
        return NULL;
    }
    ch->peer = wcr_strdup(peer ? peer : "the server");
    ch->path = wcr_strdup(path);
    wcr_buf_init(&ch->writing, "HTTP/2 output", WCR_BUF_NO_LIMIT);
    if (!ch->peer || !ch->path) {
        wcr_err_set(err, WCR_E_NOMEM, "connect: out of memory");
        goto fail;
    }
    ch->conn = wcr_os_conn_open(path, connect_timeout_ms, err);
    if (!ch->conn)
        goto fail;
    wcr_h2_callbacks cb = {
        .ud = ch,
        .on_header = on_header,
        .on_headers_done = on_headers_done,
        .on_data = on_data,
        .on_stream_close = on_stream_close,
        .on_goaway = on_goaway,
        .on_writable = on_writable,
    };
    /* Containerd's messages are small but content reads stream: big windows. */
    wcr_h2_config cfg = { .initial_window = 4u << 20, .connection_window = 32u << 20 };
    ch->session = wcr_h2_session_new(&cb, &cfg, err);
    if (!ch->session || !(ch->mu = wcr_os_mutex_new(err)) || !(ch->changed = wcr_os_cond_new(err)) ||
        !(ch->to_write = wcr_os_cond_new(err)))
        goto fail;
    if (wcr_os_thread_start(&ch->writer, writer_main, ch, err) < 0)
        goto fail;
    if (wcr_os_thread_start(&ch->reader, reader_main, ch, err) < 0)
        goto fail;
    return ch;
fail:
    wcr_channel_close(ch);
    return NULL;
}

void wcr_channel_close(wcr_channel *ch)
{
    if (!ch)
        return;
    if (ch->mu) {
        wcr_os_mutex_lock(ch->mu);
        ch->closing = true;
        if (ch->session && !ch->dead)
            wcr_h2_goaway(ch->session, WCR_H2_NO_ERROR, NULL);
        wcr_os_cond_broadcast(ch->to_write);
        wcr_os_mutex_unlock(ch->mu);
    }
    /* The writer sends the GOAWAY, then the reader is woken by shutdown. */
    wcr_os_thread_join(ch->writer);
    wcr_os_conn_shutdown(ch->conn);
    wcr_os_thread_join(ch->reader);
    wcr_os_conn_close(ch->conn);
    wcr_h2_session_free(ch->session);
    wcr_os_cond_free(ch->to_write);
    wcr_os_cond_free(ch->changed);
    wcr_os_mutex_free(ch->mu);
    wcr_buf_dispose(&ch->writing);
    wcr_err_dispose(&ch->death);
    free(ch->peer);
    free(ch->path);
    free(ch);
}

void wcr_channel_cancel_all(wcr_channel *ch)
{
    if (!ch)
        return;
    wcr_os_mutex_lock(ch->mu);
    for (wcr_call *c = ch->calls; c; c = c->next) {
        c->cancelled = true;
        if (c->open)
            wcr_h2_reset_stream(ch->session, c->stream, WCR_H2_CANCEL);
    }
    wake_writer(ch);
    wcr_os_cond_broadcast(ch->changed);
    wcr_os_mutex_unlock(ch->mu);
}

/* ---- calls -------------------------------------------------------------- */

wcr_call *wcr_call_start(wcr_channel *ch, const char *method, const wcr_call_options *opts,
                         wcr_err *err)
{
    static const wcr_call_options defaults = { 0 };
    if (!opts)
        opts = &defaults;
    wcr_call *c = calloc(1, sizeof *c);
    if (!c || !(c->method = wcr_strdup(method))) {
        free(c);
        wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", method);
        return NULL;
    }
    c->ch = ch;
    wcr_grpc_response_init(&c->resp, opts->max_message);
    if (opts->timeout_ns)
        c->deadline = wcr_os_monotonic_ns() + opts->timeout_ns;

    wcr_h2_header headers[WCR_GRPC_MAX_HEADERS + 8];
    wcr_grpc_header_storage storage;
    int n = wcr_grpc_request_headers(headers, sizeof headers / sizeof headers[0], method, "localhost",
                                     opts->timeout_ns, opts->md, opts->nmd, &storage, err);
    if (n < 0) {
        wcr_call_free(c);
        return NULL;
    }
    wcr_os_mutex_lock(ch->mu);
    int rc = 0;
    for (;;) {
        if (ch->dead) {
            wcr_err_copy(err, &ch->death);
            rc = -1;
            break;
        }
        wcr_err e = WCR_ERR_INIT;
        if (wcr_h2_open_stream(ch->session, headers, (size_t)n, false, &c->stream, &e) == 0) {
            wcr_err_dispose(&e);
            break;
        }
        if (e.code != WCR_E_LIMIT) { /* not just "too many streams": give up */
            wcr_err_move(err, &e);
            wcr_err_wrap(err, "%s", method);
            rc = -1;
            break;
        }
        wcr_err_dispose(&e);
        if (!wcr_os_cond_wait(ch->changed, ch->mu, c->deadline)) {
            wcr_err_set(err, WCR_E_TIMEOUT, "%s: deadline exceeded waiting for a free stream", method);
            rc = -1;
            break;
        }
    }
    if (rc == 0) {
        c->open = true;
        c->next = ch->calls;
        ch->calls = c;
        wake_writer(ch);
    }
    wcr_os_mutex_unlock(ch->mu);
    if (rc < 0) {
        wcr_grpc_response_dispose(&c->resp);
        free(c->method);
        free(c);
        return NULL;
    }
    return c;
}

/* Why a call cannot go on (mutex held): cancelled, failed, or past its
 * deadline (then the stream is reset). Returns -1 with err set, or 0. */
static int call_check(wcr_call *c, wcr_err *err)
{
    wcr_channel *ch = c->ch;
    if (c->cancelled)
        return wcr_err_set(err, WCR_E_CANCELLED, "%s: cancelled", c->method);
    if (c->failure.code) {
        wcr_err_copy(err, &c->failure);
        return -1;
    }
    if (c->deadline && wcr_os_monotonic_ns() >= c->deadline) {
        if (c->open)
            wcr_h2_reset_stream(ch->session, c->stream, WCR_H2_CANCEL);
        wake_writer(ch);
        return wcr_err_set(err, WCR_E_TIMEOUT, "%s: no answer from %s in time (deadline exceeded)",
                           c->method, ch->peer);
    }
    return 0;
}

int wcr_call_send(wcr_call *c, const void *msg, size_t len, bool last, wcr_err *err)
{
    wcr_channel *ch = c->ch;
    /* The length prefix alone; the message goes to the stream as it is. */
    wcr_buf framed = WCR_BUF_INIT("gRPC request", UINT32_MAX);
    if (wcr_grpc_frame(&framed, NULL, 0, err) < 0) {
        wcr_buf_dispose(&framed);
        return -1;
    }
    if (len > UINT32_MAX) {
        wcr_buf_dispose(&framed);
        return wcr_err_set(err, WCR_E_LIMIT, "%s: message of %zu bytes is too large", c->method, len);
    }
    uint8_t *prefix = (uint8_t *)framed.data;
    prefix[1] = (uint8_t)(len >> 24);
    prefix[2] = (uint8_t)(len >> 16);
    prefix[3] = (uint8_t)(len >> 8);
    prefix[4] = (uint8_t)len;
    wcr_os_mutex_lock(ch->mu);
    int rc = 0;
    for (;;) {
        if ((rc = call_check(c, err)) < 0)
            break;
        if (c->send_closed || !c->open) {
            /* The server ended the call before the request did: its status says why. */
            if (c->finished && wcr_grpc_response_finish(&c->resp, ch->peer, err) < 0)
                rc = -1;
            else
                rc = wcr_err_set(err, WCR_E_PROTO, "%s: the call is no longer open for sending", c->method);
            break;
        }
        if (wcr_h2_pending(ch->session, c->stream) < SEND_QUEUE_LIMIT) {
            rc = wcr_h2_send_data(ch->session, c->stream, framed.data, framed.len, last && len == 0, err);
            if (rc == 0 && len)
                rc = wcr_h2_send_data(ch->session, c->stream, msg, len, last, err);
            if (last)
                c->send_closed = true;
            wake_writer(ch);
            break;
        }
        wcr_os_cond_wait(ch->changed, ch->mu, c->deadline);
    }
    wcr_os_mutex_unlock(ch->mu);
    wcr_buf_dispose(&framed);
    return rc;
}

int wcr_call_close_send(wcr_call *c, wcr_err *err)
{
    wcr_channel *ch = c->ch;
    wcr_os_mutex_lock(ch->mu);
    int rc = 0;
    if (!c->send_closed && c->open) {
        rc = wcr_h2_send_data(ch->session, c->stream, NULL, 0, true, err);
        c->send_closed = true;
        wake_writer(ch);
    }
    wcr_os_mutex_unlock(ch->mu);
    return rc;
}

static size_t queued_bytes(const wcr_call *c)
{
    size_t n = 0;
    for (const queued_msg *q = c->head; q; q = q->next)
        n += q->len;
    return n;
}

int wcr_call_recv(wcr_call *c, wcr_buf *msg, wcr_err *err)
{
    wcr_channel *ch = c->ch;
    wcr_os_mutex_lock(ch->mu);
    int rc;
    for (;;) {
        if (c->head) {
            queued_msg *q = c->head;
            c->head = q->next;
            if (!c->head)
                c->tail = NULL;
            if (c->open)
                wcr_h2_consume(ch->session, c->stream, q->len + 5);
            wake_writer(ch);
            wcr_buf_reset(msg);
            rc = wcr_buf_append(msg, q->data, q->len) < 0 ? wcr_buf_check(msg, err) : 1;
            free(q);
            break;
        }
        if ((rc = call_check(c, err)) < 0)
            break;
        if (c->resp.ended || c->finished) {
            rc = wcr_grpc_response_finish(&c->resp, ch->peer, err) < 0 ? -1 : 0;
            break;
        }
        if (queued_bytes(c) > RECV_QUEUE_LIMIT) {
            rc = wcr_err_set(err, WCR_E_LIMIT, "%s: too much unread data", c->method);
            break;
        }
        if (!wcr_os_cond_wait(ch->changed, ch->mu, c->deadline) && (rc = call_check(c, err)) < 0)
            break;
    }
    wcr_os_mutex_unlock(ch->mu);
    return rc;
}

void wcr_call_cancel(wcr_call *c)
{
    if (!c)
        return;
    wcr_channel *ch = c->ch;
    wcr_os_mutex_lock(ch->mu);
    c->cancelled = true;
    if (c->open)
        wcr_h2_reset_stream(ch->session, c->stream, WCR_H2_CANCEL);
    wake_writer(ch);
    wcr_os_cond_broadcast(ch->changed);
    wcr_os_mutex_unlock(ch->mu);
}

void wcr_call_free(wcr_call *c)
{
    if (!c)
        return;
    wcr_channel *ch = c->ch;
    wcr_os_mutex_lock(ch->mu);
    if (c->open)
        wcr_h2_reset_stream(ch->session, c->stream, WCR_H2_CANCEL);
    c->open = false;
    for (wcr_call **p = &ch->calls; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    wake_writer(ch);
    wcr_os_mutex_unlock(ch->mu);
    while (c->head) {
        queued_msg *q = c->head;
        c->head = q->next;
        free(q);
    }
    wcr_grpc_response_dispose(&c->resp);
    wcr_err_dispose(&c->failure);
    free(c->method);
    free(c);
}

int wcr_channel_unary(wcr_channel *ch, const char *method, const void *req, size_t req_len,
                      wcr_buf *resp, const wcr_call_options *opts, wcr_err *err)
{
    wcr_call *c = wcr_call_start(ch, method, opts, err);
    if (!c)
        return -1;
    int rc = wcr_call_send(c, req, req_len, true, err);
    if (rc == 0) {
        rc = wcr_call_recv(c, resp, err);
        if (rc == 1) {
            /* Exactly one message, then the status. */
            wcr_buf extra = WCR_BUF_INIT("gRPC message", WCR_BUF_NO_LIMIT);
            int more = wcr_call_recv(c, &extra, err);
            wcr_buf_dispose(&extra);
            rc = more == 0 ? 0 : more > 0 ? wcr_err_set(err, WCR_E_PROTO, "%s: more than one response to a unary call", method) : -1;
        } else if (rc == 0) {
            rc = wcr_err_set(err, WCR_E_PROTO, "%s: no response message", method);
        }
    }
    wcr_call_free(c);
    return rc;
}
