/* Test support: a small HTTP/2 + gRPC server (see h2_server.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hpack.h"
#include "core/str.h"
#include "h2_peer.h"
#include "h2_server.h"
#include "os/os.h"

enum { F_DATA, F_HEADERS, F_PRIORITY, F_RST, F_SETTINGS, F_PUSH, F_PING, F_GOAWAY, F_WINDOW, F_CONT };

typedef struct srv_stream {
    uint32_t id;
    char path[256];
    wcr_buf body;
    int64_t send_window;
    bool have_request, replying, done;
    wcr_buf out;          /* reply messages not yet sent */
    int status;
    char *message;
} srv_stream;

struct h2srv {
    char *path;
    wcr_os_listener *listener;
    wcr_os_thread *thread;
    wcr_os_mutex *mu;
    wcr_os_conn *conn;     /* the current connection */
    bool stopping;
    unsigned requests;
    srv_handler fn;
    void *ud;
};

/* One connection's state. */
typedef struct srv_conn {
    h2srv *srv;
    wcr_os_conn *conn;
    wcr_buf in, out;
    bool preface_seen;
    wcr_hpack_decoder hpack;
    srv_stream *streams[64];
    size_t nstreams;
    int64_t conn_window;
    uint32_t client_initial_window;
    uint32_t block_stream;
    bool block_end;
    bool closed;
} srv_conn;

static srv_stream *get_stream(srv_conn *c, uint32_t id, bool create)
{
    for (size_t i = 0; i < c->nstreams; i++)
        if (c->streams[i]->id == id)
            return c->streams[i];
    if (!create || c->nstreams == 64)
        return NULL;
    srv_stream *st = calloc(1, sizeof *st);
    st->id = id;
    st->send_window = c->client_initial_window;
    wcr_buf_init(&st->body, "srv body", WCR_BUF_NO_LIMIT);
    wcr_buf_init(&st->out, "srv out", WCR_BUF_NO_LIMIT);
    c->streams[c->nstreams++] = st;
    return st;
}

static void free_stream(srv_stream *st)
{
    wcr_buf_dispose(&st->body);
    wcr_buf_dispose(&st->out);
    free(st->message);
    free(st);
}

static int flush_out(srv_conn *c)
{
    if (c->out.len == 0)
        return 0;
    int rc = wcr_os_conn_write(c->conn, c->out.data, c->out.len, NULL);
    wcr_buf_reset(&c->out);
    return rc;
}

static int on_field(void *ud, const char *name, size_t nl, const char *value, size_t vl, wcr_err *err)
{
    (void)err;
    srv_conn *c = ud;
    srv_stream *st = get_stream(c, c->block_stream, true);
    if (st && nl == 5 && memcmp(name, ":path", 5) == 0 && vl < sizeof st->path) {
        memcpy(st->path, value, vl);
        st->path[vl] = '\0';
    }
    return 0;
}

static void start_reply(srv_conn *c, srv_stream *st)
{
    srv_reply r = { SRV_REPLY, WCR_BUF_INIT("reply", WCR_BUF_NO_LIMIT), 0, NULL };
    c->srv->fn(c->srv->ud, st->path, (const uint8_t *)st->body.data, st->body.len, &r);
    wcr_os_mutex_lock(c->srv->mu);
    c->srv->requests++;
    wcr_os_mutex_unlock(c->srv->mu);
    switch (r.action) {
    case SRV_REPLY: {
        static const char *const head[] = { ":status", "200", "content-type", "application/grpc", NULL };
        peer_put_headers(&c->out, st->id, false, head);
        wcr_buf_append(&st->out, r.messages.data, r.messages.len);
        st->status = r.status;
        st->message = r.message ? wcr_strdup(r.message) : NULL;
        st->replying = true;
        break;
    }
    case SRV_RESET:
        peer_put_rst(&c->out, st->id, 0x8);
        st->done = true;
        break;
    case SRV_GOAWAY:
        peer_put_goaway(&c->out, st->id - 2, 0, "test goaway");
        st->done = true;
        break;
    case SRV_HANG_UP:
        c->closed = true;
        break;
    case SRV_NO_ANSWER:
        st->done = true;
        break;
    }
    wcr_buf_dispose(&r.messages);
}

