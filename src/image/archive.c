/* Image archives: the file, through gzip when it is compressed, through
 * the tar reader, to the scan (first pass) or the caller (second pass). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gzip.h"
#include "core/str.h"
#include "core/tar.h"
#include "image/archive.h"
#include "image/quote.h"
#include "os/os.h"

/* A link to a link to ... is followed this far (a loop ends). */
#define ARCHIVE_MAX_LINK_HOPS 8

#define READ_CHUNK ((size_t)256 << 10)

/* ---- names ---------------------------------------------------------------- */

/* Without the "./" that `tar -C dir -cf x.tar .` puts in front. */
static const char *strip_dot(const char *s)
{
    while (s[0] == '.' && (s[1] == '/' || s[1] == '\0')) {
        s += s[1] ? 2 : 1;
        while (*s == '/')
            s++;
    }
    return s;
}

static int name_error(const char *what, const char *name, const char *why, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, name, strlen(name));
    return wcr_err_set(err, WCR_E_INVALID, "%s %s %s", what, q, why);
}

int wcr_archive_check_name(const char *name, const char *what, wcr_err *err)
{
    const char *s = strip_dot(name);
    if (s[0] == '/')
        return name_error(what, name, "has an absolute path", err);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return name_error(what, name, "has control characters in its name", err);
    if (strchr(s, '\\'))
        return name_error(what, name, "holds a backslash (a path separator on Windows)", err);
    if (((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) && s[1] == ':')
        return name_error(what, name, "names a drive", err);
    for (const char *c = s; *c;) {
        size_t n = strcspn(c, "/");
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return name_error(what, name, "climbs out of the archive with \"..\"", err);
        c += n;
        while (*c == '/')
            c++;
    }
    return 0;
}

/* ---- reading: file -> gzip -> tar -> callbacks ------------------------------ */

typedef struct walk_fns {
    void *ud;
    int (*header)(void *ud, const wcr_tar_entry *e, bool *want, wcr_err *err);
    int (*data)(void *ud, const void *data, size_t len, wcr_err *err);
    int (*end)(void *ud, wcr_err *err);
    wcr_archive_cancel_fn cancelled;
    void *cancel_ud;
} walk_fns;

static int feed_tar(wcr_tar *t, const uint8_t *p, size_t n, const walk_fns *f, bool *want,
                    wcr_err *err)
{
    size_t off = 0, used;
    wcr_tar_event ev;
    for (;;) {
        if (wcr_tar_next(t, p + off, n - off, &used, &ev, err) < 0)
            return -1;
        off += used;
        int rc = 0;
        switch (ev.kind) {
        case WCR_TAR_NEED_MORE:
            return 0;
        case WCR_TAR_HEADER:
            *want = false;
            rc = f->header(f->ud, ev.entry, want, err);
            break;
        case WCR_TAR_DATA:
            rc = *want ? f->data(f->ud, ev.data, ev.len, err) : 0;
            break;
        case WCR_TAR_ENTRY_END:
            rc = *want ? f->end(f->ud, err) : 0;
            *want = false;
            break;
        case WCR_TAR_END:
            break;
        }
        if (rc < 0)
            return -1;
    }
}

/* What the first bytes say: gzip (*g made), plain tar, or a compression
 * wcr does not read. */
static int detect(const uint8_t *p, size_t n, wcr_gunzip **g, wcr_err *err)
{
    if (n == 0)
        return wcr_err_set(err, WCR_E_INVALID, "the file is empty");
    if (wcr_gzip_magic(p, n))
        return (*g = wcr_gunzip_new(err)) ? 0 : -1;
    static const struct { const char *magic; size_t len; const char *name, *tool; } other[] = {
        { "BZh", 3, "bzip2", "bunzip2" },
        { "\xfd" "7zXZ\0", 6, "xz", "unxz" },
        { "\x28\xb5\x2f\xfd", 4, "zstd", "unzstd" },
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (n >= other[i].len && memcmp(p, other[i].magic, other[i].len) == 0)
            return wcr_err_set(err, WCR_E_UNSUPPORTED,
                               "%s-compressed archives are not supported (plain or gzip'd tar only; "
                               "decompress it with %s first)", other[i].name, other[i].tool);
    return 0;
}

static int walk(const char *path, bool *gzip, const walk_fns *f, wcr_err *err)
{
    wcr_os_file *file = wcr_os_file_open(path, err);
    if (!file)
        return -1;
    uint8_t *in = malloc(READ_CHUNK), *out = malloc(READ_CHUNK);
    wcr_tar t;
    wcr_tar_init(&t);
    wcr_gunzip *g = NULL;
    bool first = true, want = false;
    int rc = in && out ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    while (rc == 0) {
        if (f->cancelled && f->cancelled(f->cancel_ud)) {
            rc = wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
            break;
        }
        size_t got;
        if ((rc = wcr_os_file_read(file, in, READ_CHUNK, &got, err)) < 0)
            break;
        if (first) {
            first = false;
            if ((rc = detect(in, got, &g, err)) < 0)
                break;
            *gzip = g != NULL;
        }
        if (got == 0)
            break;
        if (!g) {
            rc = feed_tar(&t, in, got, f, &want, err);
            continue;
        }
        size_t off = 0, used, made;
        do {
            rc = wcr_gunzip_run(g, in + off, got - off, &used, out, READ_CHUNK, &made, err);
            off += used;
            if (rc == 0 && made)
                rc = feed_tar(&t, out, made, f, &want, err);
        } while (rc == 0 && (off < got || made == READ_CHUNK));
    }
    if (rc == 0 && g)
        rc = wcr_gunzip_finish(g, err);
    if (rc == 0)
        rc = wcr_tar_finish(&t, err);
    wcr_gunzip_free(g);
    wcr_tar_dispose(&t);
    free(in);
    free(out);
    wcr_os_file_close(file);
    return rc;
}

/* ---- the first pass ----------------------------------------------------------- */

typedef struct scan_state {
    wcr_archive *a;
    size_t cap;
    wcr_os_sha256 *h;
    wcr_archive_entry *cur;
    size_t link_cap;
    wcr_buf doc;
    bool keeping, started;
} scan_state;

static int refuse_type(const wcr_tar_entry *e, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, e->name, strlen(e->name));
    if (e->type == WCR_TAR_OTHER)
        return wcr_err_set(err, WCR_E_INVALID,
                           "archive entry %s has type '%c', which an image archive never holds; refused", q,
                           e->typeflag >= 0x20 && e->typeflag < 0x7f ? e->typeflag : '?');
    return wcr_err_set(err, WCR_E_INVALID,
                       "archive entry %s is a %s, which an image archive never holds; refused", q,
                       wcr_tar_type_name(e->type));
}

static wcr_archive_entry *find_file(const wcr_archive *a, const char *name);

/* Where a link points, as a path from the archive's top: a symbolic
 * link's target is relative to the link's directory, a hard link's to the
 * top. NULL, with the error, when that is outside the archive. */
static char *link_target(const wcr_tar_entry *e, const char *name, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE], l[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, e->name, strlen(e->name));
    img_quote(l, sizeof l, e->linkname, strlen(e->linkname));
    const char *kind = wcr_tar_type_name(e->type);
    if (e->linkname[0] == '/') {
        wcr_err_set(err, WCR_E_INVALID, "archive entry %s is a %s to %s, outside the archive; refused", q, kind, l);
        return NULL;
    }
    const char *dir_end = e->type == WCR_TAR_SYMLINK ? strrchr(name, '/') : NULL;
    size_t dir_len = dir_end ? (size_t)(dir_end - name) : 0;
    char *joined = wcr_asprintf("%.*s%s%s", (int)dir_len, name, dir_len ? "/" : "", e->linkname);
    char *out = joined ? malloc(strlen(joined) + 1) : NULL;
    if (!out) {
        free(joined);
        wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        return NULL;
    }
    /* Walk the components: "." stays, ".." goes up, never above the top. */
    size_t len = 0;
    bool outside = false;
    for (char *part = joined, *next; part && !outside; part = next) {
        next = strchr(part, '/');
        if (next)
            *next++ = '\0';
        if (!part[0] || strcmp(part, ".") == 0)
            continue;
        if (strcmp(part, "..") == 0) {
            if (len == 0)
                outside = true;
            while (len > 0 && out[--len] != '/')
                ;
            continue;
        }
        len += (size_t)sprintf(out + len, "%s%s", len ? "/" : "", part);
    }
    out[len] = '\0';
    free(joined);
    /* What is left must be a name a file of the archive could have. */
    if (outside || !len || wcr_archive_check_name(out, "link target", NULL) < 0) {
        free(out);
        wcr_err_set(err, WCR_E_INVALID, "archive entry %s is a %s to %s, outside the archive; refused", q, kind, l);
        return NULL;
    }
    return out;
}

