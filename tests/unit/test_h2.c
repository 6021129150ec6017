/* Tests of src/core/h2.c against a scripted peer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/h2.h"
#include "core/hpack.h"
#include "h2_peer.h"
#include "test.h"

#define PREFACE_LEN 24

enum { T_DATA, T_HEADERS, T_PRIORITY, T_RST, T_SETTINGS, T_PUSH, T_PING, T_GOAWAY, T_WINDOW, T_CONT };

/* What the callbacks saw. */
typedef struct events {
    char headers[2048];      /* "stream:name=value;" ... */
    int headers_done;
    int headers_done_end;
    wcr_buf data;
    int data_end;
    uint32_t closed_stream, closed_code;
    bool closed_by_peer;
    int closes;
    int goaways;
    uint32_t goaway_last, goaway_code;
    int writable;
} events;

static int ev_header(void *ud, uint32_t stream, const char *name, size_t nl, const char *value,
                     size_t vl, wcr_err *err)
{
    (void)err;
    events *e = ud;
    size_t used = strlen(e->headers);
    snprintf(e->headers + used, sizeof e->headers - used, "%u:%.*s=%.*s;", (unsigned)stream, (int)nl,
             name, (int)vl, value);
    return 0;
}

static int ev_headers_done(void *ud, uint32_t stream, bool end, wcr_err *err)
{
    (void)stream, (void)err;
    events *e = ud;
    e->headers_done++;
    e->headers_done_end += end;
    return 0;
}

static int ev_data(void *ud, uint32_t stream, const uint8_t *d, size_t len, bool end, wcr_err *err)
{
    (void)stream, (void)err;
    events *e = ud;
    wcr_buf_append(&e->data, d, len);
    e->data_end += end;
    return 0;
}

static void ev_close(void *ud, uint32_t stream, uint32_t code, bool by_peer)
{
    events *e = ud;
    e->closed_stream = stream;
    e->closed_code = code;
    e->closed_by_peer = by_peer;
    e->closes++;
}

static void ev_goaway(void *ud, uint32_t last, uint32_t code, const char *d, size_t len)
{
    (void)d, (void)len;
    events *e = ud;
    e->goaways++;
    e->goaway_last = last;
    e->goaway_code = code;
}

static void ev_writable(void *ud)
{
    ((events *)ud)->writable++;
}

static wcr_h2_session *new_session(events *e, const wcr_h2_config *cfg)
{
    memset(e, 0, sizeof *e);
    wcr_buf_init(&e->data, "test", WCR_BUF_NO_LIMIT);
    wcr_h2_callbacks cb = { e, ev_header, ev_headers_done, ev_data, ev_close, ev_goaway, ev_writable };
    return wcr_h2_session_new(&cb, cfg, NULL);
}

static void end_session(wcr_h2_session *s, events *e)
{
    wcr_h2_session_free(s);
    wcr_buf_dispose(&e->data);
}

/* Feed the server's SETTINGS and forget what the session wrote so far. */
static void handshake(wcr_h2_session *s)
{
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_settings(&in, NULL, NULL, 0);
    wcr_h2_recv(s, (const uint8_t *)in.data, in.len, NULL);
    wcr_buf_dispose(&in);
    wcr_buf_reset(wcr_h2_output(s));
}

static uint32_t open_request(wcr_h2_session *s, bool end_stream)
{
    wcr_h2_header h[] = { { ":method", "POST" }, { ":path", "/svc/Method" }, { "x-test", "1" } };
    uint32_t id = 0;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_h2_open_stream(s, h, 3, end_stream, &id, &err) < 0)
        id = 0;
    wcr_err_dispose(&err);
    return id;
}

static int feed(wcr_h2_session *s, const wcr_buf *b, wcr_err *err)
{
    return wcr_h2_recv(s, (const uint8_t *)b->data, b->len, err);
}

