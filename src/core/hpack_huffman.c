/* The Huffman code of HPACK (RFC 7541 5.2 and Appendix B).
 *
 * The table below is Appendix B: each symbol's code, aligned to the least
 * significant bit, and its length. The code is canonical: codes are
 * handed out in order of length, then of symbol, each one the previous
 * plus one (shifted left when the length grows). So the codes of length L
 * are the consecutive numbers first[L] .. first[L] + count[L] - 1, and the
 * k-th of them belongs to the symbol sorted[offset[L] + k]. Decoding needs
 * only those three small arrays, read one bit at a time: no tree, no large
 * state table, nothing built at run time. The four arrays after the code
 * table were derived from it once by a script that also checked it is
 * canonical and complete (the lengths satisfy Kraft's equality); the unit
 * tests round-trip every symbol through both directions.
 */
#include <stdint.h>

#include "core/hpack.h"

enum { HUFF_MIN_BITS = 5, HUFF_MAX_BITS = 30, HUFF_EOS = 256 };

typedef struct huff_code {
    uint32_t code;
    uint8_t bits;
} huff_code;

static const huff_code huff_codes[257] = {
    { 0x00001ff8, 13 }, /*   0 */
    { 0x007fffd8, 23 }, /*   1 */
    { 0x0fffffe2, 28 }, /*   2 */
    { 0x0fffffe3, 28 }, /*   3 */
    { 0x0fffffe4, 28 }, /*   4 */
    { 0x0fffffe5, 28 }, /*   5 */
    { 0x0fffffe6, 28 }, /*   6 */
    { 0x0fffffe7, 28 }, /*   7 */
    { 0x0fffffe8, 28 }, /*   8 */
    { 0x00ffffea, 24 }, /*   9 */
    { 0x3ffffffc, 30 }, /*  10 */
    { 0x0fffffe9, 28 }, /*  11 */
    { 0x0fffffea, 28 }, /*  12 */
    { 0x3ffffffd, 30 }, /*  13 */
    { 0x0fffffeb, 28 }, /*  14 */
    { 0x0fffffec, 28 }, /*  15 */
    { 0x0fffffed, 28 }, /*  16 */
    { 0x0fffffee, 28 }, /*  17 */
    { 0x0fffffef, 28 }, /*  18 */
    { 0x0ffffff0, 28 }, /*  19 */
    { 0x0ffffff1, 28 }, /*  20 */
    { 0x0ffffff2, 28 }, /*  21 */
    { 0x3ffffffe, 30 }, /*  22 */
    { 0x0ffffff3, 28 }, /*  23 */
    { 0x0ffffff4, 28 }, /*  24 */
    { 0x0ffffff5, 28 }, /*  25 */
    { 0x0ffffff6, 28 }, /*  26 */
    { 0x0ffffff7, 28 }, /*  27 */
    { 0x0ffffff8, 28 }, /*  28 */
    { 0x0ffffff9, 28 }, /*  29 */
    { 0x0ffffffa, 28 }, /*  30 */
    { 0x0ffffffb, 28 }, /*  31 */
    { 0x00000014,  6 }, /*  32 ' ' */
    { 0x000003f8, 10 }, /*  33 '!' */
    { 0x000003f9, 10 }, /*  34 '"' */
    { 0x00000ffa, 12 }, /*  35 '#' */
    { 0x00001ff9, 13 }, /*  36 '$' */
    { 0x00000015,  6 }, /*  37 '%' */
    { 0x000000f8,  8 }, /*  38 '&' */
    { 0x000007fa, 11 }, /*  39 ''' */
    { 0x000003fa, 10 }, /*  40 '(' */
    { 0x000003fb, 10 }, /*  41 ')' */
    { 0x000000f9,  8 }, /*  42 '*' */
    { 0x000007fb, 11 }, /*  43 '+' */
    { 0x000000fa,  8 }, /*  44 ',' */
    { 0x00000016,  6 }, /*  45 '-' */
    { 0x00000017,  6 }, /*  46 '.' */
    { 0x00000018,  6 }, /*  47 '/' */
    { 0x00000000,  5 }, /*  48 '0' */
    { 0x00000001,  5 }, /*  49 '1' */
    { 0x00000002,  5 }, /*  50 '2' */
    { 0x00000019,  6 }, /*  51 '3' */
    { 0x0000001a,  6 }, /*  52 '4' */
    { 0x0000001b,  6 }, /*  53 '5' */
    { 0x0000001c,  6 }, /*  54 '6' */
    { 0x0000001d,  6 }, /*  55 '7' */
    { 0x0000001e,  6 }, /*  56 '8' */
    { 0x0000001f,  6 }, /*  57 '9' */
    { 0x0000005c,  7 }, /*  58 ':' */
    { 0x000000fb,  8 }, /*  59 ';' */
    { 0x00007ffc, 15 }, /*  60 '<' */
    { 0x00000020,  6 }, /*  61 '=' */
    { 0x00000ffb, 12 }, /*  62 '>' */
    { 0x000003fc, 10 }, /*  63 '?' */
    { 0x00001ffa, 13 }, /*  64 '@' */
    { 0x00000021,  6 }, /*  65 'A' */
    { 0x0000005d,  7 }, /*  66 'B' */
    { 0x0000005e,  7 }, /*  67 'C' */
    { 0x0000005f,  7 }, /*  68 'D' */
    { 0x00000060,  7 }, /*  69 'E' */
    { 0x00000061,  7 }, /*  70 'F' */
    { 0x00000062,  7 }, /*  71 'G' */
    { 0x00000063,  7 }, /*  72 'H' */
    { 0x00000064,  7 }, /*  73 'I' */
    { 0x00000065,  7 }, /*  74 'J' */
    { 0x00000066,  7 }, /*  75 'K' */
    { 0x00000067,  7 }, /*  76 'L' */
    { 0x00000068,  7 }, /*  77 'M' */
    { 0x00000069,  7 }, /*  78 'N' */
    { 0x0000006a,  7 }, /*  79 'O' */
    { 0x0000006b,  7 }, /*  80 'P' */
    { 0x0000006c,  7 }, /*  81 'Q' */
    { 0x0000006d,  7 }, /*  82 'R' */
    { 0x0000006e,  7 }, /*  83 'S' */
    { 0x0000006f,  7 }, /*  84 'T' */
    { 0x00000070,  7 }, /*  85 'U' */
    { 0x00000071,  7 }, /*  86 'V' */
    { 0x00000072,  7 }, /*  87 'W' */
    { 0x000000fc,  8 }, /*  88 'X' */
    { 0x00000073,  7 }, /*  89 'Y' */
    { 0x000000fd,  8 }, /*  90 'Z' */
    { 0x00001ffb, 13 }, /*  91 '[' */
    { 0x0007fff0, 19 }, /*  92 '\\' */
    { 0x00001ffc, 13 }, /*  93 ']' */
    { 0x00003ffc, 14 }, /*  94 '^' */
    { 0x00000022,  6 }, /*  95 '_' */
    { 0x00007ffd, 15 }, /*  96 '`' */
    { 0x00000003,  5 }, /*  97 'a' */
    { 0x00000023,  6 }, /*  98 'b' */
    { 0x00000004,  5 }, /*  99 'c' */
    { 0x00000024,  6 }, /* 100 'd' */
    { 0x00000005,  5 }, /* 101 'e' */
    { 0x00000025,  6 }, /* 102 'f' */
    { 0x00000026,  6 }, /* 103 'g' */
    { 0x00000027,  6 }, /* 104 'h' */
    { 0x00000006,  5 }, /* 105 'i' */
    { 0x00000074,  7 }, /* 106 'j' */
    { 0x00000075,  7 }, /* 107 'k' */
    { 0x00000028,  6 }, /* 108 'l' */
    { 0x00000029,  6 }, /* 109 'm' */
    { 0x0000002a,  6 }, /* 110 'n' */
    { 0x00000007,  5 }, /* 111 'o' */
    { 0x0000002b,  6 }, /* 112 'p' */
    { 0x00000076,  7 }, /* 113 'q' */
    { 0x0000002c,  6 }, /* 114 'r' */
    { 0x00000008,  5 }, /* 115 's' */
    { 0x00000009,  5 }, /* 116 't' */
    { 0x0000002d,  6 }, /* 117 'u' */
    { 0x00000077,  7 }, /* 118 'v' */
    { 0x00000078,  7 }, /* 119 'w' */
    { 0x00000079,  7 }, /* 120 'x' */
    { 0x0000007a,  7 }, /* 121 'y' */
    { 0x0000007b,  7 }, /* 122 'z' */
    { 0x00007ffe, 15 }, /* 123 '{' */
    { 0x000007fc, 11 }, /* 124 '|' */
    { 0x00003ffd, 14 }, /* 125 '}' */
    { 0x00001ffd, 13 }, /* 126 '~' */
    { 0x0ffffffc, 28 }, /* 127 */
    { 0x000fffe6, 20 }, /* 128 */
    { 0x003fffd2, 22 }, /* 129 */
    { 0x000fffe7, 20 }, /* 130 */
    { 0x000fffe8, 20 }, /* 131 */
    { 0x003fffd3, 22 }, /* 132 */
    { 0x003fffd4, 22 }, /* 133 */
    { 0x003fffd5, 22 }, /* 134 */
    { 0x007fffd9, 23 }, /* 135 */
    { 0x003fffd6, 22 }, /* 136 */
    { 0x007fffda, 23 }, /* 137 */
    { 0x007fffdb, 23 }, /* 138 */
    { 0x007fffdc, 23 }, /* 139 */
    { 0x007fffdd, 23 }, /* 140 */
    { 0x007fffde, 23 }, /* 141 */
    { 0x00ffffeb, 24 }, /* 142 */
    { 0x007fffdf, 23 }, /* 143 */
    { 0x00ffffec, 24 }, /* 144 */
    { 0x00ffffed, 24 }, /* 145 */
    { 0x003fffd7, 22 }, /* 146 */
    { 0x007fffe0, 23 }, /* 147 */
    { 0x00ffffee, 24 }, /* 148 */
    { 0x007fffe1, 23 }, /* 149 */
    { 0x007fffe2, 23 }, /* 150 */
    { 0x007fffe3, 23 }, /* 151 */
    { 0x007fffe4, 23 }, /* 152 */
    { 0x001fffdc, 21 }, /* 153 */
    { 0x003fffd8, 22 }, /* 154 */
    { 0x007fffe5, 23 }, /* 155 */
    { 0x003fffd9, 22 }, /* 156 */
    { 0x007fffe6, 23 }, /* 157 */
    { 0x007fffe7, 23 }, /* 158 */
    { 0x00ffffef, 24 }, /* 159 */
    { 0x003fffda, 22 }, /* 160 */
    { 0x001fffdd, 21 }, /* 161 */
    { 0x000fffe9, 20 }, /* 162 */
    { 0x003fffdb, 22 }, /* 163 */
    { 0x003fffdc, 22 }, /* 164 */
    { 0x007fffe8, 23 }, /* 165 */
    { 0x007fffe9, 23 }, /* 166 */
    { 0x001fffde, 21 }, /* 167 */
    { 0x007fffea, 23 }, /* 168 */
    { 0x003fffdd, 22 }, /* 169 */
    { 0x003fffde, 22 }, /* 170 */
    { 0x00fffff0, 24 }, /* 171 */
    { 0x001fffdf, 21 }, /* 172 */
    { 0x003fffdf, 22 }, /* 173 */
    { 0x007fffeb, 23 }, /* 174 */
    { 0x007fffec, 23 }, /* 175 */
    { 0x001fffe0, 21 }, /* 176 */
    { 0x001fffe1, 21 }, /* 177 */
    { 0x003fffe0, 22 }, /* 178 */
    { 0x001fffe2, 21 }, /* 179 */
    { 0x007fffed, 23 }, /* 180 */
    { 0x003fffe1, 22 }, /* 181 */
    { 0x007fffee, 23 }, /* 182 */
    { 0x007fffef, 23 }, /* 183 */
    { 0x000fffea, 20 }, /* 184 */
    { 0x003fffe2, 22 }, /* 185 */
    { 0x003fffe3, 22 }, /* 186 */
    { 0x003fffe4, 22 }, /* 187 */
    { 0x007ffff0, 23 }, /* 188 */
    { 0x003fffe5, 22 }, /* 189 */
    { 0x003fffe6, 22 }, /* 190 */
    { 0x007ffff1, 23 }, /* 191 */
    { 0x03ffffe0, 26 }, /* 192 */
    { 0x03ffffe1, 26 }, /* 193 */
    { 0x000fffeb, 20 }, /* 194 */
    { 0x0007fff1, 19 }, /* 195 */
    { 0x003fffe7, 22 }, /* 196 */
    { 0x007ffff2, 23 }, /* 197 */
    { 0x003fffe8, 22 }, /* 198 */
    { 0x01ffffec, 25 }, /* 199 */
    { 0x03ffffe2, 26 }, /* 200 */
    { 0x03ffffe3, 26 }, /* 201 */
    { 0x03ffffe4, 26 }, /* 202 */
    { 0x07ffffde, 27 }, /* 203 */
    { 0x07ffffdf, 27 }, /* 204 */
    { 0x03ffffe5, 26 }, /* 205 */
    { 0x00fffff1, 24 }, /* 206 */
    { 0x01ffffed, 25 }, /* 207 */
    { 0x0007fff2, 19 }, /* 208 */
    { 0x001fffe3, 21 }, /* 209 */
    { 0x03ffffe6, 26 }, /* 210 */
    { 0x07ffffe0, 27 }, /* 211 */
    { 0x07ffffe1, 27 }, /* 212 */
    { 0x03ffffe7, 26 }, /* 213 */
    { 0x07ffffe2, 27 }, /* 214 */
    { 0x00fffff2, 24 }, /* 215 */
    { 0x001fffe4, 21 }, /* 216 */
    { 0x001fffe5, 21 }, /* 217 */
    { 0x03ffffe8, 26 }, /* 218 */
    { 0x03ffffe9, 26 }, /* 219 */
    { 0x0ffffffd, 28 }, /* 220 */
    { 0x07ffffe3, 27 }, /* 221 */
    { 0x07ffffe4, 27 }, /* 222 */
    { 0x07ffffe5, 27 }, /* 223 */
    { 0x000fffec, 20 }, /* 224 */
    { 0x00fffff3, 24 }, /* 225 */
    { 0x000fffed, 20 }, /* 226 */
    { 0x001fffe6, 21 }, /* 227 */
    { 0x003fffe9, 22 }, /* 228 */
    { 0x001fffe7, 21 }, /* 229 */
    { 0x001fffe8, 21 }, /* 230 */
    { 0x007ffff3, 23 }, /* 231 */
    { 0x003fffea, 22 }, /* 232 */
    { 0x003fffeb, 22 }, /* 233 */
    { 0x01ffffee, 25 }, /* 234 */
    { 0x01ffffef, 25 }, /* 235 */
    { 0x00fffff4, 24 }, /* 236 */
    { 0x00fffff5, 24 }, /* 237 */
    { 0x03ffffea, 26 }, /* 238 */
    { 0x007ffff4, 23 }, /* 239 */
    { 0x03ffffeb, 26 }, /* 240 */
    { 0x07ffffe6, 27 }, /* 241 */
    { 0x03ffffec, 26 }, /* 242 */
    { 0x03ffffed, 26 }, /* 243 */
    { 0x07ffffe7, 27 }, /* 244 */
    { 0x07ffffe8, 27 }, /* 245 */
    { 0x07ffffe9, 27 }, /* 246 */
    { 0x07ffffea, 27 }, /* 247 */
    { 0x07ffffeb, 27 }, /* 248 */
    { 0x0ffffffe, 28 }, /* 249 */
    { 0x07ffffec, 27 }, /* 250 */
    { 0x07ffffed, 27 }, /* 251 */
    { 0x07ffffee, 27 }, /* 252 */
    { 0x07ffffef, 27 }, /* 253 */
    { 0x07fffff0, 27 }, /* 254 */
    { 0x03ffffee, 26 }, /* 255 */
    { 0x3fffffff, 30 }, /* EOS */
};

