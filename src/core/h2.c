/* HTTP/2 client session (RFC 9113): frame parser, stream states, flow
 * control. No I/O: see h2.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/h2.h"
#include "core/hpack.h"
#include "core/str.h"

enum {
    FRAME_DATA = 0x0,
    FRAME_HEADERS = 0x1,
    FRAME_PRIORITY = 0x2,
    FRAME_RST_STREAM = 0x3,
    FRAME_SETTINGS = 0x4,
    FRAME_PUSH_PROMISE = 0x5,
    FRAME_PING = 0x6,
    FRAME_GOAWAY = 0x7,
    FRAME_WINDOW_UPDATE = 0x8,
    FRAME_CONTINUATION = 0x9,
};

enum {
    FLAG_END_STREAM = 0x1,
    FLAG_ACK = 0x1,
    FLAG_END_HEADERS = 0x4,
    FLAG_PADDED = 0x8,
    FLAG_PRIORITY = 0x20,
};

enum {
    SETTINGS_HEADER_TABLE_SIZE = 0x1,
    SETTINGS_ENABLE_PUSH = 0x2,
    SETTINGS_MAX_CONCURRENT_STREAMS = 0x3,
    SETTINGS_INITIAL_WINDOW_SIZE = 0x4,
    SETTINGS_MAX_FRAME_SIZE = 0x5,
    SETTINGS_MAX_HEADER_LIST_SIZE = 0x6,
};

#define FRAME_HEADER_LEN 9
#define DEFAULT_WINDOW 65535
#define MAX_WINDOW 0x7fffffffL
#define MIN_FRAME_SIZE 16384
#define MAX_FRAME_SIZE_LIMIT 0xffffff
#define OUTPUT_LIMIT ((size_t)256 << 20)
/* Queued body bytes move into the output only while it holds less than
 * this: what the transport has not written yet stays small. */
#define OUTPUT_HIGH_WATER ((size_t)256 << 10)

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/* A stream is open until both sides have ended it (or a reset). */
typedef struct h2_stream {
    uint32_t id;
    bool local_closed;     /* we sent END_STREAM */
    bool remote_closed;    /* the peer sent END_STREAM */
    int64_t send_window;   /* may go below zero after a SETTINGS change */
    int64_t recv_window;   /* what the peer may still send */
    uint32_t recv_credit;  /* consumed but not yet returned in WINDOW_UPDATE */
    size_t unconsumed;     /* delivered, not yet consumed */
    wcr_buf pending;       /* body bytes waiting for window, from sent_off on */
    size_t sent_off;       /* bytes of pending already sent (no memmove per frame) */
    bool end_pending;      /* END_STREAM goes out after pending */
} h2_stream;

typedef enum in_state {
    IN_FRAME_HEADER,
    IN_FRAME_PAYLOAD,
    IN_DEAD,
} in_state;

struct wcr_h2_session {
    wcr_h2_callbacks cb;
    wcr_h2_config cfg;
    wcr_buf out;

    /* Input: the frame being read. */
    in_state in;
    uint8_t head[FRAME_HEADER_LEN];
    size_t head_len;
    wcr_buf payload;
    uint32_t f_len, f_stream;
    uint8_t f_type, f_flags;
    bool got_settings;      /* the server preface (SETTINGS) arrived */

    /* A header block spread over CONTINUATION frames. */
    bool in_block;
    uint32_t block_stream;
    bool block_end_stream;
    bool block_ignored;     /* for a stream we already closed */
    wcr_hpack_decoder hpack;

    /* The peer's settings. */
    uint32_t peer_max_frame;
    uint32_t peer_initial_window;
    uint32_t peer_max_streams;

    int64_t conn_send_window;
    int64_t conn_recv_window;
    uint32_t conn_recv_credit;

    uint32_t next_stream_id;
    uint32_t highest_opened;
    h2_stream **streams;
    size_t nstreams, cap_streams;
    size_t rr_next;         /* round robin over streams with pending data */

    bool goaway_sent, goaway_recv;
    uint32_t goaway_last;
};

