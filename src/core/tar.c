/* The streaming tar reader: one state machine over 512-byte blocks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/tar.h"

/* Header fields (offset, length), as POSIX ustar lays them out. */
#define F_NAME 0, 100
#define F_MODE 100, 8
#define F_MTIME 136, 12
#define F_SIZE 124, 12
#define F_CHKSUM 148, 8
#define F_TYPE 156
#define OFF_LINK 157
#define F_LINK OFF_LINK, 100
#define F_MAGIC 257
#define OFF_PREFIX 345
#define F_PREFIX OFF_PREFIX, 155

void wcr_tar_init(wcr_tar *t)
{
    memset(t, 0, sizeof *t);
    wcr_buf_init(&t->meta, "tar metadata header", WCR_TAR_MAX_PAX);
    wcr_buf_init(&t->long_name, "tar long name", WCR_TAR_MAX_NAME);
    wcr_buf_init(&t->long_link, "tar long link name", WCR_TAR_MAX_NAME);
    wcr_buf_init(&t->pax_path, "tar pax path", WCR_TAR_MAX_NAME);
    wcr_buf_init(&t->pax_link, "tar pax linkpath", WCR_TAR_MAX_NAME);
    /* prefix "/" name fits easily; pax and GNU names are capped above */
    wcr_buf_init(&t->name, "tar entry name", WCR_TAR_MAX_NAME + 256);
    wcr_buf_init(&t->link, "tar link name", WCR_TAR_MAX_NAME + 256);
}

void wcr_tar_dispose(wcr_tar *t)
{
    if (!t)
        return;
    wcr_buf_dispose(&t->meta);
    wcr_buf_dispose(&t->long_name);
    wcr_buf_dispose(&t->long_link);
    wcr_buf_dispose(&t->pax_path);
    wcr_buf_dispose(&t->pax_link);
    wcr_buf_dispose(&t->name);
    wcr_buf_dispose(&t->link);
    free(t->why);
    t->why = NULL;
}

const char *wcr_tar_type_name(wcr_tar_type type)
{
    switch (type) {
    case WCR_TAR_FILE: return "regular file";
    case WCR_TAR_HARDLINK: return "hard link";
    case WCR_TAR_SYMLINK: return "symbolic link";
    case WCR_TAR_CHAR: return "character device";
    case WCR_TAR_BLOCKDEV: return "block device";
    case WCR_TAR_DIR: return "directory";
    case WCR_TAR_FIFO: return "FIFO";
    case WCR_TAR_OTHER: break;
    }
    return "special entry";
}

