/* Tests of src/image/archive.c (reading image archives twice, refusing
 * what they must not hold) and of the import's planning
 * (src/image/import_plan.c, import_docker.c): archives built here, written
 * to temporary files, no containerd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/json.h"
#include "core/str.h"
#include "image/digest.h"
#include "image/import_internal.h"
#include "os/os.h"
#include "tar_build.h"
#include "test.h"

static char *temp_file(const wcr_buf *data)
{
    static unsigned counter;
    char *dir = wcr_os_temp_dir(NULL);
    char *path = dir ? wcr_asprintf("%s%cwcr-test-import-%lu-%u.tar", dir, wcr_os_path_sep(), wcr_os_pid(),
                                    counter++)
                     : NULL;
    free(dir);
    if (path && wcr_os_write_file_atomic(path, data->data, data->len, 0644, NULL) < 0) {
        free(path);
        path = NULL;
    }
    return path;
}

static void drop_file(char *path)
{
    if (path)
        wcr_os_remove_file(path, NULL);
    free(path);
}

static void digest_of(const char *s, size_t n, char out[WCR_DIGEST_SHA256_LEN + 1])
{
    wcr_digest_sha256(s, n, out, NULL);
}

/* ---- names ------------------------------------------------------------------ */

TEST(names_that_could_escape_are_refused)
{
    static const char *const ok[] = { "index.json", "./blobs/sha256/ab", "a/b..c", "..a", "a/..b", "./", "" ,
                                      "caf\xc3\xa9" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        CHECK_INT(wcr_archive_check_name(ok[i], "entry", NULL), 0);
    static const char *const bad[][2] = {
        { "/etc/x", "entry \"/etc/x\" has an absolute path" },
        { "./../evil", "entry \"./../evil\" climbs out of the archive with \"..\"" },
        { "a/../../b", "climbs out" },
        { "a/..", "climbs out" },
        { "..", "climbs out" },
        { "a\\..\\b", "holds a backslash" },
        { "C:x", "names a drive" },
        { "a\nb", "entry \"a\\x0ab\" has control characters in its name" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wcr_err err = WCR_ERR_INIT;
        CHECK_INT(wcr_archive_check_name(bad[i][0], "entry", &err), -1);
        CHECK_INT(err.code, WCR_E_INVALID);
        if (!err.msg || !strstr(err.msg, bad[i][1]))
            test_fail(__FILE__, __LINE__, "%s: %s", bad[i][0], err.msg ? err.msg : "");
        wcr_err_dispose(&err);
    }
}

/* ---- scanning and streaming --------------------------------------------------- */

static void gzip_buf(const wcr_buf *in, wcr_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return;
    size_t bound = deflateBound(&z, (uLong)in->len);
    wcr_buf_reserve(out, bound);
    z.next_in = (Bytef *)in->data;
    z.avail_in = (uInt)in->len;
    z.next_out = (Bytef *)out->data;
    z.avail_out = (uInt)bound;
    if (deflate(&z, Z_FINISH) == Z_STREAM_END)
        out->len = bound - z.avail_out;
    deflateEnd(&z);
}

/* Blobs first, index.json last, with "./" and directories, as tar -C dir . */
static void sample_archive(wcr_buf *a)
{
    tb_header(a, "./", '5', 0, NULL);
    tb_header(a, "./blobs/", '5', 0, NULL);
    tb_file(a, "./blobs/big", "\x1f\x8b\x08rest", 7);
    tb_file(a, "./blobs/doc.json", " {\"a\": 1}", 9);
    tb_file(a, "./empty", "", 0);
    tb_file(a, "./index.json", "{\"schemaVersion\":2}", 19);
    tb_end(a);
}

static void check_sample(const wcr_archive *arc)
{
    REQUIRE(arc->n == 4);
    CHECK_STR(arc->entries[0].name, "blobs/big"); /* sorted */
    CHECK_STR(arc->entries[1].name, "blobs/doc.json");
    CHECK_STR(arc->entries[2].name, "empty");
    CHECK_STR(arc->entries[3].name, "index.json");
    char d[WCR_DIGEST_SHA256_LEN + 1];
    digest_of("\x1f\x8b\x08rest", 7, d);
    CHECK_STR(arc->entries[0].digest, d);
    CHECK_INT(arc->entries[0].nhead, 4);
    CHECK(memcmp(arc->entries[0].head, "\x1f\x8b\x08r", 4) == 0);
    CHECK(arc->entries[0].data == NULL); /* not JSON: not kept */
    CHECK_STR(arc->entries[1].data, " {\"a\": 1}");
    digest_of("", 0, d);
    CHECK_STR(arc->entries[2].digest, d);
    CHECK_STR(arc->entries[3].data, "{\"schemaVersion\":2}");
    CHECK(wcr_archive_find(arc, "./index.json") == &arc->entries[3]);
    CHECK(wcr_archive_find(arc, "blobs") == NULL);
    CHECK_INT(arc->entries[3].blob, -1);
}

TEST(scan_lists_files_with_digests_and_keeps_documents)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), gz = WCR_BUF_INIT("gz", 1 << 20);
    sample_archive(&a);
    char *plain = temp_file(&a);
    gzip_buf(&a, &gz);
    char *packed = temp_file(&gz);
    REQUIRE(plain && packed);
    wcr_archive arc;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_archive_scan(&arc, plain, NULL, NULL, &err), 0);
    CHECK(!arc.gzip);
    check_sample(&arc);
    wcr_archive_dispose(&arc);
    CHECK_INT(wcr_archive_scan(&arc, packed, NULL, NULL, &err), 0);
    CHECK(arc.gzip);
    check_sample(&arc);
    wcr_archive_dispose(&arc);
    wcr_archive_dispose(NULL);
    wcr_err_dispose(&err);
    drop_file(plain);
    drop_file(packed);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&gz);
}

