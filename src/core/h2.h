/* HTTP/2 (RFC 9113), client side, without I/O.
 *
 * The session is a state machine: bytes received from the peer go in with
 * wcr_h2_recv() (any split, down to one byte at a time), events come out
 * through callbacks, and every frame the session wants to send is appended
 * to its output buffer, which the transport writes and consumes. The
 * transport (unix socket, named pipe, or a test script) is not the
 * session's business.
 *
 * What is covered: the connection preface, SETTINGS and their ACK, PING
 * (answered), GOAWAY (both ways), HEADERS with CONTINUATION (HPACK in
 * hpack.c), DATA with padding, RST_STREAM, WINDOW_UPDATE and flow control
 * in both directions, several concurrent streams, the peer's
 * MAX_CONCURRENT_STREAMS and MAX_FRAME_SIZE. Server push is disabled in
 * our SETTINGS and PUSH_PROMISE is a protocol error.
 *
 * Flow control, receiving: data delivered by on_data counts against the
 * windows until the application says it consumed it (wcr_h2_consume), so
 * a slow reader makes the peer wait instead of making us buffer without
 * bound. Sending: wcr_h2_send_data() queues; frames go out as the peer's
 * windows allow, and wcr_h2_pending() says how much is still queued.
 *
 * Errors: a connection error makes wcr_h2_recv() return -1 with err set;
 * a GOAWAY with the matching code is queued for the transport to flush and
 * the session is dead from then on. A stream error resets only that stream
 * (RST_STREAM queued, on_stream_close called with the code).
 *
 * Not thread-safe: the owner serialises calls (src/containerd/channel.c
 * holds a mutex around the session).
 */
#ifndef WCR_CORE_H2_H
#define WCR_CORE_H2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/err.h"

/* Error codes of RFC 9113 section 7. */
enum {
    WCR_H2_NO_ERROR = 0x0,
    WCR_H2_PROTOCOL_ERROR = 0x1,
    WCR_H2_INTERNAL_ERROR = 0x2,
    WCR_H2_FLOW_CONTROL_ERROR = 0x3,
    WCR_H2_SETTINGS_TIMEOUT = 0x4,
    WCR_H2_STREAM_CLOSED = 0x5,
    WCR_H2_FRAME_SIZE_ERROR = 0x6,
    WCR_H2_REFUSED_STREAM = 0x7,
    WCR_H2_CANCEL = 0x8,
    WCR_H2_COMPRESSION_ERROR = 0x9,
    WCR_H2_CONNECT_ERROR = 0xa,
    WCR_H2_ENHANCE_YOUR_CALM = 0xb,
    WCR_H2_INADEQUATE_SECURITY = 0xc,
    WCR_H2_HTTP_1_1_REQUIRED = 0xd,
};

/* The name of an error code ("PROTOCOL_ERROR"), or "unknown". */
const char *wcr_h2_error_name(uint32_t code);

typedef struct wcr_h2_header {
    const char *name;  /* lower case */
    const char *value;
} wcr_h2_header;

typedef struct wcr_h2_callbacks {
    void *ud;
    /* One header field of a stream's header block. */
    int (*on_header)(void *ud, uint32_t stream, const char *name, size_t name_len,
                     const char *value, size_t value_len, wcr_err *err);
    /* The header block is complete; end_stream when it also ended the
     * stream (trailers, or a response without a body). */
    int (*on_headers_done)(void *ud, uint32_t stream, bool end_stream, wcr_err *err);
    /* Body bytes; count them back with wcr_h2_consume() when used. */
    int (*on_data)(void *ud, uint32_t stream, const uint8_t *data, size_t len,
                   bool end_stream, wcr_err *err);
    /* The stream is closed: error_code WCR_H2_NO_ERROR after a clean end
     * in both directions, else the reset's code (ours or the peer's). */
    void (*on_stream_close)(void *ud, uint32_t stream, uint32_t error_code, bool by_peer);
    /* The peer sent GOAWAY: streams above last_stream were not processed. */
    void (*on_goaway)(void *ud, uint32_t last_stream, uint32_t error_code, const char *debug,
                      size_t debug_len);
    /* Send windows grew or SETTINGS changed: queued data may have moved. */
    void (*on_writable)(void *ud);
} wcr_h2_callbacks;

/* Our side's settings. Zero fields take the defaults noted. */
typedef struct wcr_h2_config {
    uint32_t initial_window;     /* per stream, default 1 MiB */
    uint32_t connection_window;  /* default 16 MiB */
    uint32_t max_frame_size;     /* largest frame we accept, default 16384 */
    uint32_t max_header_list;    /* default 64 KiB */
    uint32_t header_table_size;  /* HPACK decoder table, default 4096 */
} wcr_h2_config;

typedef struct wcr_h2_session wcr_h2_session;

/* A new session; the preface and our SETTINGS are already in the output. */
wcr_h2_session *wcr_h2_session_new(const wcr_h2_callbacks *cb, const wcr_h2_config *cfg,
                                   wcr_err *err);
void wcr_h2_session_free(wcr_h2_session *s);

/* Feed received bytes. -1 on a connection error (the session is dead;
 * flush the output for the GOAWAY, then close). */
int wcr_h2_recv(wcr_h2_session *s, const uint8_t *data, size_t len, wcr_err *err);

/* The bytes waiting to be written; the transport consumes what it wrote
 * with wcr_buf_consume(). */
wcr_buf *wcr_h2_output(wcr_h2_session *s);

/* Open a stream with a request header block. -1 with WCR_E_LIMIT when the
 * peer's MAX_CONCURRENT_STREAMS is reached (wait for a stream to close),
 * WCR_E_UNAVAILABLE after GOAWAY. */
int wcr_h2_open_stream(wcr_h2_session *s, const wcr_h2_header *headers, size_t n,
                       bool end_stream, uint32_t *stream, wcr_err *err);

/* Queue body bytes (copied); end_stream closes our side after them. */
int wcr_h2_send_data(wcr_h2_session *s, uint32_t stream, const void *data, size_t len,
                     bool end_stream, wcr_err *err);

/* Move queued body bytes into the output as far as windows allow. The
 * output is kept short (a few hundred KiB), so a transport that has
 * written what was there calls this for more. */
void wcr_h2_flush(wcr_h2_session *s);

/* Bytes queued on the stream that the peer's windows have not let out. */
size_t wcr_h2_pending(const wcr_h2_session *s, uint32_t stream);

/* The application used n bytes delivered on the stream: reopen windows. */
void wcr_h2_consume(wcr_h2_session *s, uint32_t stream, size_t n);

/* Reset a stream (e.g. a cancelled call). Closing an unknown or closed
 * stream does nothing. on_stream_close is called. */
void wcr_h2_reset_stream(wcr_h2_session *s, uint32_t stream, uint32_t error_code);

/* Queue a PING (the ACK is handled inside) and a GOAWAY. */
void wcr_h2_ping(wcr_h2_session *s, const uint8_t opaque[8]);
void wcr_h2_goaway(wcr_h2_session *s, uint32_t error_code, const char *debug);

/* Streams currently open (not closed). */
size_t wcr_h2_open_streams(const wcr_h2_session *s);

/* Whether new streams may be opened (no GOAWAY either way, not dead). */
bool wcr_h2_can_open(const wcr_h2_session *s);

/* Whether the session is dead after a connection error or GOAWAY. */
bool wcr_h2_is_dead(const wcr_h2_session *s);

#endif