/* first[L]: the smallest code of length L; count[L]: how many there are. */
static const uint32_t huff_first[HUFF_MAX_BITS + 1] = {
    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
    0x00000014, 0x0000005c, 0x000000f8, 0x00000000, 0x000003f8, 0x000007fa,
    0x00000ffa, 0x00001ff8, 0x00003ffc, 0x00007ffc, 0x00000000, 0x00000000,
    0x00000000, 0x0007fff0, 0x000fffe6, 0x001fffdc, 0x003fffd2, 0x007fffd8,
    0x00ffffea, 0x01ffffec, 0x03ffffe0, 0x07ffffde, 0x0fffffe2, 0x00000000,
    0x3ffffffc,
};

static const uint8_t huff_count[HUFF_MAX_BITS + 1] = {
     0,  0,  0,  0,  0, 10, 26, 32,  6,  0,  5,  3,  2,  6,  2,  3,
     0,  0,  0,  3,  8, 13, 26, 29, 12,  4, 15, 19, 29,  0,  4,
};

/* offset[L]: where the symbols of length L start in huff_sorted. */
static const uint16_t huff_offset[HUFF_MAX_BITS + 1] = {
      0,   0,   0,   0,   0,   0,  10,  36,  68,   0,  74,  79,  82,  84,  90,  92,
      0,   0,   0,  95,  98, 106, 119, 145, 174, 186, 190, 205, 224,   0, 253,
};