static void expect_scan_error(const wcr_buf *a, wcr_err_code code, const char *needle)
{
    char *path = temp_file(a);
    REQUIRE(path);
    wcr_archive arc;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_archive_scan(&arc, path, NULL, NULL, &err), -1);
    CHECK_INT(err.code, code);
    if (!err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, __LINE__, "\"%s\" lacks \"%s\"", err.msg ? err.msg : "", needle);
    CHECK(arc.n == 0 && arc.entries == NULL);
    wcr_err_dispose(&err);
    drop_file(path);
}

TEST(scan_refuses_links_devices_escapes_and_duplicates_by_name)
{
    static const struct { const char *name; char type; const char *link; const char *msg; } cases[] = {
        { "bin/sh", '2', "/bin/busybox",
          "archive entry \"bin/sh\" is a symbolic link to \"/bin/busybox\", outside the archive; refused" },
        { "a/up", '2', "../../x", "archive entry \"a/up\" is a symbolic link to \"../../x\", outside the archive" },
        { "a/top", '2', "..", "archive entry \"a/top\" is a symbolic link to \"..\", outside the archive" },
        { "hard", '1', "../index.json", "archive entry \"hard\" is a hard link to \"../index.json\", outside" },
        { "drive", '2', "C:x", "archive entry \"drive\" is a symbolic link to \"C:x\", outside the archive" },
        { "index.json", '2', "other", "archive entry \"index.json\" appears twice" },
        { "dev/null", '3', NULL,
          "archive entry \"dev/null\" is a character device, which an image archive never holds" },
        { "fifo", '6', NULL, "is a FIFO" },
        { "odd", 'V', NULL, "archive entry \"odd\" has type 'V'" },
        { "../evil", '0', NULL, "archive entry \"../evil\" climbs out of the archive" },
        { "/etc/x", '5', NULL, "archive entry \"/etc/x\" has an absolute path" },
        { "./", '0', NULL, "archive entry \"./\" is a file without a name" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
        tb_file(&a, "index.json", "{}", 2);
        tb_header(&a, cases[i].name, cases[i].type, 0, cases[i].link);
        tb_end(&a);
        expect_scan_error(&a, WCR_E_INVALID, cases[i].msg);
        wcr_buf_dispose(&a);
    }
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_file(&a, "./index.json", "{}", 2);
    tb_file(&a, "index.json", "{}", 2);
    tb_end(&a);
    expect_scan_error(&a, WCR_E_INVALID, "archive entry \"index.json\" appears twice");
    wcr_buf_reset(&a);
    tb_file(&a, "index.json", "{}", 2);
    expect_scan_error(&a, WCR_E_PARSE, "tar: truncated");
    wcr_buf_reset(&a);
    wcr_buf_append(&a, "\xfd" "7zXZ\0rest", 10);
    expect_scan_error(&a, WCR_E_UNSUPPORTED, "xz-compressed archives are not supported");
    wcr_buf_reset(&a);
    expect_scan_error(&a, WCR_E_INVALID, "the file is empty");
    wcr_buf_dispose(&a);
}

typedef struct seen {
    wcr_buf log;
    const char *skip;
} seen;

static int seen_begin(void *ud, wcr_archive_entry *e, wcr_err *err)
{
    (void)err;
    seen *s = ud;
    wcr_buf_printf(&s->log, "[%s:", e->name);
    return s->skip && strcmp(e->name, s->skip) == 0 ? 0 : 1;
}

static int seen_data(void *ud, const void *data, size_t len, wcr_err *err)
{
    (void)err;
    seen *s = ud;
    return wcr_buf_append(&s->log, data, len);
}

static int seen_end(void *ud, wcr_err *err)
{
    (void)err;
    seen *s = ud;
    return wcr_buf_puts(&s->log, "]");
}

TEST(stream_hands_over_the_wanted_files_in_archive_order)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    sample_archive(&a);
    char *path = temp_file(&a);
    REQUIRE(path);
    wcr_archive arc;
    REQUIRE(wcr_archive_scan(&arc, path, NULL, NULL, NULL) == 0);
    seen s = { WCR_BUF_INIT("log", 4096), "blobs/doc.json" };
    wcr_archive_visitor v = { &s, seen_begin, seen_data, seen_end, NULL };
    CHECK_INT(wcr_archive_stream(&arc, &v, NULL), 0);
    CHECK_STR(wcr_buf_cstr(&s.log),
              "[blobs/big:\x1f\x8b\x08rest][blobs/doc.json:[empty:][index.json:{\"schemaVersion\":2}]");
    /* The file changes between the passes. */
    wcr_buf b = WCR_BUF_INIT("b", 1 << 20);
    tb_file(&b, "blobs/big", "other", 5);
    tb_end(&b);
    REQUIRE(wcr_os_write_file_atomic(path, b.data, b.len, 0644, NULL) == 0);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_archive_stream(&arc, &v, &err), -1);
    CHECK(err.msg && strstr(err.msg, "archive entry \"blobs/big\" is not what it was when first read"));
    wcr_err_dispose(&err);
    wcr_archive_dispose(&arc);
    wcr_buf_dispose(&s.log);
    wcr_buf_dispose(&b);
    wcr_buf_dispose(&a);
    drop_file(path);
}