/* The last frame the session wrote (after the preface, if it is there). */
static bool last_frame(wcr_h2_session *s, peer_frame *f)
{
    wcr_buf *out = wcr_h2_output(s);
    size_t skip = out->len >= PREFACE_LEN && memcmp(out->data, "PRI * HTTP/2.0", 14) == 0 ? PREFACE_LEN : 0;
    size_t n = peer_count_frames(out, skip);
    return n > 0 && peer_get_frame(out, skip, n - 1, f);
}

TEST(session_starts_with_preface_settings_and_window)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    REQUIRE(s);
    wcr_buf *out = wcr_h2_output(s);
    REQUIRE(out->len > PREFACE_LEN);
    CHECK(memcmp(out->data, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", PREFACE_LEN) == 0);
    peer_frame f;
    REQUIRE(peer_get_frame(out, PREFACE_LEN, 0, &f));
    CHECK_INT(f.type, T_SETTINGS);
    CHECK_INT(f.stream, 0);
    CHECK_INT(f.len % 6, 0);
    bool push_off = false;
    for (uint32_t i = 0; i < f.len; i += 6)
        if (f.payload[i + 1] == 2 && peer_u32(f.payload + i + 2) == 0)
            push_off = true;
    CHECK(push_off);
    REQUIRE(peer_get_frame(out, PREFACE_LEN, 1, &f));
    CHECK_INT(f.type, T_WINDOW);
    CHECK_INT(peer_u32(f.payload), (16u << 20) - 65535);
    end_session(s, &e);
}

TEST(server_settings_are_acknowledged)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    wcr_buf_reset(wcr_h2_output(s));
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    uint16_t ids[] = { 3, 4 };
    uint32_t vals[] = { 100, 1000 };
    peer_put_settings(&in, ids, vals, 2);
    CHECK_INT(feed(s, &in, NULL), 0);
    peer_frame f;
    REQUIRE(last_frame(s, &f));
    CHECK_INT(f.type, T_SETTINGS);
    CHECK_INT(f.flags, 1);
    CHECK_INT(f.len, 0);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(first_frame_must_be_settings)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_window_update(&in, 0, 10);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "not SETTINGS"));
    CHECK(wcr_h2_is_dead(s));
    peer_frame f;
    REQUIRE(last_frame(s, &f));
    CHECK_INT(f.type, T_GOAWAY);
    CHECK_INT(peer_u32(f.payload + 4), WCR_H2_PROTOCOL_ERROR);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

static int record_field(void *ud, const char *name, size_t nl, const char *value, size_t vl,
                        wcr_err *err)
{
    (void)err;
    char *seen = ud;
    size_t used = strlen(seen);
    snprintf(seen + used, 512 - used, "%.*s=%.*s;", (int)nl, name, (int)vl, value);
    return 0;
}

TEST(request_headers_are_encoded_and_decodable)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, true);
    CHECK_INT(id, 1);
    peer_frame f;
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, 0, &f));
    CHECK_INT(f.type, T_HEADERS);
    CHECK_INT(f.flags, 0x5); /* END_HEADERS | END_STREAM */
    CHECK_INT(f.stream, 1);
    /* Decode the block as the server would. */
    wcr_hpack_decoder d;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 65536, NULL) == 0);
    char seen[512] = "";
    CHECK_INT(wcr_hpack_decode(&d, f.payload, f.len, true, record_field, seen, NULL), 0);
    CHECK_STR(seen, ":method=POST;:path=/svc/Method;x-test=1;");
    wcr_hpack_decoder_dispose(&d);
    CHECK_INT(open_request(s, false), 3);
    CHECK_INT(wcr_h2_open_streams(s), 2); /* the first is only half closed */
    end_session(s, &e);
}

