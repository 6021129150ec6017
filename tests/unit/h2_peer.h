/* Test support: the other end of an HTTP/2 connection, by hand. Builds the
 * frames a server sends and reads back the frames a client wrote. */
#ifndef WCR_TEST_H2_PEER_H
#define WCR_TEST_H2_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct peer_frame {
    uint32_t len;
    uint8_t type, flags;
    uint32_t stream;
    const uint8_t *payload;
} peer_frame;

/* Append a frame. */
void peer_put_frame(wcr_buf *b, uint8_t type, uint8_t flags, uint32_t stream, const void *payload,
                    size_t len);
/* SETTINGS with n (id, value) pairs. */
void peer_put_settings(wcr_buf *b, const uint16_t *ids, const uint32_t *values, size_t n);
void peer_put_window_update(wcr_buf *b, uint32_t stream, uint32_t inc);
void peer_put_rst(wcr_buf *b, uint32_t stream, uint32_t code);
void peer_put_goaway(wcr_buf *b, uint32_t last, uint32_t code, const char *debug);
/* A HEADERS frame with the fields as "name", "value" pairs (NULL ends). */
void peer_put_headers(wcr_buf *b, uint32_t stream, bool end_stream, const char *const *fields);
/* A DATA frame holding one gRPC message. */
void peer_put_grpc_data(wcr_buf *b, uint32_t stream, bool end_stream, const void *msg, size_t len);

/* Read frame number `index` from bytes a client wrote (after the 24-byte
 * preface when skip_preface). Returns false when there is no such frame. */
bool peer_get_frame(const wcr_buf *b, size_t skip, size_t index, peer_frame *f);
/* The number of complete frames. */
size_t peer_count_frames(const wcr_buf *b, size_t skip);
/* The index of the first frame of `type` at or after `from`, or -1. */
long peer_find_frame(const wcr_buf *b, size_t skip, size_t from, uint8_t type);

uint32_t peer_u32(const uint8_t *p);

#endif