TEST(links_inside_the_archive_are_aliases_of_their_file)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_file(&a, "a/layer.tar", "layer", 5);
    tb_header(&a, "b/layer.tar", '2', 0, "../a/layer.tar");  /* as docker save writes it */
    tb_header(&a, "./c/layer.tar", '1', 0, "./a/layer.tar"); /* hard: from the top */
    tb_header(&a, "d/x", '2', 0, "./../b/layer.tar");         /* a link to a link */
    tb_header(&a, "loop1", '2', 0, "loop2");
    tb_header(&a, "loop2", '2', 0, "loop1");
    tb_header(&a, "dangling", '2', 0, "nowhere");
    tb_end(&a);
    char *path = temp_file(&a);
    REQUIRE(path);
    wcr_archive arc;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_archive_scan(&arc, path, NULL, NULL, &err) == 0);
    CHECK_INT(arc.n, 1);
    CHECK_INT(arc.nlinks, 6);
    wcr_archive_entry *file = wcr_archive_find(&arc, "a/layer.tar");
    REQUIRE(file);
    CHECK(wcr_archive_find(&arc, "b/layer.tar") == file);
    CHECK(wcr_archive_find(&arc, "./c/layer.tar") == file);
    CHECK(wcr_archive_find(&arc, "d/x") == file);
    CHECK(wcr_archive_find(&arc, "loop1") == NULL);
    CHECK(wcr_archive_find(&arc, "dangling") == NULL);
    /* The second pass hands over the file once and passes the links by. */
    seen s = { WCR_BUF_INIT("log", 4096), NULL };
    wcr_archive_visitor v = { &s, seen_begin, seen_data, seen_end, NULL };
    CHECK_INT(wcr_archive_stream(&arc, &v, NULL), 0);
    CHECK_STR(wcr_buf_cstr(&s.log), "[a/layer.tar:layer]");
    wcr_buf_dispose(&s.log);
    wcr_archive_dispose(&arc);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    drop_file(path);
}

