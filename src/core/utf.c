/* UTF-8 validation and UTF-8 <-> UTF-16 conversion. */
#include <stdlib.h>

#include "core/utf.h"

size_t wcr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t wcr_utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (unsigned char)(0xF0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

bool wcr_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = wcr_utf8_decode(p + i, n - i, &cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

uint16_t *wcr_utf8_to_utf16(const char *s, size_t n, size_t *out_len, wcr_err *err)
{
    const unsigned char *p = (const unsigned char *)s;
    /* Each UTF-8 byte gives at most one UTF-16 unit. */
    if (n >= SIZE_MAX / sizeof(uint16_t) - 1) {
        wcr_err_set(err, WCR_E_LIMIT, "string too long for UTF-16");
        return NULL;
    }
    uint16_t *out = malloc((n + 1) * sizeof *out);
    if (!out) {
        wcr_err_set(err, WCR_E_NOMEM, "UTF-16 conversion: out of memory");
        return NULL;
    }
    size_t i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = wcr_utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            free(out);
            wcr_err_set(err, WCR_E_INVALID, "invalid UTF-8 at byte %zu", i);
            return NULL;
        }
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (uint16_t)(0xD800 | (cp >> 10));
            out[o++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            out[o++] = (uint16_t)cp;
        }
    }
    out[o] = 0;
    if (out_len)
        *out_len = o;
    return out;
}

char *wcr_utf16_to_utf8(const uint16_t *s, size_t n, size_t *out_len, wcr_err *err)
{
    /* Each unit gives at most three bytes (a pair gives four for two). */
    if (n >= (SIZE_MAX - 1) / 3) {
        wcr_err_set(err, WCR_E_LIMIT, "string too long for UTF-8");
        return NULL;
    }
    char *out = malloc(n * 3 + 1);
    if (!out) {
        wcr_err_set(err, WCR_E_NOMEM, "UTF-8 conversion: out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        o += wcr_utf8_encode(cp, (unsigned char *)out + o);
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}

size_t wcr_utf16_len(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