const char *wcr_h2_error_name(uint32_t code)
{
    static const char *const names[] = {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM",
        "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };
    return code < sizeof names / sizeof names[0] ? names[code] : "unknown";
}

/* ---- output ----------------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void write_frame(wcr_h2_session *s, uint8_t type, uint8_t flags, uint32_t stream,
                        const void *payload, size_t len)
{
    uint8_t h[FRAME_HEADER_LEN];
    h[0] = (uint8_t)(len >> 16);
    h[1] = (uint8_t)(len >> 8);
    h[2] = (uint8_t)len;
    h[3] = type;
    h[4] = flags;
    put_u32(h + 5, stream & 0x7fffffffu);
    wcr_buf_append(&s->out, h, sizeof h);
    if (len)
        wcr_buf_append(&s->out, payload, len);
}

static void write_window_update(wcr_h2_session *s, uint32_t stream, uint32_t increment)
{
    uint8_t p[4];
    put_u32(p, increment & 0x7fffffffu);
    write_frame(s, FRAME_WINDOW_UPDATE, 0, stream, p, 4);
}

static void write_rst(wcr_h2_session *s, uint32_t stream, uint32_t code)
{
    uint8_t p[4];
    put_u32(p, code);
    write_frame(s, FRAME_RST_STREAM, 0, stream, p, 4);
}

static void write_goaway(wcr_h2_session *s, uint32_t code, const char *debug)
{
    if (s->goaway_sent)
        return;
    size_t dlen = debug ? strlen(debug) : 0;
    if (dlen > 256)
        dlen = 256;
    uint8_t p[8 + 256];
    put_u32(p, 0); /* we accept no streams from the peer */
    put_u32(p + 4, code);
    if (dlen)
        memcpy(p + 8, debug, dlen);
    write_frame(s, FRAME_GOAWAY, 0, 0, p, 8 + dlen);
    s->goaway_sent = true;
}

static void give_back_conn(wcr_h2_session *s, size_t n);

/* ---- streams ---------------------------------------------------------- */

static h2_stream *find_stream(const wcr_h2_session *s, uint32_t id)
{
    for (size_t i = 0; i < s->nstreams; i++)
        if (s->streams[i]->id == id)
            return s->streams[i];
    return NULL;
}

static void remove_stream(wcr_h2_session *s, h2_stream *st, uint32_t code, bool by_peer)
{
    for (size_t i = 0; i < s->nstreams; i++) {
        if (s->streams[i] != st)
            continue;
        memmove(&s->streams[i], &s->streams[i + 1], (s->nstreams - i - 1) * sizeof s->streams[0]);
        s->nstreams--;
        break;
    }
    uint32_t id = st->id;
    /* Data the application will never consume must not shrink the
     * connection's window for good. */
    if (st->unconsumed && s->in != IN_DEAD)
        give_back_conn(s, st->unconsumed);
    wcr_buf_dispose(&st->pending);
    free(st);
    if (s->cb.on_stream_close)
        s->cb.on_stream_close(s->cb.ud, id, code, by_peer);
}

/* One side ended the stream; when both have, it is closed. */
static void end_side(wcr_h2_session *s, h2_stream *st, bool remote)
{
    if (remote)
        st->remote_closed = true;
    else
        st->local_closed = true;
    if (st->remote_closed && st->local_closed)
        remove_stream(s, st, WCR_H2_NO_ERROR, false);
}

static void reset_stream(wcr_h2_session *s, h2_stream *st, uint32_t code)
{
    write_rst(s, st->id, code);
    remove_stream(s, st, code, false);
}

/* ---- sending data ----------------------------------------------------- */

/* Move queued body bytes into DATA frames as far as the windows allow. */
static void flush_pending(wcr_h2_session *s)
{
    bool progress = true;
    while (progress && s->nstreams && s->out.len < OUTPUT_HIGH_WATER) {
        progress = false;
        for (size_t k = 0; k < s->nstreams; k++) {
            size_t idx = (s->rr_next + k) % s->nstreams;
            h2_stream *st = s->streams[idx];
            if (st->local_closed)
                continue;
            size_t avail = st->pending.len - st->sent_off;
            if (avail == 0 && !st->end_pending)
                continue;
            size_t n = avail;
            if (n > s->peer_max_frame)
                n = s->peer_max_frame;
            if ((int64_t)n > st->send_window)
                n = st->send_window > 0 ? (size_t)st->send_window : 0;
            if ((int64_t)n > s->conn_send_window)
                n = s->conn_send_window > 0 ? (size_t)s->conn_send_window : 0;
            if (n == 0 && avail > 0)
                continue; /* blocked by a window */
            bool end = st->end_pending && n == avail;
            write_frame(s, FRAME_DATA, end ? FLAG_END_STREAM : 0, st->id,
                        st->pending.data ? st->pending.data + st->sent_off : NULL, n);
            st->sent_off += n;
            if (st->sent_off == st->pending.len) {
                wcr_buf_reset(&st->pending);
                st->sent_off = 0;
            }
            st->send_window -= (int64_t)n;
            s->conn_send_window -= (int64_t)n;
            progress = true;
            s->rr_next = idx + 1;
            if (end) {
                st->end_pending = false;
                end_side(s, st, false);
                break; /* the stream array may have changed */
            }
        }
    }
}