/* ---- planning -------------------------------------------------------------------- */

typedef struct fixture {
    char layer[WCR_DIGEST_SHA256_LEN + 1], config[WCR_DIGEST_SHA256_LEN + 1], manifest[WCR_DIGEST_SHA256_LEN + 1];
    wcr_buf config_json, manifest_json;
    wcr_platform host;
} fixture;

static const char layer_bytes[] = "not really a tar, but the plan does not look";

static void fixture_init(fixture *f, const char *os)
{
    memset(f, 0, sizeof *f);
    wcr_platform_host(&f->host, NULL);
    digest_of(layer_bytes, sizeof layer_bytes - 1, f->layer);
    wcr_buf_init(&f->config_json, "c", 4096);
    wcr_buf_printf(&f->config_json,
                   "{\"architecture\":\"%s\",\"os\":\"%s\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
                   f->host.arch, os ? os : f->host.os, f->layer);
    digest_of(f->config_json.data, f->config_json.len, f->config);
    wcr_buf_init(&f->manifest_json, "m", 4096);
    wcr_buf_printf(&f->manifest_json,
                   "{\"schemaVersion\":2,\"mediaType\":\"" WCR_MT_OCI_MANIFEST "\",\"config\":{\"mediaType\":\""
                   WCR_MT_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\""
                   WCR_MT_OCI_LAYER "\",\"digest\":\"%s\",\"size\":%zu}]}",
                   f->config, f->config_json.len, f->layer, sizeof layer_bytes - 1);
    digest_of(f->manifest_json.data, f->manifest_json.len, f->manifest);
}

static void fixture_dispose(fixture *f)
{
    wcr_buf_dispose(&f->config_json);
    wcr_buf_dispose(&f->manifest_json);
}

static void add_blob_file(wcr_buf *a, const char *digest, const void *data, size_t len)
{
    char name[100];
    snprintf(name, sizeof name, "blobs/sha256/%.64s", digest + 7);
    tb_file(a, name, data, len);
}

