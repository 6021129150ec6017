/* Tests of src/spec/layers.c: snapshot mounts as containerd's snapshotters
 * return them (and ctr prints them) to layerFolders and overlay dirs. The
 * Windows cases are real `ctr snapshots prepare --mounts` output. */
#include <stdlib.h>
#include <string.h>

#include "spec/layers.h"
#include "test.h"

#define SNAPS "C:\\ProgramData\\containerd\\root\\io.containerd.snapshotter.v1.windows\\snapshots\\"
#define SNAPS_JSON "C:\\\\ProgramData\\\\containerd\\\\root\\\\io.containerd.snapshotter.v1.windows\\\\snapshots\\\\"
#define SNAPS_OPT "C:\\\\\\\\ProgramData\\\\\\\\containerd\\\\\\\\root\\\\\\\\io.containerd.snapshotter.v1.windows\\\\\\\\snapshots\\\\\\\\"

/* servercore:ltsc2022: two parent layers, 24 on 23, and the scratch 25. */
static const char servercore[] =
    "[\r\n"
    "    {\r\n"
    "        \"Type\": \"windows-layer\",\r\n"
    "        \"Source\": \"" SNAPS_JSON "25\",\r\n"
    "        \"Target\": \"\",\r\n"
    "        \"Options\": [\r\n"
    "            \"rw\",\r\n"
    "            \"parentLayerPaths=[\\\"" SNAPS_OPT "24\\\",\\\"" SNAPS_OPT "23\\\"]\"\r\n"
    "        ]\r\n"
    "    }\r\n"
    "]\r\n";

/* nanoserver:ltsc2022: one parent (20), scratch 21. */
static const char nanoserver[] =
    "[{\"Type\":\"windows-layer\",\"Source\":\"" SNAPS_JSON "21\",\"Target\":\"\","
    "\"Options\":[\"rw\",\"parentLayerPaths=[\\\"" SNAPS_OPT "20\\\"]\"]}]";

/* A snapshot prepared with no parent: no parentLayerPaths option. */
static const char parentless[] =
    "[{\"Type\":\"windows-layer\",\"Source\":\"" SNAPS_JSON "14\",\"Target\":\"\",\"Options\":[\"rw\"]}]";

static int parse(wcr_mounts *m, const char *text, wcr_err *err)
{
    return wcr_mounts_parse_json(m, "mounts.json", text, strlen(text), err);
}

static void check_folders(const char *json, const char *const *want, size_t n)
{
    wcr_mounts m;
    wcr_strv f;
    wcr_err err = WCR_ERR_INIT;
    if (parse(&m, json, &err) < 0 || wcr_layers_folders(&f, &m, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        wcr_mounts_dispose(&m);
        return;
    }
    if (f.n != n)
        test_fail(__FILE__, __LINE__, "%zu layer folders, want %zu", f.n, n);
    for (size_t i = 0; i < n && i < f.n; i++)
        CHECK_STR(f.v[i], want[i]);
    wcr_strv_dispose(&f);
    wcr_mounts_dispose(&m);
}

TEST(servercore_layer_folders_are_parents_in_order_then_scratch)
{
    static const char *const want[] = { SNAPS "24", SNAPS "23", SNAPS "25" };
    check_folders(servercore, want, 3);
}

TEST(nanoserver_layer_folders_have_one_parent)
{
    static const char *const want[] = { SNAPS "20", SNAPS "21" };
    check_folders(nanoserver, want, 2);
}

TEST(a_read_only_view_gives_the_same_shape)
{
    static const char view[] =
        "[{\"Type\":\"windows-layer\",\"Source\":\"D:\\\\snaps\\\\9\",\"Options\":"
        "[\"ro\",\"parentLayerPaths=[\\\"D:\\\\\\\\snaps\\\\\\\\8\\\",\\\"D:\\\\\\\\snaps\\\\\\\\7\\\","
        "\\\"D:\\\\\\\\snaps\\\\\\\\1\\\"]\"]}]";
    static const char *const want[] = { "D:\\snaps\\8", "D:\\snaps\\7", "D:\\snaps\\1", "D:\\snaps\\9" };
    check_folders(view, want, 4);
}

TEST(a_parentless_snapshot_is_refused_as_runhcs_would)
{
    wcr_mounts m;
    wcr_strv f;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(parse(&m, parentless, &err) == 0);
    CHECK(wcr_layers_folders(&f, &m, &err) < 0);
    CHECK(f.v == NULL && f.n == 0);
    CHECK(err.code == WCR_E_INVALID);
    CHECK(err.msg && strstr(err.msg, "needs at least two entries"));
    wcr_err_dispose(&err);
    /* wcr layers still shows it: the scratch alone */
    wcr_layers l;
    REQUIRE(wcr_layers_from_mounts(&l, &m, &err) == 0);
    CHECK(l.kind == WCR_LAYERS_WINDOWS);
    CHECK_INT(l.lower.n, 0);
    CHECK_STR(l.upper, SNAPS "14");
    wcr_layers_dispose(&l);
    wcr_mounts_dispose(&m);
}

TEST(overlay_gives_lowerdirs_topmost_first_upperdir_and_workdir)
{
    static const char *const opts[] = {
        "index=off", "workdir=/var/lib/c/snapshots/4/work", "upperdir=/var/lib/c/snapshots/4/fs",
        "lowerdir=/var/lib/c/snapshots/3/fs:/var/lib/c/snapshots/2/fs:/var/lib/c/snapshots/1/fs"
    };
    wcr_mounts m = { 0 };
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_mounts_push(&m, "overlay", "overlay", "", opts, 4, &err) == 0);
    wcr_layers l;
    REQUIRE(wcr_layers_from_mounts(&l, &m, &err) == 0);
    CHECK(l.kind == WCR_LAYERS_OVERLAY);
    REQUIRE(l.lower.n == 3);
    CHECK_STR(l.lower.v[0], "/var/lib/c/snapshots/3/fs");
    CHECK_STR(l.lower.v[1], "/var/lib/c/snapshots/2/fs");
    CHECK_STR(l.lower.v[2], "/var/lib/c/snapshots/1/fs");
    CHECK_STR(l.upper, "/var/lib/c/snapshots/4/fs");
    CHECK_STR(l.work, "/var/lib/c/snapshots/4/work");
    wcr_layers_dispose(&l);
    /* not a Windows snapshot: no layerFolders */
    wcr_strv f;
    CHECK(wcr_layers_folders(&f, &m, &err) < 0);
    CHECK(err.code == WCR_E_UNSUPPORTED && strstr(err.msg, "\"overlay\", not windows-layer"));
    wcr_err_dispose(&err);
    wcr_mounts_dispose(&m);
}