/* ---- connection errors ------------------------------------------------ */

static int conn_error(wcr_h2_session *s, uint32_t code, wcr_err *err, const char *fmt, ...)
    WCR_PRINTF(4, 5);

static int conn_error(wcr_h2_session *s, uint32_t code, wcr_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = wcr_vasprintf(fmt, ap);
    va_end(ap);
    write_goaway(s, code, msg);
    s->in = IN_DEAD;
    wcr_err_set(err, WCR_E_PROTO, "HTTP/2: %s (%s)", msg ? msg : "connection error", wcr_h2_error_name(code));
    free(msg);
    return -1;
}

/* ---- frames received -------------------------------------------------- */

/* A frame for stream id that is not open: was it ours and closed (true),
 * or never opened (false, a protocol error)? */
static bool was_opened(const wcr_h2_session *s, uint32_t id)
{
    return (id & 1) && id <= s->highest_opened;
}

static void give_back_conn(wcr_h2_session *s, size_t n)
{
    s->conn_recv_credit += (uint32_t)n;
    if (s->conn_recv_credit >= s->cfg.connection_window / 2) {
        write_window_update(s, 0, s->conn_recv_credit);
        s->conn_recv_window += s->conn_recv_credit;
        s->conn_recv_credit = 0;
    }
}

static int strip_padding(wcr_h2_session *s, const uint8_t **p, size_t *len, wcr_err *err)
{
    if (!(s->f_flags & FLAG_PADDED))
        return 0;
    if (*len < 1)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "padded frame without a pad length");
    size_t pad = (*p)[0];
    if (pad >= *len)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "padding (%zu) longer than the frame", pad);
    *p += 1;
    *len -= 1 + pad;
    return 0;
}

static int on_data_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    uint32_t id = s->f_stream;
    if (id == 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "DATA on stream 0");
    size_t frame_len = len;
    if ((int64_t)frame_len > s->conn_recv_window)
        return conn_error(s, WCR_H2_FLOW_CONTROL_ERROR, err,
                          "peer sent %zu bytes with a connection window of %lld", frame_len,
                          (long long)s->conn_recv_window);
    s->conn_recv_window -= (int64_t)frame_len;
    if (strip_padding(s, &p, &len, err) < 0)
        return -1;
    h2_stream *st = find_stream(s, id);
    if (!st) {
        if (!was_opened(s, id))
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "DATA on idle stream %u", (unsigned)id);
        give_back_conn(s, frame_len); /* a stream we reset: drop it */
        return 0;
    }
    if (st->remote_closed) {
        give_back_conn(s, frame_len);
        reset_stream(s, st, WCR_H2_STREAM_CLOSED);
        return 0;
    }
    if ((int64_t)frame_len > st->recv_window) {
        give_back_conn(s, frame_len);
        reset_stream(s, st, WCR_H2_FLOW_CONTROL_ERROR);
        return 0;
    }
    st->recv_window -= (int64_t)frame_len;
    /* Padding counts against the windows but nobody consumes it. */
    st->unconsumed += frame_len;
    size_t padding = frame_len - len;
    if (padding)
        wcr_h2_consume(s, id, padding);
    bool end = (s->f_flags & FLAG_END_STREAM) != 0;
    if (s->cb.on_data && (len || end) && s->cb.on_data(s->cb.ud, id, p, len, end, err) < 0)
        return conn_error(s, WCR_H2_INTERNAL_ERROR, err, "stream %u: data handler failed", (unsigned)id);
    if (end && (st = find_stream(s, id)) != NULL)
        end_side(s, st, true);
    return 0;
}