/* Symbols in code order (by length, then value); EOS would be number 256. */
static const uint8_t huff_sorted[256] = {
     48,  49,  50,  97,  99, 101, 105, 111, 115, 116,  32,  37,  45,  46,  47,  51,
     52,  53,  54,  55,  56,  57,  61,  65,  95,  98, 100, 102, 103, 104, 108, 109,
    110, 112, 114, 117,  58,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,
     77,  78,  79,  80,  81,  82,  83,  84,  85,  86,  87,  89, 106, 107, 113, 118,
    119, 120, 121, 122,  38,  42,  44,  59,  88,  90,  33,  34,  40,  41,  63,  39,
     43, 124,  35,  62,   0,  36,  64,  91,  93, 126,  94, 125,  60,  96, 123,  92,
    195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172, 176, 177,
    179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160,
    163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232,
    233,   1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157,
    158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239,   9, 142,
    144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193,
    200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255, 203, 204, 211,
    212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254,
      2,   3,   4,   5,   6,   7,   8,  11,  12,  14,  15,  16,  17,  18,  19,  20,
     21,  23,  24,  25,  26,  27,  28,  29,  30,  31, 127, 220, 249,  10,  13,  22,
};

size_t wcr_hpack_huff_encoded_len(const void *s, size_t len)
{
    const uint8_t *p = s;
    uint64_t bits = 0;
    for (size_t i = 0; i < len; i++)
        bits += huff_codes[p[i]].bits;
    return (size_t)((bits + 7) / 8);
}