TEST(response_headers_data_trailers_reach_callbacks)
{
    /* The whole response, fed in every possible pair of pieces. */
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_settings(&in, NULL, NULL, 0);
    static const char *const head[] = { ":status", "200", "content-type", "application/grpc", NULL };
    static const char *const trail[] = { "grpc-status", "0", "grpc-message", "fine", NULL };
    peer_put_headers(&in, 1, false, head);
    peer_put_grpc_data(&in, 1, false, "hello", 5);
    peer_put_headers(&in, 1, true, trail);
    for (size_t split = 0; split <= in.len; split++) {
        events e;
        wcr_h2_session *s = new_session(&e, NULL);
        REQUIRE(open_request(s, true) == 1);
        CHECK_INT(wcr_h2_recv(s, (const uint8_t *)in.data, split, NULL), 0);
        CHECK_INT(wcr_h2_recv(s, (const uint8_t *)in.data + split, in.len - split, NULL), 0);
        CHECK_STR(e.headers, "1::status=200;1:content-type=application/grpc;1:grpc-status=0;1:grpc-message=fine;");
        CHECK_INT(e.headers_done, 2);
        CHECK_INT(e.headers_done_end, 1);
        CHECK_INT(e.data.len, 10);
        CHECK(e.data.len == 10 && memcmp(e.data.data + 5, "hello", 5) == 0);
        CHECK_INT(e.closes, 1);
        CHECK_INT(e.closed_code, WCR_H2_NO_ERROR);
        CHECK_INT(wcr_h2_open_streams(s), 0);
        end_session(s, &e);
        if (test_failed_now())
            break;
    }
    wcr_buf_dispose(&in);
}

TEST(response_fed_one_byte_at_a_time)
{
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_settings(&in, NULL, NULL, 0);
    static const char *const head[] = { ":status", "200", NULL };
    peer_put_headers(&in, 1, false, head);
    peer_put_grpc_data(&in, 1, true, "abc", 3);
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    REQUIRE(open_request(s, true) == 1);
    for (size_t i = 0; i < in.len; i++)
        REQUIRE(wcr_h2_recv(s, (const uint8_t *)in.data + i, 1, NULL) == 0);
    CHECK_INT(e.data.len, 8);
    CHECK_INT(e.data_end, 1);
    CHECK_INT(e.closes, 1);
    end_session(s, &e);
    wcr_buf_dispose(&in);
}

TEST(sending_respects_the_peer_windows)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    uint16_t ids[] = { 4 };
    uint32_t vals[] = { 10 }; /* INITIAL_WINDOW_SIZE 10 */
    peer_put_settings(&in, ids, vals, 1);
    REQUIRE(feed(s, &in, NULL) == 0);
    wcr_buf_reset(wcr_h2_output(s));
    uint32_t id = open_request(s, false);
    wcr_buf_reset(wcr_h2_output(s));
    char body[100];
    memset(body, 'x', sizeof body);
    CHECK_INT(wcr_h2_send_data(s, id, body, sizeof body, true, NULL), 0);
    peer_frame f;
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, 0, &f));
    CHECK_INT(f.type, T_DATA);
    CHECK_INT(f.len, 10);
    CHECK_INT(f.flags, 0);
    CHECK_INT(peer_count_frames(wcr_h2_output(s), 0), 1);
    CHECK_INT(wcr_h2_pending(s, id), 90);
    /* A stream update alone is not enough past the connection's 65535... */
    wcr_buf_reset(wcr_h2_output(s));
    wcr_buf_reset(&in);
    peer_put_window_update(&in, id, 1000);
    REQUIRE(feed(s, &in, NULL) == 0);
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, 0, &f));
    CHECK_INT(f.len, 90);
    CHECK_INT(f.flags, 1); /* END_STREAM with the last bytes */
    CHECK_INT(wcr_h2_pending(s, id), 0);
    CHECK(e.writable > 0);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(connection_window_limits_all_streams)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t a = open_request(s, false);
    wcr_buf_reset(wcr_h2_output(s));
    size_t big = 70000;
    char *body = calloc(1, big);
    REQUIRE(body);
    CHECK_INT(wcr_h2_send_data(s, a, body, big, false, NULL), 0);
    size_t sent = 0;
    peer_frame f;
    for (size_t i = 0; peer_get_frame(wcr_h2_output(s), 0, i, &f); i++) {
        CHECK(f.len <= 16384);
        sent += f.len;
    }
    CHECK_INT(sent, 65535); /* the default connection and stream windows */
    CHECK_INT(wcr_h2_pending(s, a), big - 65535);
    free(body);
    end_session(s, &e);
}