static int emit_header(void *ud, const char *name, size_t name_len, const char *value,
                       size_t value_len, wcr_err *err)
{
    wcr_h2_session *s = ud;
    if (s->block_ignored || !s->cb.on_header)
        return 0;
    return s->cb.on_header(s->cb.ud, s->block_stream, name, name_len, value, value_len, err);
}

/* A fragment of a header block (HEADERS or CONTINUATION payload). */
static int header_fragment(wcr_h2_session *s, const uint8_t *p, size_t len, bool end_headers,
                           wcr_err *err)
{
    wcr_err herr = WCR_ERR_INIT;
    if (wcr_hpack_decode(&s->hpack, p, len, end_headers, emit_header, s, &herr) < 0) {
        bool compression = herr.code == WCR_E_PROTO || herr.code == WCR_E_LIMIT;
        int rc = conn_error(s, compression ? WCR_H2_COMPRESSION_ERROR : WCR_H2_INTERNAL_ERROR, err,
                            "stream %u: header block: %s", (unsigned)s->block_stream,
                            herr.msg ? herr.msg : "decoding failed");
        if (err && herr.code == WCR_E_LIMIT)
            err->code = WCR_E_LIMIT;
        wcr_err_dispose(&herr);
        return rc;
    }
    if (!end_headers)
        return 0;
    s->in_block = false;
    if (s->block_ignored)
        return 0;
    uint32_t id = s->block_stream;
    if (s->cb.on_headers_done && s->cb.on_headers_done(s->cb.ud, id, s->block_end_stream, err) < 0)
        return conn_error(s, WCR_H2_INTERNAL_ERROR, err, "stream %u: header handler failed", (unsigned)id);
    h2_stream *st;
    if (s->block_end_stream && (st = find_stream(s, id)) != NULL)
        end_side(s, st, true);
    return 0;
}

static int on_headers_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    uint32_t id = s->f_stream;
    if (id == 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "HEADERS on stream 0");
    if (strip_padding(s, &p, &len, err) < 0)
        return -1;
    if (s->f_flags & FLAG_PRIORITY) {
        if (len < 5)
            return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "HEADERS too short for its priority");
        p += 5;
        len -= 5;
    }
    h2_stream *st = find_stream(s, id);
    if (!st && !was_opened(s, id))
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "HEADERS on stream %u, which we never opened",
                          (unsigned)id);
    s->in_block = true;
    s->block_stream = id;
    s->block_end_stream = (s->f_flags & FLAG_END_STREAM) != 0;
    /* A closed stream's block is still decoded: the HPACK table must stay in step. */
    s->block_ignored = st == NULL || st->remote_closed;
    if (st && st->remote_closed)
        reset_stream(s, st, WCR_H2_STREAM_CLOSED);
    return header_fragment(s, p, len, (s->f_flags & FLAG_END_HEADERS) != 0, err);
}

static int apply_setting(wcr_h2_session *s, uint16_t id, uint32_t v, wcr_err *err)
{
    switch (id) {
    case SETTINGS_ENABLE_PUSH:
        if (v > 1)
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "SETTINGS_ENABLE_PUSH = %u", (unsigned)v);
        return 0;
    case SETTINGS_MAX_CONCURRENT_STREAMS:
        s->peer_max_streams = v;
        return 0;
    case SETTINGS_INITIAL_WINDOW_SIZE: {
        if (v > MAX_WINDOW)
            return conn_error(s, WCR_H2_FLOW_CONTROL_ERROR, err, "SETTINGS_INITIAL_WINDOW_SIZE = %u",
                              (unsigned)v);
        int64_t delta = (int64_t)v - (int64_t)s->peer_initial_window;
        for (size_t i = 0; i < s->nstreams; i++) {
            if (s->streams[i]->send_window + delta > MAX_WINDOW)
                return conn_error(s, WCR_H2_FLOW_CONTROL_ERROR, err, "stream window above 2^31-1");
            s->streams[i]->send_window += delta;
        }
        s->peer_initial_window = v;
        return 0;
    }
    case SETTINGS_MAX_FRAME_SIZE:
        if (v < MIN_FRAME_SIZE || v > MAX_FRAME_SIZE_LIMIT)
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "SETTINGS_MAX_FRAME_SIZE = %u", (unsigned)v);
        s->peer_max_frame = v;
        return 0;
    default:
        /* HEADER_TABLE_SIZE: our encoder never indexes, so any size suits it.
         * MAX_HEADER_LIST_SIZE is advisory; unknown settings are ignored. */
        return 0;
    }
}