TEST(overlay_view_has_no_upperdir_and_escaped_colons_stay)
{
    static const char *const opts[] = { "lowerdir=/a\\:b/fs:/c/fs" };
    wcr_mounts m = { 0 };
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_mounts_push(&m, "overlay", "overlay", "", opts, 1, &err) == 0);
    wcr_layers l;
    REQUIRE(wcr_layers_from_mounts(&l, &m, &err) == 0);
    REQUIRE(l.lower.n == 2);
    CHECK_STR(l.lower.v[0], "/a:b/fs");
    CHECK_STR(l.lower.v[1], "/c/fs");
    CHECK(l.upper == NULL && l.work == NULL);
    wcr_layers_dispose(&l);
    wcr_mounts_dispose(&m);
}

TEST(a_single_layer_is_a_bind_mount)
{
    static const char *const rw[] = { "rw", "rbind" }, *const ro[] = { "ro", "rbind" };
    wcr_mounts m = { 0 };
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_mounts_push(&m, "bind", "/var/lib/c/snapshots/1/fs", "", rw, 2, &err) == 0);
    wcr_layers l;
    REQUIRE(wcr_layers_from_mounts(&l, &m, &err) == 0);
    CHECK(l.kind == WCR_LAYERS_BIND);
    CHECK_INT(l.lower.n, 0);
    CHECK_STR(l.upper, "/var/lib/c/snapshots/1/fs");
    wcr_layers_dispose(&l);
    wcr_mounts_dispose(&m);
    REQUIRE(wcr_mounts_push(&m, "bind", "/var/lib/c/snapshots/1/fs", "", ro, 2, &err) == 0);
    REQUIRE(wcr_layers_from_mounts(&l, &m, &err) == 0);
    REQUIRE(l.lower.n == 1);
    CHECK_STR(l.lower.v[0], "/var/lib/c/snapshots/1/fs");
    CHECK(l.upper == NULL);
    wcr_layers_dispose(&l);
    wcr_mounts_dispose(&m);
}