TEST(consuming_data_sends_window_updates)
{
    wcr_h2_config cfg = { .initial_window = 100, .connection_window = 65535 };
    events e;
    wcr_h2_session *s = new_session(&e, &cfg);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    static const char *const head[] = { ":status", "200", NULL };
    peer_put_headers(&in, id, false, head);
    char body[80] = { 0 };
    peer_put_frame(&in, T_DATA, 0, id, body, sizeof body);
    wcr_buf_reset(wcr_h2_output(s));
    REQUIRE(feed(s, &in, NULL) == 0);
    CHECK_INT(wcr_h2_output(s)->len, 0); /* nothing consumed yet */
    wcr_h2_consume(s, id, 80);
    long i = peer_find_frame(wcr_h2_output(s), 0, 0, T_WINDOW);
    REQUIRE(i >= 0);
    peer_frame f;
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, (size_t)i, &f));
    CHECK_INT(f.stream, id);
    CHECK_INT(peer_u32(f.payload), 80);
    /* More than the stream window is a stream error, not a connection error. */
    wcr_buf_reset(&in);
    char more[200] = { 0 };
    peer_put_frame(&in, T_DATA, 0, id, more, 101);
    wcr_buf_reset(wcr_h2_output(s));
    CHECK_INT(feed(s, &in, NULL), 0);
    peer_frame r;
    REQUIRE(last_frame(s, &r));
    CHECK_INT(r.type, T_RST);
    CHECK_INT(peer_u32(r.payload), WCR_H2_FLOW_CONTROL_ERROR);
    CHECK_INT(e.closed_code, WCR_H2_FLOW_CONTROL_ERROR);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(connection_window_overrun_is_a_connection_error)
{
    wcr_h2_config cfg = { .initial_window = 1u << 20, .connection_window = 65535 };
    events e;
    wcr_h2_session *s = new_session(&e, &cfg);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    static const char *const head[] = { ":status", "200", NULL };
    peer_put_headers(&in, id, false, head);
    char *chunk = calloc(1, 16384);
    REQUIRE(chunk);
    for (int i = 0; i < 5; i++) /* 81920 > 65535 */
        peer_put_frame(&in, T_DATA, 0, id, chunk, 16384);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "FLOW_CONTROL_ERROR"));
    free(chunk);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(ping_is_answered_with_the_same_payload)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_frame(&in, T_PING, 0, 0, "12345678", 8);
    REQUIRE(feed(s, &in, NULL) == 0);
    peer_frame f;
    REQUIRE(last_frame(s, &f));
    CHECK_INT(f.type, T_PING);
    CHECK_INT(f.flags, 1);
    CHECK(memcmp(f.payload, "12345678", 8) == 0);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(goaway_refuses_unprocessed_streams_and_new_ones)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t a = open_request(s, false), b = open_request(s, false);
    CHECK_INT(a, 1);
    CHECK_INT(b, 3);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_goaway(&in, 1, WCR_H2_NO_ERROR, "shutting down");
    REQUIRE(feed(s, &in, NULL) == 0);
    CHECK_INT(e.goaways, 1);
    CHECK_INT(e.goaway_last, 1);
    CHECK_INT(e.closed_stream, 3);
    CHECK_INT(e.closed_code, WCR_H2_REFUSED_STREAM);
    CHECK(e.closed_by_peer);
    CHECK_INT(wcr_h2_open_streams(s), 1);
    CHECK(!wcr_h2_can_open(s));
    wcr_err err = WCR_ERR_INIT;
    uint32_t id;
    wcr_h2_header h[] = { { ":path", "/" } };
    CHECK_INT(wcr_h2_open_stream(s, h, 1, true, &id, &err), -1);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(rst_stream_from_peer_closes_the_stream)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, false);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_rst(&in, id, WCR_H2_CANCEL);
    REQUIRE(feed(s, &in, NULL) == 0);
    CHECK_INT(e.closes, 1);
    CHECK_INT(e.closed_code, WCR_H2_CANCEL);
    CHECK(e.closed_by_peer);
    CHECK_INT(wcr_h2_open_streams(s), 0);
    /* Late frames for it are ignored, not errors. */
    wcr_buf_reset(&in);
    peer_put_frame(&in, T_DATA, 0, id, "zz", 2);
    CHECK_INT(feed(s, &in, NULL), 0);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(oversized_frame_is_a_frame_size_error)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    open_request(s, true);
    uint8_t h[9] = { 0x01, 0x00, 0x00, T_DATA, 0, 0, 0, 0, 1 }; /* 65536 bytes */
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_h2_recv(s, h, 9, &err), -1);
    CHECK(err.msg && strstr(err.msg, "FRAME_SIZE_ERROR"));
    peer_frame f;
    REQUIRE(last_frame(s, &f));
    CHECK_INT(f.type, T_GOAWAY);
    CHECK_INT(peer_u32(f.payload + 4), WCR_H2_FRAME_SIZE_ERROR);
    /* Nothing more is accepted. */
    wcr_err_dispose(&err);
    CHECK_INT(wcr_h2_recv(s, h, 1, &err), -1);
    wcr_err_dispose(&err);
    end_session(s, &e);
}