static int on_settings_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    if (s->f_stream != 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "SETTINGS on stream %u", (unsigned)s->f_stream);
    if (s->f_flags & FLAG_ACK) {
        if (len != 0)
            return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "SETTINGS ACK with a payload");
        return 0;
    }
    if (len % 6 != 0)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "SETTINGS of %zu bytes", len);
    for (size_t i = 0; i < len; i += 6) {
        uint16_t id = (uint16_t)(p[i] << 8 | p[i + 1]);
        if (apply_setting(s, id, get_u32(p + i + 2), err) < 0)
            return -1;
    }
    write_frame(s, FRAME_SETTINGS, FLAG_ACK, 0, NULL, 0);
    flush_pending(s);
    if (s->cb.on_writable)
        s->cb.on_writable(s->cb.ud);
    return 0;
}

static int on_rst_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    if (len != 4)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "RST_STREAM of %zu bytes", len);
    if (s->f_stream == 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "RST_STREAM on stream 0");
    h2_stream *st = find_stream(s, s->f_stream);
    if (!st) {
        if (!was_opened(s, s->f_stream))
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "RST_STREAM on idle stream %u",
                              (unsigned)s->f_stream);
        return 0;
    }
    remove_stream(s, st, get_u32(p), true);
    return 0;
}

static int on_ping_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    if (len != 8)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "PING of %zu bytes", len);
    if (s->f_stream != 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "PING on stream %u", (unsigned)s->f_stream);
    if (!(s->f_flags & FLAG_ACK))
        write_frame(s, FRAME_PING, FLAG_ACK, 0, p, 8);
    return 0;
}

static int on_goaway_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    if (s->f_stream != 0)
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "GOAWAY on stream %u", (unsigned)s->f_stream);
    if (len < 8)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "GOAWAY of %zu bytes", len);
    uint32_t last = get_u32(p) & 0x7fffffffu, code = get_u32(p + 4);
    s->goaway_recv = true;
    s->goaway_last = last;
    if (s->cb.on_goaway)
        s->cb.on_goaway(s->cb.ud, last, code, (const char *)p + 8, len - 8);
    /* Streams the peer never processed fail now, and may be retried. */
    for (size_t i = s->nstreams; i-- > 0;)
        if (i < s->nstreams && s->streams[i]->id > last)
            remove_stream(s, s->streams[i], WCR_H2_REFUSED_STREAM, true);
    return 0;
}

static int on_window_update_frame(wcr_h2_session *s, const uint8_t *p, size_t len, wcr_err *err)
{
    if (len != 4)
        return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "WINDOW_UPDATE of %zu bytes", len);
    uint32_t inc = get_u32(p) & 0x7fffffffu;
    if (s->f_stream == 0) {
        if (inc == 0)
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "WINDOW_UPDATE of 0 on the connection");
        if (s->conn_send_window + inc > MAX_WINDOW)
            return conn_error(s, WCR_H2_FLOW_CONTROL_ERROR, err, "connection window above 2^31-1");
        s->conn_send_window += inc;
    } else {
        h2_stream *st = find_stream(s, s->f_stream);
        if (!st) {
            if (!was_opened(s, s->f_stream))
                return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "WINDOW_UPDATE on idle stream %u",
                                  (unsigned)s->f_stream);
            return 0;
        }
        if (inc == 0) {
            reset_stream(s, st, WCR_H2_PROTOCOL_ERROR);
            return 0;
        }
        if (st->send_window + inc > MAX_WINDOW) {
            reset_stream(s, st, WCR_H2_FLOW_CONTROL_ERROR);
            return 0;
        }
        st->send_window += inc;
    }
    flush_pending(s);
    if (s->cb.on_writable)
        s->cb.on_writable(s->cb.ud);
    return 0;
}

