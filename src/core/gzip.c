/* gzip decompression: zlib's inflate in gzip mode, member after member. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/gzip.h"

typedef enum gz_state {
    GZ_START,   /* nothing read yet */
    GZ_MEMBER,  /* inside a member */
    GZ_BETWEEN, /* a member ended; another, zeros, or the end may follow */
    GZ_ZEROS,   /* padding after the last member */
    GZ_FAILED
} gz_state;

struct wcr_gunzip {
    z_stream z;
    gz_state state;
    uint64_t in_total, out_total;
    wcr_err_code failed;
    char why[192];
};

bool wcr_gzip_magic(const void *data, size_t len)
{
    const uint8_t *p = data;
    return len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

wcr_gunzip *wcr_gunzip_new(wcr_err *err)
{
    wcr_gunzip *g = calloc(1, sizeof *g);
    if (!g) {
        wcr_err_set(err, WCR_E_NOMEM, "gzip: out of memory");
        return NULL;
    }
    /* 16 + window bits: gzip wrapper only (a zlib or raw stream is an error). */
    int rc = inflateInit2(&g->z, 16 + MAX_WBITS);
    if (rc != Z_OK) {
        free(g);
        wcr_err_set(err, rc == Z_MEM_ERROR ? WCR_E_NOMEM : WCR_E_INTERNAL, "gzip: inflateInit2 failed (%d)",
                    rc);
        return NULL;
    }
    return g;
}

void wcr_gunzip_free(wcr_gunzip *g)
{
    if (!g)
        return;
    inflateEnd(&g->z);
    free(g);
}

static int fail(wcr_gunzip *g, wcr_err_code code, const char *what, wcr_err *err)
{
    snprintf(g->why, sizeof g->why, "%s", what);
    g->failed = code;
    g->state = GZ_FAILED;
    return wcr_err_set(err, code, "gzip: %s", g->why);
}

int wcr_gunzip_run(wcr_gunzip *g, const void *in, size_t len, size_t *used, void *out,
                   size_t cap, size_t *produced, wcr_err *err)
{
    const uint8_t *src = in;
    size_t off = 0, made = 0;
    int rc = 0;
    char what[160];
    while (rc == 0) {
        if (g->state == GZ_FAILED) {
            rc = wcr_err_set(err, g->failed, "gzip: %s", g->why);
            break;
        }
        if (g->state == GZ_BETWEEN) {
            if (off == len)
                break;
            if (src[off] == 0) {
                g->state = GZ_ZEROS;
            } else {
                inflateReset(&g->z); /* the next member; inflate checks its header */
                g->state = GZ_MEMBER;
            }
            continue;
        }
        if (g->state == GZ_ZEROS) {
            for (; off < len; off++, g->in_total++) {
                if (src[off] != 0) {
                    snprintf(what, sizeof what, "unexpected data at byte %llu after the end of the gzip data",
                             (unsigned long long)g->in_total);
                    rc = fail(g, WCR_E_PARSE, what, err);
                    break;
                }
            }
            break;
        }
        if (made == cap)
            break;
        size_t in_room = len - off, out_room = cap - made;
        g->z.next_in = (Bytef *)(uintptr_t)(src + off); /* zlib never writes through next_in */
        g->z.avail_in = in_room > UINT_MAX ? UINT_MAX : (uInt)in_room;
        g->z.next_out = (Bytef *)out + made;
        g->z.avail_out = out_room > UINT_MAX ? UINT_MAX : (uInt)out_room;
        uInt ain = g->z.avail_in, aout = g->z.avail_out;
        int zrc = inflate(&g->z, Z_NO_FLUSH);
        size_t took = ain - g->z.avail_in, gave = aout - g->z.avail_out;
        off += took;
        made += gave;
        g->in_total += took;
        g->out_total += gave;
        if (took && g->state == GZ_START)
            g->state = GZ_MEMBER;
        if (zrc == Z_STREAM_END) {
            g->state = GZ_BETWEEN;
        } else if (zrc == Z_OK) {
            if (!took && !gave)
                break;
        } else if (zrc == Z_BUF_ERROR) {
            break; /* wants more input (or room) */
        } else if (zrc == Z_MEM_ERROR) {
            rc = fail(g, WCR_E_NOMEM, "out of memory", err);
        } else {
            snprintf(what, sizeof what, "corrupt data near byte %llu: %s", (unsigned long long)g->in_total,
                     g->z.msg ? g->z.msg
                              : zrc == Z_NEED_DICT ? "needs a preset dictionary" : "inflate failed");
            rc = fail(g, WCR_E_PARSE, what, err);
        }
    }
    *used = off;
    *produced = made;
    return rc;
}

int wcr_gunzip_finish(wcr_gunzip *g, wcr_err *err)
{
    char what[160];
    switch (g->state) {
    case GZ_BETWEEN:
    case GZ_ZEROS:
        return 0;
    case GZ_START:
        return fail(g, WCR_E_PARSE, "no data", err);
    case GZ_MEMBER:
        snprintf(what, sizeof what, "truncated: the data ends at byte %llu inside a member",
                 (unsigned long long)g->in_total);
        return fail(g, WCR_E_PARSE, what, err);
    case GZ_FAILED:
        break;
    }
    return wcr_err_set(err, g->failed, "gzip: %s", g->why);
}

uint64_t wcr_gunzip_total_in(const wcr_gunzip *g)
{
    return g->in_total;
}

uint64_t wcr_gunzip_total_out(const wcr_gunzip *g)
{
    return g->out_total;
}
