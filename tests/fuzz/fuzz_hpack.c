/* Fuzz target: the HPACK decoder, and the encoder on what it decodes.
 *
 * Input: byte 0 says where each block is cut in two (as a fraction of its
 * length, /255); byte 1 picks the table size (low 2 bits: 4096, 256, 64, 0)
 * and whether our setting is lowered to 64 after the first block (bit 2);
 * then header blocks, each a length octet and that many octets (the last
 * takes what is left).
 *
 * Every block is decoded three ways in lockstep: whole, in two pieces, and
 * one octet per call. The three must agree on everything: result, error,
 * fields, dynamic table. The fields of each good block are then encoded and
 * decoded again, and must come back the same.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hpack.h"
#include "fuzz.h"

enum { MAX_LIST = 4096, MAX_STRING = 1024 };

typedef struct seen {
    uint64_t hash; /* FNV-1a over every name and value with their lengths */
    size_t count;
    wcr_buf fields; /* for the round trip: name_len, name, value_len, value */
    bool keep;
} seen;

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t hash_field(uint64_t h, const char *n, size_t nl, const char *v, size_t vl)
{
    h = fnv(h, &nl, sizeof nl);
    h = fnv(h, n, nl);
    h = fnv(h, &vl, sizeof vl);
    return fnv(h, v, vl);
}

static int on_field(void *ud, const char *name, size_t name_len, const char *value,
                    size_t value_len, wcr_err *err)
{
    (void)err;
    seen *s = ud;
    if (name[name_len] != '\0' || value[value_len] != '\0')
        abort();
    s->hash = hash_field(s->hash, name, name_len, value, value_len);
    s->count++;
    if (s->keep) {
        wcr_buf_append(&s->fields, &name_len, sizeof name_len);
        wcr_buf_append(&s->fields, name, name_len);
        wcr_buf_append(&s->fields, &value_len, sizeof value_len);
        wcr_buf_append(&s->fields, value, value_len);
    }
    return 0;
}

static bool same_table(const wcr_hpack_decoder *a, const wcr_hpack_decoder *b)
{
    if (wcr_hpack_decoder_table_count(a) != wcr_hpack_decoder_table_count(b) ||
        wcr_hpack_decoder_table_size(a) != wcr_hpack_decoder_table_size(b) ||
        wcr_hpack_decoder_table_max(a) != wcr_hpack_decoder_table_max(b))
        return false;
    const char *an, *av, *bn, *bv;
    size_t anl, avl, bnl, bvl;
    for (size_t i = 0; wcr_hpack_decoder_table_entry(a, i, &an, &anl, &av, &avl); i++) {
        if (!wcr_hpack_decoder_table_entry(b, i, &bn, &bnl, &bv, &bvl) || anl != bnl ||
            avl != bvl || memcmp(an, bn, anl) != 0 || memcmp(av, bv, avl) != 0)
            return false;
    }
    return true;
}

static bool same_error(const wcr_err *a, const wcr_err *b)
{
    if (a->code != b->code)
        return false;
    if (!a->msg || !b->msg)
        return a->msg == b->msg;
    return strcmp(a->msg, b->msg) == 0;
}

/* Encode the fields a block gave and decode them again. */
static void round_trip(const seen *s)
{
    wcr_buf out = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
    uint64_t want = 0;
    size_t want_count = 0;
    const char *p = wcr_buf_cstr(&s->fields), *end = p + s->fields.len;
    unsigned flags = (unsigned)s->count & 3u;
    wcr_hpack_encode_size_update(&out, 0, NULL);
    while (p < end) {
        size_t nl, vl;
        memcpy(&nl, p, sizeof nl);
        const char *n = p + sizeof nl;
        memcpy(&vl, n + nl, sizeof vl);
        const char *v = n + nl + sizeof vl;
        p = v + vl;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_hpack_encode_field(&out, n, nl, v, vl, flags, &err) == 0) {
            want = hash_field(want, n, nl, v, vl);
            want_count++;
        } else if (!wcr_err_is(&err, WCR_E_INVALID)) {
            abort();
        }
        wcr_err_dispose(&err);
    }
    wcr_hpack_decoder d;
    seen got = { 0 };
    wcr_err err = WCR_ERR_INIT;
    wcr_hpack_decoder_init(&d, 4096, 1u << 20, NULL);
    if (wcr_hpack_decode(&d, (const uint8_t *)wcr_buf_cstr(&out), out.len, true, on_field,
                         &got, &err) != 0 ||
        got.hash != want || got.count != want_count || wcr_hpack_decoder_table_count(&d) != 0)
        abort();
    wcr_hpack_decoder_dispose(&d);
    wcr_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned cut = data[0], opts = data[1];
    static const size_t table_sizes[] = { 4096, 256, 64, 0 };
    size_t table = table_sizes[opts & 3];
    data += 2;
    size -= 2;

    wcr_hpack_decoder d[3];
    for (int i = 0; i < 3; i++) {
        wcr_hpack_decoder_init(&d[i], table, MAX_LIST, NULL);
        wcr_hpack_decoder_set_max_string(&d[i], MAX_STRING);
    }
    bool first = true;
    while (size > 0) {
        size_t len = data[0] < size - 1 ? data[0] : size - 1;
        const uint8_t *block = data + 1;
        data += 1 + len;
        size -= 1 + len;

        seen s[3] = { { 0 } };
        wcr_err err[3] = { WCR_ERR_INIT, WCR_ERR_INIT, WCR_ERR_INIT };
        int rc[3];
        s[0].keep = true;
        wcr_buf_init(&s[0].fields, "fields", WCR_BUF_NO_LIMIT);
        rc[0] = wcr_hpack_decode(&d[0], block, len, true, on_field, &s[0], &err[0]);
        size_t at = len * cut / 255;
        rc[1] = wcr_hpack_decode(&d[1], block, at, false, on_field, &s[1], &err[1]);
        if (rc[1] == 0)
            rc[1] = wcr_hpack_decode(&d[1], block + at, len - at, true, on_field, &s[1], &err[1]);
        rc[2] = len ? 0 : wcr_hpack_decode(&d[2], block, 0, true, on_field, &s[2], &err[2]);
        for (size_t i = 0; i < len && rc[2] == 0; i++)
            rc[2] = wcr_hpack_decode(&d[2], block + i, 1, i + 1 == len, on_field, &s[2], &err[2]);

        for (int i = 1; i < 3; i++)
            if (rc[i] != rc[0] || !same_error(&err[i], &err[0]) || s[i].hash != s[0].hash ||
                s[i].count != s[0].count || !same_table(&d[i], &d[0]))
                abort();
        if (rc[0] == 0)
            round_trip(&s[0]);
        wcr_buf_dispose(&s[0].fields);
        for (int i = 0; i < 3; i++)
            wcr_err_dispose(&err[i]);
        if (rc[0] != 0)
            break;
        if (first && (opts & 4))
            for (int i = 0; i < 3; i++)
                wcr_hpack_decoder_set_max_table_size(&d[i], 64);
        first = false;
    }
    for (int i = 0; i < 3; i++)
        wcr_hpack_decoder_dispose(&d[i]);
    return 0;
}