/* Room for one more entry or link in array (n used of *cap), within the
 * archive's limit on files: the array, moved if it grew, or NULL with err
 * (the old array is still valid then). */
static void *room_for_one(const wcr_archive *a, void *array, size_t n, size_t *cap, size_t size, wcr_err *err)
{
    if (a->n + a->nlinks >= WCR_ARCHIVE_MAX_ENTRIES) {
        wcr_err_set(err, WCR_E_LIMIT, "more than %d files in the archive", WCR_ARCHIVE_MAX_ENTRIES);
        return NULL;
    }
    if (n < *cap)
        return array;
    size_t grown_cap = *cap ? *cap * 2 : 32;
    void *grown = realloc(array, grown_cap * size);
    if (!grown) {
        wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        return NULL;
    }
    *cap = grown_cap;
    return grown;
}

static int scan_link(scan_state *s, const wcr_tar_entry *e, const char *name, wcr_err *err)
{
    wcr_archive *a = s->a;
    wcr_archive_link *links = room_for_one(a, a->links, a->nlinks, &s->link_cap, sizeof *links, err);
    if (!links)
        return -1;
    a->links = links;
    char *target = link_target(e, name, err);
    if (!target)
        return -1;
    wcr_archive_link *k = &a->links[a->nlinks];
    if (!(k->name = wcr_strdup(name))) {
        free(target);
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    }
    k->target = target;
    a->nlinks++;
    return 0;
}