/* Send reply data as far as the client's windows allow; trailers last. */
static void pump_replies(srv_conn *c)
{
    for (size_t i = 0; i < c->nstreams; i++) {
        srv_stream *st = c->streams[i];
        if (!st->replying || st->done)
            continue;
        while (st->out.len > 0 && st->send_window > 0 && c->conn_window > 0) {
            size_t n = st->out.len;
            if (n > 16384)
                n = 16384;
            if ((int64_t)n > st->send_window)
                n = (size_t)st->send_window;
            if ((int64_t)n > c->conn_window)
                n = (size_t)c->conn_window;
            peer_put_frame(&c->out, F_DATA, 0, st->id, st->out.data, n);
            wcr_buf_consume(&st->out, n);
            st->send_window -= (int64_t)n;
            c->conn_window -= (int64_t)n;
        }
        if (st->out.len == 0 && !st->done) {
            char status[16];
            snprintf(status, sizeof status, "%d", st->status);
            const char *trail[] = { "grpc-status", status, st->message ? "grpc-message" : NULL,
                                    st->message, NULL };
            peer_put_headers(&c->out, st->id, true, trail);
            st->done = true;
        }
    }
    /* Forget finished streams; late frames for them are ignored. */
    size_t keep = 0;
    for (size_t i = 0; i < c->nstreams; i++) {
        if (c->streams[i]->done && c->streams[i]->have_request)
            free_stream(c->streams[i]);
        else
            c->streams[keep++] = c->streams[i];
    }
    c->nstreams = keep;
}

static void handle_frame(srv_conn *c, const peer_frame *f)
{
    switch (f->type) {
    case F_SETTINGS:
        if (f->flags & 1)
            break;
        for (uint32_t i = 0; i + 6 <= f->len; i += 6) {
            uint16_t id = (uint16_t)(f->payload[i] << 8 | f->payload[i + 1]);
            uint32_t v = peer_u32(f->payload + i + 2);
            if (id == 4) {
                for (size_t k = 0; k < c->nstreams; k++)
                    c->streams[k]->send_window += (int64_t)v - c->client_initial_window;
                c->client_initial_window = v;
            }
        }
        peer_put_frame(&c->out, F_SETTINGS, 1, 0, NULL, 0);
        break;
    case F_WINDOW: {
        uint32_t inc = peer_u32(f->payload) & 0x7fffffffu;
        if (f->stream == 0) {
            c->conn_window += inc;
        } else {
            srv_stream *st = get_stream(c, f->stream, false);
            if (st)
                st->send_window += inc;
        }
        break;
    }
    case F_HEADERS:
    case F_CONT: {
        const uint8_t *p = f->payload;
        size_t len = f->len;
        if (f->type == F_HEADERS) {
            c->block_stream = f->stream;
            c->block_end = (f->flags & 1) != 0;
            get_stream(c, f->stream, true);
            if (f->flags & 0x8) { /* padded */
                size_t pad = p[0];
                p++;
                len -= 1 + pad;
            }
            if (f->flags & 0x20) {
                p += 5;
                len -= 5;
            }
        }
        bool end_headers = (f->flags & 4) != 0;
        wcr_hpack_decode(&c->hpack, p, len, end_headers, on_field, c, NULL);
        if (end_headers && c->block_end) {
            srv_stream *st = get_stream(c, c->block_stream, false);
            if (st && !st->have_request) {
                st->have_request = true;
                start_reply(c, st);
            }
        }
        break;
    }
    case F_DATA: {
        srv_stream *st = get_stream(c, f->stream, false);
        if (f->len) {
            peer_put_window_update(&c->out, 0, f->len);
            if (st && !(f->flags & 1))
                peer_put_window_update(&c->out, f->stream, f->len);
        }
        if (!st)
            break;
        wcr_buf_append(&st->body, f->payload, f->len);
        if ((f->flags & 1) && !st->have_request) {
            st->have_request = true;
            start_reply(c, st);
        }
        break;
    }
    case F_RST: {
        srv_stream *st = get_stream(c, f->stream, false);
        if (st)
            st->done = true;
        break;
    }
    case F_PING:
        if (!(f->flags & 1))
            peer_put_frame(&c->out, F_PING, 1, 0, f->payload, 8);
        break;
    default:
        break;
    }
}