static int on_frame(wcr_h2_session *s, wcr_err *err)
{
    const uint8_t *p = (const uint8_t *)s->payload.data;
    size_t len = s->f_len;
    if (!s->got_settings) {
        if (s->f_type != FRAME_SETTINGS || (s->f_flags & FLAG_ACK))
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err,
                              "the server's first frame is not SETTINGS (is this an HTTP/2 server?)");
        s->got_settings = true;
    }
    if (s->in_block && (s->f_type != FRAME_CONTINUATION || s->f_stream != s->block_stream))
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err,
                          "frame type %u on stream %u in the middle of a header block",
                          (unsigned)s->f_type, (unsigned)s->f_stream);
    switch (s->f_type) {
    case FRAME_DATA: return on_data_frame(s, p, len, err);
    case FRAME_HEADERS: return on_headers_frame(s, p, len, err);
    case FRAME_PRIORITY:
        if (len != 5)
            return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "PRIORITY of %zu bytes", len);
        return 0;
    case FRAME_RST_STREAM: return on_rst_frame(s, p, len, err);
    case FRAME_SETTINGS: return on_settings_frame(s, p, len, err);
    case FRAME_PUSH_PROMISE:
        return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "PUSH_PROMISE, but push is disabled");
    case FRAME_PING: return on_ping_frame(s, p, len, err);
    case FRAME_GOAWAY: return on_goaway_frame(s, p, len, err);
    case FRAME_WINDOW_UPDATE: return on_window_update_frame(s, p, len, err);
    case FRAME_CONTINUATION:
        if (!s->in_block)
            return conn_error(s, WCR_H2_PROTOCOL_ERROR, err, "CONTINUATION without a header block");
        return header_fragment(s, p, len, (s->f_flags & FLAG_END_HEADERS) != 0, err);
    default:
        return 0; /* unknown frame types are ignored (RFC 9113 section 4.1) */
    }
}

int wcr_h2_recv(wcr_h2_session *s, const uint8_t *data, size_t len, wcr_err *err)
{
    size_t i = 0;
    while (i < len) {
        switch (s->in) {
        case IN_DEAD:
            return wcr_err_set(err, WCR_E_PROTO, "HTTP/2: the connection has failed");
        case IN_FRAME_HEADER: {
            size_t n = FRAME_HEADER_LEN - s->head_len;
            if (n > len - i)
                n = len - i;
            memcpy(s->head + s->head_len, data + i, n);
            s->head_len += n;
            i += n;
            if (s->head_len < FRAME_HEADER_LEN)
                break;
            s->head_len = 0;
            s->f_len = (uint32_t)s->head[0] << 16 | (uint32_t)s->head[1] << 8 | s->head[2];
            s->f_type = s->head[3];
            s->f_flags = s->head[4];
            s->f_stream = get_u32(s->head + 5) & 0x7fffffffu;
            if (s->f_len > s->cfg.max_frame_size)
                return conn_error(s, WCR_H2_FRAME_SIZE_ERROR, err, "frame of %u bytes exceeds our maximum of %u",
                                  (unsigned)s->f_len, (unsigned)s->cfg.max_frame_size);
            wcr_buf_reset(&s->payload);
            /* Go on at once: a frame may have no payload. */
            s->in = IN_FRAME_PAYLOAD;
        }
            /* fall through */
        case IN_FRAME_PAYLOAD: {
            size_t n = s->f_len - s->payload.len;
            if (n > len - i)
                n = len - i;
            if (wcr_buf_append(&s->payload, data + i, n) < 0)
                return wcr_buf_check(&s->payload, err);
            i += n;
            if (s->payload.len < s->f_len)
                break;
            s->in = IN_FRAME_HEADER;
            if (on_frame(s, err) < 0)
                return -1;
            break;
        }
        }
    }
    return 0;
}

/* ---- the application's side ------------------------------------------ */