static void check_layers_refused(const char *json, wcr_err_code code, const char *needle)
{
    wcr_mounts m;
    wcr_layers l;
    wcr_err err = WCR_ERR_INIT;
    if (parse(&m, json, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s: %s", json, err.msg);
        wcr_err_dispose(&err);
        return;
    }
    if (wcr_layers_from_mounts(&l, &m, &err) == 0) {
        test_fail(__FILE__, __LINE__, "accepted: %s", json);
        wcr_layers_dispose(&l);
    } else if (err.code != code || !strstr(err.msg, needle)) {
        test_fail(__FILE__, __LINE__, "%s: %s; want %s", json, err.msg, needle);
    }
    CHECK(l.lower.v == NULL && l.upper == NULL);
    wcr_err_dispose(&err);
    wcr_mounts_dispose(&m);
}

TEST(other_mounts_are_refused_with_a_reason)
{
    check_layers_refused("[{\"Type\":\"CimFS\",\"Source\":\"C:\\\\x\"}]", WCR_E_UNSUPPORTED,
                         "type \"CimFS\"");
    check_layers_refused("[{\"Type\":\"bind\",\"Source\":\"/a\"},{\"Type\":\"bind\",\"Source\":\"/b\"}]",
                         WCR_E_UNSUPPORTED, "expected one mount");
    check_layers_refused("[{\"Type\":\"overlay\",\"Source\":\"overlay\",\"Options\":[\"upperdir=/u\"]}]",
                         WCR_E_PARSE, "without a lowerdir");
    check_layers_refused("[{\"Type\":\"overlay\",\"Options\":[\"lowerdir=/a::/b\"]}]", WCR_E_PARSE,
                         "empty directory");
    check_layers_refused("[{\"Type\":\"windows-layer\",\"Source\":\"C:\\\\s\\\\2\","
                         "\"Options\":[\"rw\",\"parentLayerPaths=[1]\"]}]",
                         WCR_E_PARSE, "parentLayerPaths: an entry is not a path");
    check_layers_refused("[{\"Type\":\"windows-layer\",\"Source\":\"C:\\\\s\\\\2\","
                         "\"Options\":[\"parentLayerPaths=C:\\\\s\\\\1\"]}]",
                         WCR_E_PARSE, "option parentLayerPaths");
    check_layers_refused("[{\"Type\":\"windows-layer\",\"Source\":\"\"}]", WCR_E_PARSE, "without a Source");
}

TEST(mounts_json_takes_what_go_would)
{
    wcr_mounts m;
    wcr_err err = WCR_ERR_INIT;
    /* one object, lower-case keys, Options null */
    REQUIRE(parse(&m, "{\"type\":\"bind\",\"source\":\"/x\",\"options\":null}", &err) == 0);
    REQUIRE(m.n == 1);
    CHECK_STR(m.items[0].type, "bind");
    CHECK_STR(m.items[0].source, "/x");
    CHECK_INT(m.items[0].noptions, 0);
    wcr_mounts_dispose(&m);
    /* a UTF-8 byte order mark */
    char *bom = malloc(strlen(nanoserver) + 4);
    REQUIRE(bom);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    strcpy(bom + 3, nanoserver);
    REQUIRE(parse(&m, bom, &err) == 0);
    CHECK_STR(m.items[0].source, SNAPS "21");
    free(bom);
    wcr_mounts_dispose(&m);
}

TEST(mounts_json_from_powershell_is_utf16)
{
    /* PowerShell 5's `>` writes UTF-16LE with a byte order mark. */
    size_t n = strlen(servercore);
    unsigned char *w = malloc(2 + 2 * n);
    REQUIRE(w);
    w[0] = 0xFF;
    w[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        w[2 + 2 * i] = (unsigned char)servercore[i];
        w[3 + 2 * i] = 0;
    }
    wcr_mounts m;
    wcr_strv f;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_mounts_parse_json(&m, "m.json", (const char *)w, 2 + 2 * n, &err) == 0);
    free(w);
    REQUIRE(wcr_layers_folders(&f, &m, &err) == 0);
    REQUIRE(f.n == 3);
    CHECK_STR(f.v[0], SNAPS "24");
    CHECK_STR(f.v[2], SNAPS "25");
    wcr_strv_dispose(&f);
    wcr_mounts_dispose(&m);
}

TEST(malformed_mounts_json_is_refused_naming_the_file_and_field)
{
    static const struct {
        const char *json, *needle;
    } cases[] = {
        { "", "mounts mounts.json: JSON" },
        { "[]", "no mounts" },
        { "\"bind\"", "expected an array of mounts" },
        { "[1]", "[0]: not an object" },
        { "[{\"Source\":\"/x\"}]", "[0]: no Type" },
        { "[{\"Type\":\"bind\",\"Source\":5}]", "[0].Source: not a string" },
        { "[{\"Type\":\"bind\",\"Options\":\"rw\"}]", "[0].Options: not an array" },
        { "[{\"Type\":\"bind\"},{\"Type\":\"bind\",\"Options\":[\"rw\",1]}]", "[1].Options[1]: not a string" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_mounts m;
        wcr_err err = WCR_ERR_INIT;
        if (parse(&m, cases[i].json, &err) == 0) {
            test_fail(__FILE__, __LINE__, "accepted: %s", cases[i].json);
            wcr_mounts_dispose(&m);
            continue;
        }
        CHECK(m.items == NULL && m.n == 0);
        if (!err.msg || !strstr(err.msg, cases[i].needle) || !strstr(err.msg, "mounts.json"))
            test_fail(__FILE__, __LINE__, "%s: \"%s\"; want \"%s\"", cases[i].json,
                      err.msg ? err.msg : "", cases[i].needle);
        wcr_err_dispose(&err);
    }
}

TEST(dispose_accepts_null)
{
    wcr_layers_dispose(NULL);
    wcr_layers l = { 0 };
    wcr_layers_dispose(&l);
    wcr_layers_dispose(&l);
}

TEST_MAIN()
