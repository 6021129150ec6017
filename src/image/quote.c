/* Quoting outside input for error messages. */
#include <stdio.h>

#include "image/quote.h"

void img_quote(char *out, size_t size, const char *s, size_t n)
{
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char piece[5];
        size_t plen;
        if (c == '"' || c == '\\') {
            piece[0] = '\\';
            piece[1] = (char)c;
            plen = 2;
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(piece, sizeof piece, "\\x%02x", c);
            plen = 4;
        } else {
            piece[0] = (char)c;
            plen = 1;
        }
        /* Keep room for this piece, then "...", the quote and the NUL. */
        if (o + plen + 5 > size) {
            out[o++] = '.';
            out[o++] = '.';
            out[o++] = '.';
            break;
        }
        for (size_t k = 0; k < plen; k++)
            out[o++] = piece[k];
    }
    out[o++] = '"';
    out[o] = '\0';
}
