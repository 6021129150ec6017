/* Test support: hand-built HTTP/2 frames (see h2_peer.h). */
#include <string.h>

#include "core/hpack.h"
#include "h2_peer.h"

uint32_t peer_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void peer_put_frame(wcr_buf *b, uint8_t type, uint8_t flags, uint32_t stream, const void *payload,
                    size_t len)
{
    uint8_t h[9] = { (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len, type, flags };
    put_u32(h + 5, stream);
    wcr_buf_append(b, h, 9);
    if (len)
        wcr_buf_append(b, payload, len);
}

void peer_put_settings(wcr_buf *b, const uint16_t *ids, const uint32_t *values, size_t n)
{
    uint8_t p[6 * 16];
    for (size_t i = 0; i < n && i < 16; i++) {
        p[i * 6] = (uint8_t)(ids[i] >> 8);
        p[i * 6 + 1] = (uint8_t)ids[i];
        put_u32(p + i * 6 + 2, values[i]);
    }
    peer_put_frame(b, 0x4, 0, 0, p, n * 6);
}

void peer_put_window_update(wcr_buf *b, uint32_t stream, uint32_t inc)
{
    uint8_t p[4];
    put_u32(p, inc);
    peer_put_frame(b, 0x8, 0, stream, p, 4);
}

void peer_put_rst(wcr_buf *b, uint32_t stream, uint32_t code)
{
    uint8_t p[4];
    put_u32(p, code);
    peer_put_frame(b, 0x3, 0, stream, p, 4);
}

void peer_put_goaway(wcr_buf *b, uint32_t last, uint32_t code, const char *debug)
{
    uint8_t p[8 + 64];
    size_t dl = debug ? strlen(debug) : 0;
    if (dl > 64)
        dl = 64;
    put_u32(p, last);
    put_u32(p + 4, code);
    if (dl)
        memcpy(p + 8, debug, dl);
    peer_put_frame(b, 0x7, 0, 0, p, 8 + dl);
}

void peer_put_headers(wcr_buf *b, uint32_t stream, bool end_stream, const char *const *fields)
{
    wcr_buf block = WCR_BUF_INIT("test block", WCR_BUF_NO_LIMIT);
    for (size_t i = 0; fields[i]; i += 2)
        wcr_hpack_encode_field(&block, fields[i], strlen(fields[i]), fields[i + 1],
                               strlen(fields[i + 1]), 0, NULL);
    peer_put_frame(b, 0x1, (uint8_t)(0x4 | (end_stream ? 0x1 : 0)), stream, block.data, block.len);
    wcr_buf_dispose(&block);
}

void peer_put_grpc_data(wcr_buf *b, uint32_t stream, bool end_stream, const void *msg, size_t len)
{
    wcr_buf p = WCR_BUF_INIT("test data", WCR_BUF_NO_LIMIT);
    uint8_t prefix[5] = { 0 };
    put_u32(prefix + 1, (uint32_t)len);
    wcr_buf_append(&p, prefix, 5);
    wcr_buf_append(&p, msg, len);
    peer_put_frame(b, 0x0, end_stream ? 0x1 : 0, stream, p.data, p.len);
    wcr_buf_dispose(&p);
}

bool peer_get_frame(const wcr_buf *b, size_t skip, size_t index, peer_frame *f)
{
    size_t off = skip;
    const uint8_t *d = (const uint8_t *)b->data;
    for (size_t i = 0;; i++) {
        if (off + 9 > b->len)
            return false;
        uint32_t len = (uint32_t)d[off] << 16 | (uint32_t)d[off + 1] << 8 | d[off + 2];
        if (off + 9 + len > b->len)
            return false;
        if (i == index) {
            f->len = len;
            f->type = d[off + 3];
            f->flags = d[off + 4];
            f->stream = peer_u32(d + off + 5) & 0x7fffffffu;
            f->payload = d + off + 9;
            return true;
        }
        off += 9 + len;
    }
}

size_t peer_count_frames(const wcr_buf *b, size_t skip)
{
    peer_frame f;
    size_t n = 0;
    while (peer_get_frame(b, skip, n, &f))
        n++;
    return n;
}

long peer_find_frame(const wcr_buf *b, size_t skip, size_t from, uint8_t type)
{
    peer_frame f;
    for (size_t i = from; peer_get_frame(b, skip, i, &f); i++)
        if (f.type == type)
            return (long)i;
    return -1;
}