void wcr_hpack_huff_encode(wcr_buf *out, const void *s, size_t len)
{
    const uint8_t *p = s;
    uint8_t chunk[64];
    size_t n = 0;
    uint64_t acc = 0; /* pending bits, at most 7 + 30 */
    unsigned pending = 0;
    if (wcr_buf_reserve(out, wcr_hpack_huff_encoded_len(s, len)) < 0)
        return;
    for (size_t i = 0; i < len; i++) {
        const huff_code *c = &huff_codes[p[i]];
        acc = acc << c->bits | c->code;
        pending += c->bits;
        while (pending >= 8) {
            pending -= 8;
            chunk[n++] = (uint8_t)(acc >> pending);
        }
        if (n > sizeof chunk - 4) {
            wcr_buf_append(out, chunk, n);
            n = 0;
        }
    }
    /* Pad with the most significant bits of EOS, which are all ones. */
    if (pending)
        chunk[n++] = (uint8_t)(acc << (8 - pending) | (0xffu >> pending));
    wcr_buf_append(out, chunk, n);
}

/* One more bit of the current code: a symbol (0..256) once the code is
 * complete, -1 while it is not. */
static int huff_bit(wcr_hpack_huff *h, unsigned bit)
{
    h->code = h->code << 1 | bit;
    h->bits++;
    if (h->bits < HUFF_MIN_BITS)
        return -1;
    /* Unsigned: a code below first[L] wraps around and fails the test. */
    uint32_t k = h->code - huff_first[h->bits];
    if (k >= huff_count[h->bits])
        return -1;
    unsigned at = huff_offset[h->bits] + k;
    h->code = 0;
    h->bits = 0;
    return at < 256 ? huff_sorted[at] : HUFF_EOS;
}