wcr_h2_session *wcr_h2_session_new(const wcr_h2_callbacks *cb, const wcr_h2_config *cfg,
                                   wcr_err *err)
{
    wcr_h2_session *s = calloc(1, sizeof *s);
    if (!s) {
        wcr_err_set(err, WCR_E_NOMEM, "HTTP/2 session: out of memory");
        return NULL;
    }
    s->cb = *cb;
    if (cfg)
        s->cfg = *cfg;
    if (!s->cfg.initial_window)
        s->cfg.initial_window = 1u << 20;
    if (!s->cfg.connection_window)
        s->cfg.connection_window = 16u << 20;
    if (!s->cfg.max_frame_size)
        s->cfg.max_frame_size = MIN_FRAME_SIZE;
    if (!s->cfg.max_header_list)
        s->cfg.max_header_list = 64u << 10;
    if (!s->cfg.header_table_size)
        s->cfg.header_table_size = 4096;
    if (s->cfg.initial_window > MAX_WINDOW)
        s->cfg.initial_window = MAX_WINDOW;
    if (s->cfg.connection_window > MAX_WINDOW)
        s->cfg.connection_window = MAX_WINDOW;
    if (s->cfg.max_frame_size < MIN_FRAME_SIZE || s->cfg.max_frame_size > MAX_FRAME_SIZE_LIMIT)
        s->cfg.max_frame_size = MIN_FRAME_SIZE;
    wcr_buf_init(&s->out, "HTTP/2 output", OUTPUT_LIMIT);
    wcr_buf_init(&s->payload, "HTTP/2 frame", s->cfg.max_frame_size);
    if (wcr_hpack_decoder_init(&s->hpack, s->cfg.header_table_size, s->cfg.max_header_list, err) < 0) {
        free(s);
        return NULL;
    }
    s->peer_max_frame = MIN_FRAME_SIZE;
    s->peer_initial_window = DEFAULT_WINDOW;
    s->peer_max_streams = UINT32_MAX;
    s->conn_send_window = DEFAULT_WINDOW;
    s->conn_recv_window = DEFAULT_WINDOW;
    s->next_stream_id = 1;

    wcr_buf_append(&s->out, preface, sizeof preface - 1);
    uint8_t set[4 * 6];
    const struct { uint16_t id; uint32_t v; } ours[] = {
        { SETTINGS_ENABLE_PUSH, 0 },
        { SETTINGS_INITIAL_WINDOW_SIZE, s->cfg.initial_window },
        { SETTINGS_MAX_FRAME_SIZE, s->cfg.max_frame_size },
        { SETTINGS_MAX_HEADER_LIST_SIZE, s->cfg.max_header_list },
    };
    for (size_t i = 0; i < 4; i++) {
        set[i * 6] = (uint8_t)(ours[i].id >> 8);
        set[i * 6 + 1] = (uint8_t)ours[i].id;
        put_u32(set + i * 6 + 2, ours[i].v);
    }
    write_frame(s, FRAME_SETTINGS, 0, 0, set, sizeof set);
    if (s->cfg.connection_window > DEFAULT_WINDOW) {
        write_window_update(s, 0, s->cfg.connection_window - DEFAULT_WINDOW);
        s->conn_recv_window = s->cfg.connection_window;
    }
    return s;
}

void wcr_h2_session_free(wcr_h2_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nstreams; i++) {
        wcr_buf_dispose(&s->streams[i]->pending);
        free(s->streams[i]);
    }
    free(s->streams);
    wcr_hpack_decoder_dispose(&s->hpack);
    wcr_buf_dispose(&s->out);
    wcr_buf_dispose(&s->payload);
    free(s);
}

wcr_buf *wcr_h2_output(wcr_h2_session *s)
{
    return &s->out;
}

bool wcr_h2_is_dead(const wcr_h2_session *s)
{
    return s->in == IN_DEAD;
}

bool wcr_h2_can_open(const wcr_h2_session *s)
{
    return s->in != IN_DEAD && !s->goaway_recv && !s->goaway_sent && s->next_stream_id < 0x7fffffffu;
}

size_t wcr_h2_open_streams(const wcr_h2_session *s)
{
    return s->nstreams;
}