TEST(bad_hpack_block_is_a_compression_error)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    uint8_t block[] = { 0xff, 0x7f }; /* indexed field far beyond both tables */
    peer_put_frame(&in, T_HEADERS, 0x4, id, block, sizeof block);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "COMPRESSION_ERROR"));
    peer_frame f;
    REQUIRE(last_frame(s, &f));
    CHECK_INT(f.type, T_GOAWAY);
    CHECK_INT(peer_u32(f.payload + 4), WCR_H2_COMPRESSION_ERROR);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(data_on_an_idle_stream_is_a_protocol_error)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_frame(&in, T_DATA, 0, 7, "x", 1);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "idle stream 7"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(push_promise_is_refused)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    uint8_t p[4] = { 0, 0, 0, 2 };
    peer_put_frame(&in, T_PUSH, 0x4, id, p, 4);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "PUSH_PROMISE"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(continuation_joins_a_header_block_and_nothing_may_interleave)
{
    wcr_buf block = WCR_BUF_INIT("b", WCR_BUF_NO_LIMIT);
    wcr_hpack_encode_field(&block, ":status", 7, "200", 3, 0, NULL);
    wcr_hpack_encode_field(&block, "x-long", 6, "abcdefghij", 10, 0, NULL);
    for (size_t cut = 1; cut < block.len; cut++) {
        events e;
        wcr_h2_session *s = new_session(&e, NULL);
        handshake(s);
        uint32_t id = open_request(s, true);
        wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
        peer_put_frame(&in, T_HEADERS, 0x1, id, block.data, cut);
        peer_put_frame(&in, T_CONT, 0x4, id, block.data + cut, block.len - cut);
        CHECK_INT(feed(s, &in, NULL), 0);
        CHECK_STR(e.headers, "1::status=200;1:x-long=abcdefghij;");
        CHECK_INT(e.headers_done_end, 1);
        wcr_buf_dispose(&in);
        end_session(s, &e);
    }
    /* A PING in the middle of the block is a protocol error. */
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_frame(&in, T_HEADERS, 0, id, block.data, 2);
    peer_put_frame(&in, T_PING, 0, 0, "12345678", 8);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "middle of a header block"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
    wcr_buf_dispose(&block);
}