int wcr_hpack_huff_decode(wcr_hpack_huff *h, const uint8_t *in, size_t len,
                          wcr_buf *out, wcr_err *err)
{
    uint8_t chunk[64];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        for (int shift = 7; shift >= 0; shift--) {
            int sym = huff_bit(h, (unsigned)(in[i] >> shift) & 1u);
            if (sym < 0)
                continue;
            if (sym == HUFF_EOS)
                return wcr_err_set(err, WCR_E_PROTO,
                                   "HPACK: Huffman-coded string contains EOS");
            chunk[n++] = (uint8_t)sym;
            if (n == sizeof chunk) {
                if (wcr_buf_append(out, chunk, n) < 0)
                    return wcr_buf_check(out, err);
                n = 0;
            }
        }
    }
    if (wcr_buf_append(out, chunk, n) < 0)
        return wcr_buf_check(out, err);
    return 0;
}

int wcr_hpack_huff_finish(const wcr_hpack_huff *h, wcr_err *err)
{
    /* Padding is a prefix of EOS: shorter than a byte, all ones. A longer
     * run of ones cannot be a complete code, since only EOS is 30 ones. */
    if (h->bits > 7)
        return wcr_err_set(err, WCR_E_PROTO,
                           "HPACK: Huffman padding is longer than 7 bits (%u)", h->bits);
    if (h->code != (1u << h->bits) - 1)
        return wcr_err_set(err, WCR_E_PROTO, "HPACK: Huffman padding is not all ones");
    return 0;
}