/* An OCI layout tar; annotations is JSON object text or NULL. */
static void oci_archive(const fixture *f, const char *annotations, wcr_buf *a)
{
    tb_file(a, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
    add_blob_file(a, f->layer, layer_bytes, sizeof layer_bytes - 1);
    add_blob_file(a, f->config, f->config_json.data, f->config_json.len);
    add_blob_file(a, f->manifest, f->manifest_json.data, f->manifest_json.len);
    wcr_buf idx = WCR_BUF_INIT("i", 4096);
    wcr_buf_printf(&idx, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" WCR_MT_OCI_MANIFEST
                         "\",\"digest\":\"%s\",\"size\":%zu%s%s}]}",
                   f->manifest, f->manifest_json.len, annotations ? ",\"annotations\":" : "",
                   annotations ? annotations : "");
    tb_file(a, "index.json", idx.data, idx.len);
    tb_end(a);
    wcr_buf_dispose(&idx);
}

static int plan(const wcr_buf *a, const wcr_import_options *o, wcr_import **out, wcr_err *err)
{
    char *path = temp_file(a);
    wcr_import_options copy = *o;
    copy.path = path;
    wcr_import *im = path ? wcr_import_new(NULL, &copy, err) : NULL;
    int rc = im ? wcr_archive_scan(&im->arc, path, NULL, NULL, err) : -1;
    if (rc == 0)
        rc = imp_plan(im, err);
    drop_file(path);
    if (im)
        im->o = o; /* copy goes out of scope */
    *out = im;
    return rc;
}

static const imp_blob *blob_of(const wcr_import *im, const char *digest)
{
    for (size_t i = 0; i < im->nblobs; i++)
        if (strcmp(im->blobs[i].digest, digest) == 0)
            return &im->blobs[i];
    return NULL;
}

TEST(plan_of_an_oci_layout_names_images_and_labels_manifests)
{
    fixture f;
    fixture_init(&f, NULL);
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    oci_archive(&f, "{\"org.opencontainers.image.ref.name\":\"busybox:1\"}", &a);
    wcr_import_options o = WCR_IMPORT_OPTIONS_INIT;
    wcr_import *im = NULL;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(plan(&a, &o, &im, &err), 0);
    REQUIRE(im && im->nimages == 1);
    CHECK_STR(im->images[0].name, "docker.io/library/busybox:1");
    CHECK_STR(im->images[0].digest, f.manifest);
    CHECK_STR(im->images[0].media_type, WCR_MT_OCI_MANIFEST);
    CHECK(im->images[0].has_platform);
    CHECK_INT(im->images[0].unpack, strcmp(f.host.os, wcr_os_name()) == 0);
    CHECK_INT(im->nblobs, 3);
    const imp_blob *m = blob_of(im, f.manifest);
    REQUIRE(m && m->entry);
    CHECK_STR(m->kind, "manifest");
    CHECK_STR(wcr_labels_get(&m->labels, "containerd.io/gc.ref.content.config"), f.config);
    CHECK_STR(wcr_labels_get(&m->labels, "containerd.io/gc.ref.content.l.0"), f.layer);
    const imp_blob *l = blob_of(im, f.layer);
    REQUIRE(l && l->entry);
    CHECK_STR(l->kind, "layer");
    CHECK_INT(l->labels.n, 0);
    CHECK(l->entry->blob == (long)(l - im->blobs));
    wcr_import_free(im);

    /* io.containerd.image.name wins over the ref name; --no-unpack. */
    wcr_buf_reset(&a);
    oci_archive(&f, "{\"org.opencontainers.image.ref.name\":\"1\",\"io.containerd.image.name\":\"quay.io/a/b:1\"}",
                &a);
    o.no_unpack = true;
    CHECK_INT(plan(&a, &o, &im, &err), 0);
    REQUIRE(im && im->nimages == 1);
    CHECK_STR(im->images[0].name, "quay.io/a/b:1");
    CHECK(!im->images[0].unpack);
    wcr_import_free(im);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    fixture_dispose(&f);
}

TEST(plan_without_names_asks_for_index_name_which_records_index_json)
{
    fixture f;
    fixture_init(&f, NULL);
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    oci_archive(&f, NULL, &a);
    wcr_import_options o = WCR_IMPORT_OPTIONS_INIT;
    wcr_import *im = NULL;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(plan(&a, &o, &im, &err), -1);
    CHECK(err.msg && strstr(err.msg, "the archive names no image"));
    CHECK(err.hint && strstr(err.hint, "--index-name"));
    wcr_err_dispose(&err);
    wcr_import_free(im);
    o.index_name = "whole:1";
    CHECK_INT(plan(&a, &o, &im, &err), 0);
    REQUIRE(im && im->nimages == 1);
    CHECK_STR(im->images[0].name, "docker.io/library/whole:1");
    CHECK_STR(im->images[0].media_type, WCR_MT_OCI_INDEX);
    CHECK(im->images[0].whole_index);
    const wcr_archive_entry *ie = wcr_archive_find(&im->arc, "index.json");
    REQUIRE(ie);
    CHECK_STR(im->images[0].digest, ie->digest);
    const imp_blob *ib = blob_of(im, ie->digest);
    REQUIRE(ib);
    CHECK_STR(wcr_labels_get(&ib->labels, "containerd.io/gc.ref.content.m.0"), f.manifest);
    CHECK_INT(im->nblobs, 4);
    wcr_import_free(im);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    fixture_dispose(&f);
}

static void expect_plan_error(const wcr_buf *a, const wcr_import_options *o, wcr_err_code code, const char *needle)
{
    wcr_import *im = NULL;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(plan(a, o, &im, &err), -1);
    CHECK_INT(err.code, code);
    if (!err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, __LINE__, "\"%s\" lacks \"%s\"", err.msg ? err.msg : "", needle);
    wcr_err_dispose(&err);
    wcr_import_free(im);
}

TEST(plan_refuses_missing_and_mismatched_blobs)
{
    fixture f;
    fixture_init(&f, NULL);
    wcr_import_options o = WCR_IMPORT_OPTIONS_INIT;
    const char *ann = "{\"org.opencontainers.image.ref.name\":\"bb\"}";
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    /* The layer's file twice. */
    char path[100];
    snprintf(path, sizeof path, "blobs/sha256/%.64s", f.layer + 7);
    tb_file(&a, path, "tampered", 8);
    oci_archive(&f, ann, &a); /* its own copy comes second: a duplicate */
    expect_plan_error(&a, &o, WCR_E_INVALID, "appears twice");
    wcr_buf_reset(&a);
    wcr_buf tampered = WCR_BUF_INIT("t", 1 << 20);
    oci_archive(&f, ann, &tampered);
    /* Flip a byte of the layer's data (the second file's first block). */
    tampered.data[512 + 512 + 512] ^= 1;
    expect_plan_error(&tampered, &o, WCR_E_DIGEST, "does not match its digest: its content hashes to sha256:");
    wcr_buf_dispose(&tampered);
    /* No layer at all. */
    tb_file(&a, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
    add_blob_file(&a, f.config, f.config_json.data, f.config_json.len);
    add_blob_file(&a, f.manifest, f.manifest_json.data, f.manifest_json.len);
    wcr_buf idx = WCR_BUF_INIT("i", 4096);
    wcr_buf_printf(&idx, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" WCR_MT_OCI_MANIFEST
                         "\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":%s}]}",
                   f.manifest, f.manifest_json.len, ann);
    tb_file(&a, "index.json", idx.data, idx.len);
    tb_end(&a);
    expect_plan_error(&a, &o, WCR_E_NOT_FOUND, "index.json: manifests[0]: manifest ");
    expect_plan_error(&a, &o, WCR_E_NOT_FOUND, ": layers[0]: layer sha256:");
    /* Neither layout nor docker save. */
    wcr_buf_reset(&a);
    tb_file(&a, "hello", "hi", 2);
    tb_end(&a);
    expect_plan_error(&a, &o, WCR_E_INVALID, "not an image archive");
    wcr_buf_dispose(&idx);
    wcr_buf_dispose(&a);
    fixture_dispose(&f);
}