TEST(big_request_header_block_is_split_into_continuations)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    size_t n = 40000;
    char *big = malloc(n + 1);
    REQUIRE(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + (i * 7919) % 26); /* not very compressible */
    big[n] = '\0';
    wcr_h2_header h[] = { { ":path", "/x" }, { "x-big", big } };
    uint32_t id;
    REQUIRE(wcr_h2_open_stream(s, h, 2, true, &id, NULL) == 0);
    peer_frame f;
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, 0, &f));
    CHECK_INT(f.type, T_HEADERS);
    CHECK_INT(f.flags & 0x4, 0);
    size_t frames = peer_count_frames(wcr_h2_output(s), 0);
    CHECK(frames >= 2); /* 40000 letters take about 25000 bytes in Huffman code */
    REQUIRE(peer_get_frame(wcr_h2_output(s), 0, frames - 1, &f));
    CHECK_INT(f.type, T_CONT);
    CHECK_INT(f.flags, 0x4);
    free(big);
    end_session(s, &e);
}

TEST(max_concurrent_streams_is_honoured)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    uint16_t ids[] = { 3 };
    uint32_t vals[] = { 1 };
    peer_put_settings(&in, ids, vals, 1);
    REQUIRE(feed(s, &in, NULL) == 0);
    CHECK_INT(open_request(s, false), 1);
    wcr_err err = WCR_ERR_INIT;
    uint32_t id;
    wcr_h2_header h[] = { { ":path", "/" } };
    CHECK_INT(wcr_h2_open_stream(s, h, 1, true, &id, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    wcr_err_dispose(&err);
    wcr_h2_reset_stream(s, 1, WCR_H2_CANCEL);
    CHECK_INT(wcr_h2_open_stream(s, h, 1, true, &id, NULL), 0);
    CHECK_INT(id, 3);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST(bad_settings_values_are_errors)
{
    struct { uint16_t id; uint32_t v; const char *want; } cases[] = {
        { 2, 2, "ENABLE_PUSH" },
        { 4, 0x80000000u, "FLOW_CONTROL_ERROR" },
        { 5, 100, "MAX_FRAME_SIZE" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        events e;
        wcr_h2_session *s = new_session(&e, NULL);
        wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
        peer_put_settings(&in, &cases[i].id, &cases[i].v, 1);
        wcr_err err = WCR_ERR_INIT;
        CHECK_INT(feed(s, &in, &err), -1);
        CHECK(err.msg && strstr(err.msg, cases[i].want));
        wcr_err_dispose(&err);
        wcr_buf_dispose(&in);
        end_session(s, &e);
    }
}

TEST(padded_data_delivers_only_the_data)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    uint32_t id = open_request(s, true);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    static const char *const head[] = { ":status", "200", NULL };
    peer_put_headers(&in, id, false, head);
    uint8_t p[] = { 3, 'a', 'b', 0, 0, 0 };
    peer_put_frame(&in, T_DATA, 0x8 | 0x1, id, p, sizeof p);
    REQUIRE(feed(s, &in, NULL) == 0);
    CHECK_INT(e.data.len, 2);
    CHECK(memcmp(e.data.data, "ab", 2) == 0);
    /* Padding as long as the frame is an error. */
    events e2;
    wcr_h2_session *s2 = new_session(&e2, NULL);
    handshake(s2);
    id = open_request(s2, true);
    wcr_buf_reset(&in);
    uint8_t bad[] = { 9, 'a' };
    peer_put_frame(&in, T_DATA, 0x8, id, bad, sizeof bad);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(feed(s2, &in, &err), -1);
    CHECK(err.msg && strstr(err.msg, "padding"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&in);
    end_session(s, &e);
    end_session(s2, &e2);
}

TEST(unknown_frame_types_are_ignored)
{
    events e;
    wcr_h2_session *s = new_session(&e, NULL);
    handshake(s);
    wcr_buf in = WCR_BUF_INIT("in", WCR_BUF_NO_LIMIT);
    peer_put_frame(&in, 0xbe, 0xff, 5, "whatever", 8);
    CHECK_INT(feed(s, &in, NULL), 0);
    CHECK_INT(wcr_h2_output(s)->len, 0);
    wcr_buf_dispose(&in);
    end_session(s, &e);
}

TEST_MAIN()