static void serve_conn(h2srv *srv, wcr_os_conn *conn)
{
    srv_conn c = { .srv = srv, .conn = conn, .conn_window = 65535, .client_initial_window = 65535 };
    wcr_buf_init(&c.in, "srv in", WCR_BUF_NO_LIMIT);
    wcr_buf_init(&c.out, "srv out", WCR_BUF_NO_LIMIT);
    wcr_hpack_decoder_init(&c.hpack, 4096, 1 << 20, NULL);
    peer_put_settings(&c.out, NULL, NULL, 0);
    uint8_t buf[65536];
    while (!c.closed) {
        pump_replies(&c);
        if (flush_out(&c) < 0)
            break;
        size_t got = 0;
        if (wcr_os_conn_read(conn, buf, sizeof buf, &got, NULL) < 0 || got == 0)
            break;
        wcr_buf_append(&c.in, buf, got);
        if (!c.preface_seen) {
            if (c.in.len < 24)
                continue;
            wcr_buf_consume(&c.in, 24);
            c.preface_seen = true;
        }
        peer_frame f;
        while (!c.closed && peer_get_frame(&c.in, 0, 0, &f)) {
            size_t used = 9 + f.len;
            handle_frame(&c, &f);
            wcr_buf_consume(&c.in, used);
        }
    }
    for (size_t i = 0; i < c.nstreams; i++)
        free_stream(c.streams[i]);
    wcr_hpack_decoder_dispose(&c.hpack);
    wcr_buf_dispose(&c.in);
    wcr_buf_dispose(&c.out);
}

static void server_main(void *arg)
{
    h2srv *srv = arg;
    for (;;) {
        wcr_os_conn *conn = wcr_os_accept(srv->listener, NULL);
        if (!conn)
            break;
        wcr_os_mutex_lock(srv->mu);
        bool stop = srv->stopping;
        if (!stop)
            srv->conn = conn;
        wcr_os_mutex_unlock(srv->mu);
        if (!stop)
            serve_conn(srv, conn);
        wcr_os_mutex_lock(srv->mu);
        srv->conn = NULL;
        wcr_os_mutex_unlock(srv->mu);
        wcr_os_conn_close(conn);
        if (stop)
            break;
    }
}

h2srv *h2srv_start(srv_handler fn, void *ud)
{
    static unsigned counter;
    h2srv *s = calloc(1, sizeof *s);
    s->fn = fn;
    s->ud = ud;
    unsigned long long tag = (unsigned long long)(wcr_os_monotonic_ns() % 1000000007ULL);
    wcr_err err = WCR_ERR_INIT;
    if (strcmp(wcr_os_name(), "windows") == 0) {
        s->path = wcr_asprintf("\\\\.\\pipe\\wcr-test-%llu-%u", tag, counter++);
    } else {
        char *tmp = wcr_os_temp_dir(&err);
        s->path = wcr_asprintf("%s/wcr-test-%llu-%u.sock", tmp ? tmp : "/tmp", tag, counter++);
        free(tmp);
    }
    s->mu = wcr_os_mutex_new(&err);
    s->listener = wcr_os_listen(s->path, &err);
    if (!s->listener || wcr_os_thread_start(&s->thread, server_main, s, &err) < 0) {
        char *msg = wcr_err_format(&err, true);
        printf("    h2srv: %s\n", msg);
        free(msg);
        wcr_err_dispose(&err);
        wcr_os_listener_close(s->listener);
        wcr_os_mutex_free(s->mu);
        free(s->path);
        free(s);
        return NULL;
    }
    return s;
}

const char *h2srv_path(const h2srv *s)
{
    return s->path;
}

unsigned h2srv_requests(h2srv *s)
{
    wcr_os_mutex_lock(s->mu);
    unsigned n = s->requests;
    wcr_os_mutex_unlock(s->mu);
    return n;
}

void h2srv_stop(h2srv *s)
{
    if (!s)
        return;
    wcr_os_mutex_lock(s->mu);
    s->stopping = true;
    if (s->conn)
        wcr_os_conn_shutdown(s->conn);
    wcr_os_mutex_unlock(s->mu);
    wcr_os_listener_shutdown(s->listener);
    wcr_os_thread_join(s->thread);
    wcr_os_listener_close(s->listener);
    wcr_os_mutex_free(s->mu);
    free(s->path);
    free(s);
}