TEST(plan_for_another_platform_is_refused_unless_all_platforms)
{
    fixture f;
    fixture_init(&f, strcmp(wcr_os_name(), "linux") == 0 ? "windows" : "linux");
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    oci_archive(&f, "{\"org.opencontainers.image.ref.name\":\"other\"}", &a);
    wcr_import_options o = WCR_IMPORT_OPTIONS_INIT;
    expect_plan_error(&a, &o, WCR_E_PLATFORM, "no image for");
    o.all_platforms = true;
    wcr_import *im = NULL;
    CHECK_INT(plan(&a, &o, &im, NULL), 0);
    REQUIRE(im && im->nimages == 1);
    CHECK(!im->images[0].has_platform && !im->images[0].unpack);
    CHECK_INT(im->nblobs, 3);
    wcr_import_free(im);
    wcr_buf_dispose(&a);
    fixture_dispose(&f);
}

TEST(plan_of_docker_save_makes_a_schema2_manifest)
{
    fixture f;
    fixture_init(&f, NULL);
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_file(&a, "0123abcd/layer.tar", layer_bytes, sizeof layer_bytes - 1);
    tb_file(&a, "0123abcd/VERSION", "1.0", 3);
    char cfgname[100];
    snprintf(cfgname, sizeof cfgname, "%.64s.json", f.config + 7);
    tb_file(&a, cfgname, f.config_json.data, f.config_json.len);
    wcr_buf mj = WCR_BUF_INIT("mj", 4096);
    wcr_buf_printf(&mj,
                   "[{\"Config\":\"%s\",\"RepoTags\":[\"busybox:1\",\"my/bb:2\"],"
                   "\"Layers\":[\"0123abcd/layer.tar\"]}]",
                   cfgname);
    tb_file(&a, "manifest.json", mj.data, mj.len);
    tb_end(&a);
    wcr_import_options o = WCR_IMPORT_OPTIONS_INIT;
    o.index_name = "all";
    wcr_import *im = NULL;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(plan(&a, &o, &im, &err), 0);
    REQUIRE(im && im->nimages == 3);
    CHECK_STR(im->images[0].name, "docker.io/library/busybox:1");
    CHECK_STR(im->images[1].name, "docker.io/my/bb:2");
    CHECK_STR(im->images[2].name, "docker.io/library/all:latest");
    CHECK_STR(im->images[0].media_type, WCR_MT_DOCKER_MANIFEST);
    CHECK_STR(im->images[0].digest, im->images[1].digest);
    const imp_blob *m = blob_of(im, im->images[0].digest);
    REQUIRE(m && m->data && !m->entry);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"schemaVersion\":2,\"mediaType\":\"" WCR_MT_DOCKER_MANIFEST "\",\"config\":{\"mediaType\":\""
             WCR_MT_DOCKER_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\""
             WCR_MT_DOCKER_LAYER "\",\"digest\":\"%s\",\"size\":%zu}]}",
             f.config, f.config_json.len, f.layer, sizeof layer_bytes - 1);
    CHECK_STR(m->data, want);
    char d[WCR_DIGEST_SHA256_LEN + 1];
    digest_of(want, strlen(want), d);
    CHECK_STR(m->digest, d);
    CHECK_STR(wcr_labels_get(&m->labels, "containerd.io/gc.ref.content.l.0"), f.layer);
    const imp_blob *ib = blob_of(im, im->images[2].digest);
    REQUIRE(ib && ib->data);
    CHECK_STR(wcr_labels_get(&ib->labels, "containerd.io/gc.ref.content.m.0"), d);
    wcr_json_doc *doc = NULL;
    CHECK_INT(wcr_json_parse(&doc, ib->data, (size_t)ib->size, NULL, NULL), 0);
    CHECK_STR(wcr_json_get_string(wcr_json_at(wcr_json_get(wcr_json_root(doc), "manifests"), 0), "digest"), d);
    wcr_json_doc_free(doc);
    CHECK(!blob_of(im, f.manifest)); /* the OCI manifest is not in this archive */
    wcr_import_free(im);

    /* A layer that is not the config's diff_id. */
    wcr_buf_reset(&a);
    tb_file(&a, "0123abcd/layer.tar", "other", 5);
    tb_file(&a, cfgname, f.config_json.data, f.config_json.len);
    tb_file(&a, "manifest.json", mj.data, mj.len);
    tb_end(&a);
    o.index_name = NULL;
    expect_plan_error(&a, &o, WCR_E_DIGEST, "manifest.json[0]: Layers[0]: 0123abcd/layer.tar hashes to");
    /* A path in manifest.json that escapes. */
    wcr_buf_reset(&a);
    wcr_buf_reset(&mj);
    wcr_buf_printf(&mj, "[{\"Config\":\"../%s\",\"RepoTags\":[\"x\"],\"Layers\":[]}]", cfgname);
    tb_file(&a, "manifest.json", mj.data, mj.len);
    tb_end(&a);
    expect_plan_error(&a, &o, WCR_E_INVALID, "manifest.json[0]: Config \"../");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&mj);
    wcr_buf_dispose(&a);
    fixture_dispose(&f);
}

TEST_MAIN()
