/* Base64 encoding and strict decoding. */
#include "core/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int wcr_base64_encode(wcr_buf *out, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        char q[4] = { alphabet[v >> 18], alphabet[(v >> 12) & 63],
                      i + 1 < len ? alphabet[(v >> 6) & 63] : '=',
                      i + 2 < len ? alphabet[v & 63] : '=' };
        wcr_buf_append(out, q, 4);
    }
    return out->failed ? -1 : 0;
}

static int value_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int wcr_base64_decode(wcr_buf *out, const char *text, size_t n, wcr_err *err)
{
    if (n % 4 != 0)
        return wcr_err_set(err, WCR_E_PARSE, "base64: length %zu is not a multiple of 4", n);
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        size_t pad = 0;
        for (size_t k = 0; k < 4; k++) {
            char c = text[i + k];
            if (c == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad || (v[k] = value_of(c)) < 0)
                return wcr_err_set(err, WCR_E_PARSE, "base64: bad character at offset %zu", i + k);
        }
        unsigned bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
        unsigned char b[3] = { (unsigned char)(bits >> 16), (unsigned char)(bits >> 8), (unsigned char)bits };
        wcr_buf_append(out, b, 3 - pad);
    }
    return wcr_buf_check(out, err);
}