static int scan_header(void *ud, const wcr_tar_entry *e, bool *want, wcr_err *err)
{
    scan_state *s = ud;
    if (wcr_archive_check_name(e->name, "archive entry", err) < 0)
        return -1;
    if (e->type == WCR_TAR_DIR)
        return 0;
    const char *name = strip_dot(e->name);
    if ((e->type == WCR_TAR_SYMLINK || e->type == WCR_TAR_HARDLINK) && name[0])
        return scan_link(s, e, name, err);
    if (e->type != WCR_TAR_FILE)
        return refuse_type(e, err);
    if (!name[0])
        return name_error("archive entry", e->name, "is a file without a name", err);
    wcr_archive *a = s->a;
    wcr_archive_entry *entries = room_for_one(a, a->entries, a->n, &s->cap, sizeof *entries, err);
    if (!entries)
        return -1;
    a->entries = entries;
    wcr_archive_entry *x = &a->entries[a->n];
    memset(x, 0, sizeof *x);
    x->blob = -1;
    if (!(x->name = wcr_strdup(name)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    a->n++;
    x->size = e->size;
    s->cur = x;
    s->keeping = s->started = false;
    wcr_buf_reset(&s->doc);
    wcr_os_sha256_reset(s->h);
    *want = true;
    return 0;
}

static int scan_data(void *ud, const void *data, size_t len, wcr_err *err)
{
    scan_state *s = ud;
    wcr_archive_entry *x = s->cur;
    const uint8_t *p = data;
    if (!s->started) {
        s->started = true;
        /* A document is JSON: it starts with '{', '[' or white space. */
        bool json = p[0] == '{' || p[0] == '[' || p[0] == ' ' || p[0] == '\n' || p[0] == '\r' || p[0] == '\t';
        if (json && x->size <= WCR_ARCHIVE_MAX_DOC) {
            if (s->a->kept + x->size > WCR_ARCHIVE_MAX_KEPT) {
                x->dropped = true;
            } else {
                s->keeping = true;
                s->a->kept += x->size;
            }
        }
    }
    for (size_t i = 0; i < len && x->nhead < sizeof x->head; i++)
        x->head[x->nhead++] = p[i];
    wcr_os_sha256_update(s->h, data, len);
    if (s->keeping && wcr_buf_append(&s->doc, data, len) < 0)
        return wcr_buf_check(&s->doc, err);
    return 0;
}

static int scan_end(void *ud, wcr_err *err)
{
    scan_state *s = ud;
    uint8_t sum[32];
    wcr_os_sha256_final(s->h, sum);
    wcr_digest_sha256_format(sum, s->cur->digest);
    if (s->keeping && !(s->cur->data = wcr_buf_detach(&s->doc, NULL)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    return 0;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(((const wcr_archive_entry *)x)->name, ((const wcr_archive_entry *)y)->name);
}

static int link_by_name(const void *x, const void *y)
{
    return strcmp(((const wcr_archive_link *)x)->name, ((const wcr_archive_link *)y)->name);
}

static wcr_archive_link *find_link(const wcr_archive *a, const char *name)
{
    wcr_archive_link key = { (char *)name, NULL };
    return a->nlinks ? bsearch(&key, a->links, a->nlinks, sizeof *a->links, link_by_name) : NULL;
}

int wcr_archive_scan(wcr_archive *a, const char *path, wcr_archive_cancel_fn cancelled, void *ud,
                     wcr_err *err)
{
    memset(a, 0, sizeof *a);
    scan_state s = { .a = a };
    wcr_buf_init(&s.doc, "archive document", WCR_ARCHIVE_MAX_DOC);
    walk_fns f = { &s, scan_header, scan_data, scan_end, cancelled, ud };
    int rc = 0;
    if (!(a->path = wcr_strdup(path)))
        rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    if (rc == 0 && !(s.h = wcr_os_sha256_new(err)))
        rc = -1;
    if (rc == 0)
        rc = walk(path, &a->gzip, &f, err);
    if (rc == 0 && a->n)
        qsort(a->entries, a->n, sizeof *a->entries, by_name);
    for (size_t i = 1; rc == 0 && i < a->n; i++)
        if (strcmp(a->entries[i - 1].name, a->entries[i].name) == 0)
            rc = name_error("archive entry", a->entries[i].name, "appears twice", err);
    if (rc == 0 && a->nlinks)
        qsort(a->links, a->nlinks, sizeof *a->links, link_by_name);
    for (size_t i = 0; rc == 0 && i < a->nlinks; i++)
        if ((i > 0 && strcmp(a->links[i - 1].name, a->links[i].name) == 0) ||
            find_file(a, a->links[i].name))
            rc = name_error("archive entry", a->links[i].name, "appears twice", err);
    wcr_buf_dispose(&s.doc);
    wcr_os_sha256_free(s.h);
    if (rc < 0)
        wcr_archive_dispose(a);
    return rc;
}

void wcr_archive_dispose(wcr_archive *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->entries[i].name);
        free(a->entries[i].data);
    }
    free(a->entries);
    for (size_t i = 0; i < a->nlinks; i++) {
        free(a->links[i].name);
        free(a->links[i].target);
    }
    free(a->links);
    free(a->path);
    memset(a, 0, sizeof *a);
}

static wcr_archive_entry *find_file(const wcr_archive *a, const char *name)
{
    wcr_archive_entry key = { 0 };
    key.name = (char *)name;
    if (!a->n)
        return NULL;
    return bsearch(&key, a->entries, a->n, sizeof *a->entries, by_name);
}

wcr_archive_entry *wcr_archive_find(const wcr_archive *a, const char *name)
{
    name = strip_dot(name);
    /* A link to a link is followed; a loop ends after a few hops. */
    for (int hops = 0; hops < ARCHIVE_MAX_LINK_HOPS; hops++) {
        wcr_archive_entry *e = find_file(a, name);
        if (e)
            return e;
        const wcr_archive_link *k = find_link(a, name);
        if (!k)
            return NULL;
        name = k->target;
    }
    return NULL;
}

/* ---- the second pass ------------------------------------------------------------ */

typedef struct stream_state {
    const wcr_archive *a;
    const wcr_archive_visitor *v;
} stream_state;

static int stream_header(void *ud, const wcr_tar_entry *e, bool *want, wcr_err *err)
{
    stream_state *s = ud;
    if (e->type == WCR_TAR_DIR || e->type == WCR_TAR_SYMLINK || e->type == WCR_TAR_HARDLINK)
        return 0;
    wcr_archive_entry *x = e->type == WCR_TAR_FILE ? wcr_archive_find(s->a, e->name) : NULL;
    if (!x || x->size != e->size)
        return name_error("archive entry", e->name, "is not what it was when first read: the file changed",
                          err);
    int rc = s->v->begin(s->v->ud, x, err);
    *want = rc == 1;
    return rc < 0 ? -1 : 0;
}

static int stream_data(void *ud, const void *data, size_t len, wcr_err *err)
{
    stream_state *s = ud;
    return s->v->data(s->v->ud, data, len, err);
}

static int stream_end(void *ud, wcr_err *err)
{
    stream_state *s = ud;
    return s->v->end(s->v->ud, err);
}

int wcr_archive_stream(const wcr_archive *a, const wcr_archive_visitor *v, wcr_err *err)
{
    stream_state s = { a, v };
    walk_fns f = { &s, stream_header, stream_data, stream_end, v->cancelled, v->ud };
    bool gzip = false;
    int rc = walk(a->path, &gzip, &f, err);
    if (rc == 0 && gzip != a->gzip)
        rc = wcr_err_set(err, WCR_E_INVALID, "the file changed while it was read");
    return rc;
}