int wcr_h2_open_stream(wcr_h2_session *s, const wcr_h2_header *headers, size_t n, bool end_stream,
                       uint32_t *stream, wcr_err *err)
{
    if (!wcr_h2_can_open(s))
        return wcr_err_set(err, WCR_E_UNAVAILABLE, "HTTP/2: the connection is closing");
    if (s->nstreams >= s->peer_max_streams)
        return wcr_err_set(err, WCR_E_LIMIT, "HTTP/2: the peer allows only %u concurrent streams",
                           (unsigned)s->peer_max_streams);
    wcr_buf block = WCR_BUF_INIT("HTTP/2 request headers", s->cfg.max_header_list * 2u);
    for (size_t i = 0; i < n; i++)
        if (wcr_hpack_encode_field(&block, headers[i].name, strlen(headers[i].name), headers[i].value,
                                   strlen(headers[i].value), 0, err) < 0) {
            wcr_buf_dispose(&block);
            return -1;
        }
    if (wcr_buf_check(&block, err) < 0) {
        wcr_buf_dispose(&block);
        return -1;
    }
    if (s->nstreams == s->cap_streams) {
        size_t cap = s->cap_streams ? s->cap_streams * 2 : 8;
        h2_stream **bigger = realloc(s->streams, cap * sizeof *bigger);
        if (!bigger) {
            wcr_buf_dispose(&block);
            return wcr_err_set(err, WCR_E_NOMEM, "HTTP/2: out of memory");
        }
        s->streams = bigger;
        s->cap_streams = cap;
    }
    h2_stream *st = calloc(1, sizeof *st);
    if (!st) {
        wcr_buf_dispose(&block);
        return wcr_err_set(err, WCR_E_NOMEM, "HTTP/2: out of memory");
    }
    st->id = s->next_stream_id;
    s->next_stream_id += 2;
    s->highest_opened = st->id;
    st->send_window = s->peer_initial_window;
    st->recv_window = s->cfg.initial_window;
    wcr_buf_init(&st->pending, "HTTP/2 stream send queue", WCR_BUF_NO_LIMIT);
    s->streams[s->nstreams++] = st;

    /* The block in one HEADERS and as many CONTINUATIONs as it needs. */
    size_t off = 0;
    do {
        size_t chunk = block.len - off;
        if (chunk > s->peer_max_frame)
            chunk = s->peer_max_frame;
        bool last = off + chunk == block.len;
        uint8_t flags = last ? FLAG_END_HEADERS : 0;
        if (off == 0 && end_stream)
            flags |= FLAG_END_STREAM;
        write_frame(s, off == 0 ? FRAME_HEADERS : FRAME_CONTINUATION, flags, st->id,
                    block.data ? block.data + off : NULL, chunk);
        off += chunk;
    } while (off < block.len);
    wcr_buf_dispose(&block);
    *stream = st->id;
    if (end_stream)
        end_side(s, st, false);
    return 0;
}

int wcr_h2_send_data(wcr_h2_session *s, uint32_t stream, const void *data, size_t len,
                     bool end_stream, wcr_err *err)
{
    h2_stream *st = find_stream(s, stream);
    if (!st)
        return wcr_err_set(err, WCR_E_UNAVAILABLE, "HTTP/2: stream %u is closed", (unsigned)stream);
    if (st->local_closed || st->end_pending)
        return wcr_err_set(err, WCR_E_INTERNAL, "HTTP/2: stream %u: data after the end", (unsigned)stream);
    if (st->sent_off > 0 && st->sent_off >= st->pending.len / 2) {
        /* Drop what went out before the queue grows again. */
        wcr_buf_consume(&st->pending, st->sent_off);
        st->sent_off = 0;
    }
    if (len && wcr_buf_append(&st->pending, data, len) < 0)
        return wcr_buf_check(&st->pending, err);
    st->end_pending = end_stream;
    flush_pending(s);
    return 0;
}

void wcr_h2_flush(wcr_h2_session *s)
{
    if (s->in != IN_DEAD)
        flush_pending(s);
}

size_t wcr_h2_pending(const wcr_h2_session *s, uint32_t stream)
{
    const h2_stream *st = find_stream(s, stream);
    return st ? st->pending.len - st->sent_off : 0;
}

void wcr_h2_consume(wcr_h2_session *s, uint32_t stream, size_t n)
{
    if (s->in == IN_DEAD || n == 0)
        return;
    h2_stream *st = find_stream(s, stream);
    if (!st)
        return; /* closed: its bytes went back to the connection then */
    if (n > st->unconsumed)
        n = st->unconsumed;
    st->unconsumed -= n;
    give_back_conn(s, n);
    if (st->remote_closed)
        return; /* nothing more will arrive on it */
    st->recv_credit += (uint32_t)n;
    if (st->recv_credit >= s->cfg.initial_window / 2) {
        write_window_update(s, st->id, st->recv_credit);
        st->recv_window += st->recv_credit;
        st->recv_credit = 0;
    }
}

void wcr_h2_reset_stream(wcr_h2_session *s, uint32_t stream, uint32_t error_code)
{
    h2_stream *st = find_stream(s, stream);
    if (st)
        reset_stream(s, st, error_code);
}

void wcr_h2_ping(wcr_h2_session *s, const uint8_t opaque[8])
{
    write_frame(s, FRAME_PING, 0, 0, opaque, 8);
}

void wcr_h2_goaway(wcr_h2_session *s, uint32_t error_code, const char *debug)
{
    write_goaway(s, error_code, debug);
}