/* Names go into messages: printable ASCII only, and not too much of it. */
static void show_name(char *out, size_t size, const char *s)
{
    size_t o = 0;
    for (; *s && o + 4 < size; s++)
        out[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    if (*s)
        out[o++] = '.', out[o++] = '.', out[o++] = '.';
    out[o] = '\0';
}

/* Make the error sticky: later calls report it again. */
static int fail(wcr_tar *t, wcr_err *err, wcr_err_code code, const char *fmt, ...)
    WCR_PRINTF(4, 5);
static int fail(wcr_tar *t, wcr_err *err, wcr_err_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *why = wcr_vasprintf(fmt, ap);
    va_end(ap);
    free(t->why);
    t->why = why;
    t->failed = why ? code : WCR_E_NOMEM;
    t->state = WCR_TAR_ST_FAILED;
    return wcr_err_set(err, t->failed, "tar: %s", why ? why : "out of memory");
}

/* A numeric field: octal text (leading spaces, then digits, then spaces or
 * NULs; all blank is 0) or GNU's base-256 (top bit of the first byte). */
static int parse_num(const uint8_t *b, size_t off, size_t len, uint64_t *out)
{
    const uint8_t *f = b + off;
    uint64_t v = 0;
    if (f[0] & 0x80) {
        if (f[0] == 0xff)
            return -1; /* negative */
        v = f[0] & 0x7f;
        for (size_t i = 1; i < len; i++) {
            if (v > (UINT64_MAX >> 8))
                return -1;
            v = (v << 8) | f[i];
        }
        *out = v;
        return 0;
    }
    size_t i = 0;
    while (i < len && f[i] == ' ')
        i++;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
        v = (v << 3) | (uint64_t)(f[i] - '0'); /* 12 digits never overflow */
    for (; i < len; i++)
        if (f[i] != ' ' && f[i] != '\0')
            return -1;
    *out = v;
    return 0;
}

static bool checksum_ok(const uint8_t *b)
{
    uint64_t want;
    if (parse_num(b, F_CHKSUM, &want) < 0)
        return false;
    uint64_t usum = 0;
    int64_t ssum = 0;
    for (size_t i = 0; i < WCR_TAR_BLOCK; i++) {
        uint8_t c = (i >= 148 && i < 156) ? ' ' : b[i];
        usum += c;
        ssum += (int8_t)c;
    }
    return usum == want || (ssum >= 0 && (uint64_t)ssum == want);
}

static bool all_zero(const uint8_t *b)
{
    for (size_t i = 0; i < WCR_TAR_BLOCK; i++)
        if (b[i])
            return false;
    return true;
}

/* A fixed field's text, up to its first NUL. */
static size_t field_len(const uint8_t *b, size_t off, size_t len)
{
    const void *nul = memchr(b + off, '\0', len);
    return nul ? (size_t)((const uint8_t *)nul - (b + off)) : len;
}

static uint64_t padding(uint64_t size)
{
    return (WCR_TAR_BLOCK - size % WCR_TAR_BLOCK) % WCR_TAR_BLOCK;
}

/* ---- pax records: "<length> <keyword>=<value>\n" ---------------------- */

static int pax_set_text(wcr_buf *b, bool *has, const char *v, size_t n)
{
    /* An empty value removes the override (POSIX). */
    wcr_buf_reset(b);
    *has = n > 0;
    return n > 0 ? wcr_buf_append(b, v, n) : 0;
}

static int parse_pax(wcr_tar *t, bool global, wcr_err *err)
{
    const char *p = t->meta.data ? t->meta.data : "";
    size_t n = t->meta.len, pos = 0;
    uint64_t at = t->meta_offset;
    while (pos < n) {
        if (p[pos] == '\0') {
            /* Some writers pad the payload with NULs: allowed at the end only. */
            for (; pos < n; pos++)
                if (p[pos] != '\0')
                    return fail(t, err, WCR_E_PARSE, "pax header at byte %llu: NUL inside the records",
                                (unsigned long long)at);
            break;
        }
        size_t len = 0, i = pos;
        for (; i < n && p[i] >= '0' && p[i] <= '9' && len <= n; i++)
            len = len * 10 + (size_t)(p[i] - '0');
        if (i == pos || i >= n || p[i] != ' ' || len <= i - pos + 1 || len > n - pos ||
            p[pos + len - 1] != '\n')
            return fail(t, err, WCR_E_PARSE, "pax header at byte %llu: malformed record at offset %zu",
                        (unsigned long long)at, pos);
        const char *kv = p + i + 1, *end = p + pos + len - 1;
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (!eq || eq == kv)
            return fail(t, err, WCR_E_PARSE, "pax header at byte %llu: record without keyword=value",
                        (unsigned long long)at);
        size_t klen = (size_t)(eq - kv), vlen = (size_t)(end - eq - 1);
        const char *v = eq + 1;
        bool is_path = klen == 4 && memcmp(kv, "path", 4) == 0;
        bool is_link = klen == 8 && memcmp(kv, "linkpath", 8) == 0;
        bool is_size = klen == 4 && memcmp(kv, "size", 4) == 0;
        if ((is_path || is_link) && memchr(v, '\0', vlen))
            return fail(t, err, WCR_E_PARSE, "pax header at byte %llu: %s holds a NUL",
                        (unsigned long long)at, is_path ? "path" : "linkpath");
        if (!global && klen > 11 && memcmp(kv, "GNU.sparse.", 11) == 0)
            return fail(t, err, WCR_E_UNSUPPORTED, "entry at byte %llu: GNU sparse files are not supported",
                        (unsigned long long)t->entry_offset);
        if (is_size) {
            uint64_t sz = 0;
            for (size_t k = 0; k < vlen; k++) {
                if (v[k] < '0' || v[k] > '9' || sz > (uint64_t)(INT64_MAX - 9) / 10)
                    return fail(t, err, WCR_E_PARSE, "pax header at byte %llu: invalid size",
                                (unsigned long long)at);
                sz = sz * 10 + (uint64_t)(v[k] - '0');
            }
            if (!global) {
                t->has_pax_size = vlen > 0;
                t->pax_size = sz;
            }
        }
        if (!global && is_path && pax_set_text(&t->pax_path, &t->has_pax_path, v, vlen) < 0)
            return fail(t, err, WCR_E_LIMIT, "pax header at byte %llu: path longer than %zu bytes",
                        (unsigned long long)at, WCR_TAR_MAX_NAME);
        if (!global && is_link && pax_set_text(&t->pax_link, &t->has_pax_link, v, vlen) < 0)
            return fail(t, err, WCR_E_LIMIT, "pax header at byte %llu: linkpath longer than %zu bytes",
                        (unsigned long long)at, WCR_TAR_MAX_NAME);
        pos += len;
    }
    return 0;
}

/* A metadata payload is complete: apply it to the coming entry. */
static int apply_meta(wcr_tar *t, wcr_err *err)
{
    if (t->meta_type == 'x' || t->meta_type == 'g')
        return parse_pax(t, t->meta_type == 'g', err);
    /* 'L' or 'K': the name, NUL-terminated (usually). */
    const char *p = t->meta.data ? t->meta.data : "";
    size_t n = strnlen(p, t->meta.len);
    bool name = t->meta_type == 'L';
    wcr_buf *b = name ? &t->long_name : &t->long_link;
    wcr_buf_reset(b);
    if (n > WCR_TAR_MAX_NAME || wcr_buf_append(b, p, n) < 0)
        return fail(t, err, WCR_E_LIMIT, "header at byte %llu: long %s of more than %zu bytes",
                    (unsigned long long)t->meta_offset, name ? "name" : "link name", WCR_TAR_MAX_NAME);
    *(name ? &t->has_long_name : &t->has_long_link) = true;
    return 0;
}

static wcr_tar_type type_of(char flag)
{
    switch (flag) {
    case '0': case '\0': case '7': return WCR_TAR_FILE;
    case '1': return WCR_TAR_HARDLINK;
    case '2': return WCR_TAR_SYMLINK;
    case '3': return WCR_TAR_CHAR;
    case '4': return WCR_TAR_BLOCKDEV;
    case '5': return WCR_TAR_DIR;
    case '6': return WCR_TAR_FIFO;
    default: return WCR_TAR_OTHER;
    }
}

/* Build the entry from the header block and the overrides before it. */
static int make_entry(wcr_tar *t, uint64_t size, wcr_err *err)
{
    const uint8_t *b = t->block;
    wcr_tar_entry *e = &t->entry;
    memset(e, 0, sizeof *e);
    e->typeflag = (char)b[F_TYPE];
    e->type = type_of(e->typeflag);
    e->offset = t->entry_offset;
    wcr_buf_reset(&t->name);
    wcr_buf_reset(&t->link);
    if (t->has_pax_path) {
        wcr_buf_append(&t->name, t->pax_path.data, t->pax_path.len);
    } else if (t->has_long_name) {
        wcr_buf_append(&t->name, t->long_name.data, t->long_name.len);
    } else {
        /* The prefix field is POSIX ustar's; GNU keeps other data there. */
        size_t plen = memcmp(b + F_MAGIC, "ustar\0", 6) == 0 ? field_len(b, F_PREFIX) : 0;
        if (plen) {
            wcr_buf_append(&t->name, b + OFF_PREFIX, plen);
            wcr_buf_putc(&t->name, '/');
        }
        wcr_buf_append(&t->name, b, field_len(b, F_NAME));
    }
    if (t->has_pax_link)
        wcr_buf_append(&t->link, t->pax_link.data, t->pax_link.len);
    else if (t->has_long_link)
        wcr_buf_append(&t->link, t->long_link.data, t->long_link.len);
    else
        wcr_buf_append(&t->link, b + OFF_LINK, field_len(b, F_LINK));
    if (wcr_buf_check(&t->name, NULL) < 0 || wcr_buf_check(&t->link, NULL) < 0)
        return fail(t, err, WCR_E_NOMEM, "entry at byte %llu: out of memory",
                    (unsigned long long)t->entry_offset);
    uint64_t mode = 0, mtime = 0;
    if (parse_num(b, F_MODE, &mode) == 0)
        e->mode = (uint32_t)(mode & 07777);
    if (parse_num(b, F_MTIME, &mtime) == 0 && mtime <= INT64_MAX)
        e->mtime = (int64_t)mtime;
    if (t->has_pax_size)
        size = t->pax_size;
    /* Links, directories, devices and FIFOs have no data (POSIX). */
    if (e->type != WCR_TAR_FILE && e->type != WCR_TAR_OTHER)
        size = 0;
    e->size = size;
    e->name = wcr_buf_cstr(&t->name);
    e->linkname = e->type == WCR_TAR_HARDLINK || e->type == WCR_TAR_SYMLINK ? wcr_buf_cstr(&t->link) : "";
    t->has_long_name = t->has_long_link = t->has_pax_path = t->has_pax_link = t->has_pax_size = false;
    t->in_entry = false;
    t->remaining = t->data_size = size;
    t->state = WCR_TAR_ST_DATA;
    return 0;
}

/* A complete header block. Sets ev for an entry or the end. */
static int on_header(wcr_tar *t, wcr_tar_event *ev, wcr_err *err)
{
    const uint8_t *b = t->block;
    uint64_t at = t->offset - WCR_TAR_BLOCK;
    if (all_zero(b)) {
        if (t->in_entry)
            return fail(t, err, WCR_E_PARSE, "the metadata header at byte %llu belongs to no entry",
                        (unsigned long long)t->entry_offset);
        t->state = WCR_TAR_ST_END;
        ev->kind = WCR_TAR_END;
        return 0;
    }
    if (!checksum_ok(b))
        return fail(t, err, WCR_E_PARSE, "header at byte %llu: checksum mismatch (%s)",
                    (unsigned long long)at, at == 0 ? "not a tar archive?" : "corrupt archive");
    uint64_t size;
    if (parse_num(b, F_SIZE, &size) < 0 || size > INT64_MAX)
        return fail(t, err, WCR_E_PARSE, "header at byte %llu: invalid size field", (unsigned long long)at);
    char flag = (char)b[F_TYPE];
    /* A global header stands alone; the others belong to the next entry. */
    if (!t->in_entry && flag != 'g') {
        t->entry_offset = at;
        t->in_entry = true;
    }
    t->meta_offset = at;
    if (flag == 'L' || flag == 'K' || flag == 'x' || flag == 'g') {
        size_t cap = flag == 'x' || flag == 'g' ? WCR_TAR_MAX_PAX : WCR_TAR_MAX_NAME + 1;
        if (size > cap)
            return fail(t, err, WCR_E_LIMIT, "header at byte %llu: %s of %llu bytes exceeds the limit of %zu",
                        (unsigned long long)at, flag == 'x' || flag == 'g' ? "pax header" : "long name",
                        (unsigned long long)size, cap);
        t->meta_type = flag;
        t->meta_size = t->remaining = size;
        wcr_buf_reset(&t->meta);
        t->state = WCR_TAR_ST_META;
        return 0;
    }
    if (flag == 'S')
        return fail(t, err, WCR_E_UNSUPPORTED, "entry at byte %llu: GNU sparse files are not supported",
                    (unsigned long long)at);
    if (make_entry(t, size, err) < 0)
        return -1;
    ev->kind = WCR_TAR_HEADER;
    ev->entry = &t->entry;
    return 0;
}

int wcr_tar_next(wcr_tar *t, const void *in, size_t len, size_t *used, wcr_tar_event *ev,
                 wcr_err *err)
{
    const uint8_t *p = in;
    size_t off = 0;
    memset(ev, 0, sizeof *ev);
    *used = 0;
    if (t->state == WCR_TAR_ST_FAILED)
        return wcr_err_set(err, t->failed, "tar: %s", t->why ? t->why : "out of memory");
    while (ev->kind == WCR_TAR_NEED_MORE) {
        size_t avail = len - off, take;
        switch (t->state) {
        case WCR_TAR_ST_HEADER:
            take = WCR_TAR_BLOCK - t->have < avail ? WCR_TAR_BLOCK - t->have : avail;
            if (take)
                memcpy(t->block + t->have, p + off, take);
            t->have += take;
            off += take;
            t->offset += take;
            if (t->have < WCR_TAR_BLOCK)
                goto out;
            t->have = 0;
            if (on_header(t, ev, err) < 0)
                goto failed;
            break;
        case WCR_TAR_ST_META:
            take = t->remaining < avail ? (size_t)t->remaining : avail;
            if (take && wcr_buf_append(&t->meta, p + off, take) < 0) {
                fail(t, err, WCR_E_NOMEM, "out of memory");
                goto failed;
            }
            off += take;
            t->offset += take;
            t->remaining -= take;
            if (t->remaining)
                goto out;
            if (apply_meta(t, err) < 0)
                goto failed;
            t->remaining = padding(t->meta_size);
            t->state = WCR_TAR_ST_PAD;
            break;
        case WCR_TAR_ST_DATA:
            if (t->remaining == 0) {
                ev->kind = WCR_TAR_ENTRY_END;
                ev->entry = &t->entry;
                t->remaining = padding(t->data_size);
                t->state = WCR_TAR_ST_PAD;
                break;
            }
            if (avail == 0)
                goto out;
            take = t->remaining < avail ? (size_t)t->remaining : avail;
            ev->kind = WCR_TAR_DATA;
            ev->entry = &t->entry;
            ev->data = p + off;
            ev->len = take;
            off += take;
            t->offset += take;
            t->remaining -= take;
            break;
        case WCR_TAR_ST_PAD:
            take = t->remaining < avail ? (size_t)t->remaining : avail;
            off += take;
            t->offset += take;
            t->remaining -= take;
            if (t->remaining)
                goto out;
            t->state = WCR_TAR_ST_HEADER;
            break;
        case WCR_TAR_ST_END:
            t->offset += avail;
            off = len;
            goto out;
        case WCR_TAR_ST_FAILED:
            goto failed;
        }
    }
out:
    *used = off;
    return 0;
failed:
    memset(ev, 0, sizeof *ev);
    *used = off;
    return -1;
}

int wcr_tar_finish(wcr_tar *t, wcr_err *err)
{
    char name[120];
    unsigned long long at = (unsigned long long)t->offset;
    switch (t->state) {
    case WCR_TAR_ST_END:
        return 0;
    case WCR_TAR_ST_FAILED:
        return wcr_err_set(err, t->failed, "tar: %s", t->why ? t->why : "out of memory");
    case WCR_TAR_ST_HEADER:
        if (t->have)
            return fail(t, err, WCR_E_PARSE, "truncated: the archive ends at byte %llu inside a header", at);
        if (t->in_entry)
            return fail(t, err, WCR_E_PARSE,
                        "truncated: the archive ends at byte %llu after a metadata header", at);
        return fail(t, err, WCR_E_PARSE,
                    "truncated: the archive ends at byte %llu without its end-of-archive block", at);
    case WCR_TAR_ST_META:
        return fail(t, err, WCR_E_PARSE, "truncated: the archive ends at byte %llu inside a metadata header",
                    at);
    case WCR_TAR_ST_DATA:
        show_name(name, sizeof name, wcr_buf_cstr(&t->name));
        return fail(t, err, WCR_E_PARSE,
                    "truncated: the archive ends at byte %llu inside \"%s\" (%llu of its %llu bytes)", at,
                    name, (unsigned long long)(t->data_size - t->remaining),
                    (unsigned long long)t->data_size);
    case WCR_TAR_ST_PAD:
        return fail(t, err, WCR_E_PARSE, "truncated: the archive ends at byte %llu inside padding", at);
    }
    return fail(t, err, WCR_E_INTERNAL, "bad state");
}
