/* JSONTestSuite's parsing cases (tests/data/jsontestsuite, passed as
 * --data DIR): every y_ file must parse (and survive a round trip through
 * the writer), every n_ file must be rejected, every i_ file may go either
 * way but must not crash or leak; what each i_ file did is printed.
 *
 * Two y_ files hold duplicate keys, which RFC 8259 allows ("SHOULD be
 * unique") and wcr rejects on purpose (see json.h); they are checked to
 * fail for exactly that reason. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "os/os.h"
#include "test.h"

static const char *const rejected_on_purpose[] = {
    "y_object_duplicated_key.json",
    "y_object_duplicated_key_and_value.json",
};

typedef struct names {
    char **v;
    size_t n;
} names;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
    ns->v = NULL;
    ns->n = 0;
}

/* The data directory's files whose names start with prefix, sorted. */
static int list_files(const char *prefix, names *out)
{
    *out = (names){ NULL, 0 };
    DIR *d = opendir(test_data_dir());
    if (!d) {
        printf("    cannot open %s\n", test_data_dir());
        return -1;
    }
    struct dirent *e;
    size_t cap = 0;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(out->v, cap * sizeof *v);
            if (!v)
                break;
            out->v = v;
        }
        size_t len = strlen(e->d_name);
        char *copy = malloc(len + 1);
        if (!copy)
            break;
        memcpy(copy, e->d_name, len + 1);
        out->v[out->n++] = copy;
    }
    closedir(d);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, by_name);
    return 0;
}

static char *read_case(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", test_data_dir(), name);
    char *data = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_read_file(path, (size_t)16 << 20, &data, len, &err) < 0) {
        printf("    cannot read %s: %s\n", path, err.msg ? err.msg : "");
        wcr_err_dispose(&err);
        return NULL;
    }
    return data;
}

static bool same_value(const wcr_json *a, const wcr_json *b)
{
    wcr_json_type t = wcr_json_type_of(a);
    if (t != wcr_json_type_of(b))
        return false;
    size_t la, lb;
    const char *sa, *sb;
    switch (t) {
    case WCR_JSON_NULL:
    case WCR_JSON_TRUE:
    case WCR_JSON_FALSE:
        return true;
    case WCR_JSON_NUMBER:
        return strcmp(wcr_json_number_text(a), wcr_json_number_text(b)) == 0;
    case WCR_JSON_STRING:
        sa = wcr_json_string_len(a, &la);
        sb = wcr_json_string_len(b, &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    case WCR_JSON_ARRAY:
    case WCR_JSON_OBJECT:
        if (wcr_json_len(a) != wcr_json_len(b))
            return false;
        for (const wcr_json *x = wcr_json_first(a), *y = wcr_json_first(b); x;
             x = wcr_json_next(x), y = wcr_json_next(y)) {
            if (t == WCR_JSON_OBJECT) {
                sa = wcr_json_key_len(x, &la);
                sb = wcr_json_key_len(y, &lb);
                if (la != lb || memcmp(sa, sb, la) != 0)
                    return false;
            }
            if (!same_value(x, y))
                return false;
        }
        return true;
    }
    return false;
}

/* Write doc compact and pretty, parse both back, compare with doc. */
static bool round_trips(const wcr_json_doc *doc, const char *name)
{
    for (int flags = WCR_JSONW_COMPACT; flags <= WCR_JSONW_PRETTY; flags++) {
        wcr_buf buf = WCR_BUF_INIT("JSON output", WCR_BUF_NO_LIMIT);
        wcr_jsonw w;
        wcr_jsonw_init(&w, &buf, flags);
        wcr_jsonw_value(&w, wcr_json_root(doc));
        wcr_err err = WCR_ERR_INIT;
        wcr_json_doc *back = NULL;
        bool ok = wcr_jsonw_finish(&w, &err) == 0 &&
                  wcr_json_parse(&back, buf.data, buf.len, NULL, &err) == 0 &&
                  same_value(wcr_json_root(doc), wcr_json_root(back));
        if (!ok)
            printf("    %s: %s round trip failed: %s\n", name, flags ? "pretty" : "compact",
                   err.msg ? err.msg : "values differ");
        wcr_json_doc_free(back);
        wcr_err_dispose(&err);
        wcr_buf_dispose(&buf);
        if (!ok)
            return false;
    }
    return true;
}

static bool is_rejected_on_purpose(const char *name)
{
    for (size_t i = 0; i < sizeof rejected_on_purpose / sizeof rejected_on_purpose[0]; i++)
        if (strcmp(name, rejected_on_purpose[i]) == 0)
            return true;
    return false;
}

/* For an accepted [number]: what the accessors make of it, into msg. */
static void describe_number(const wcr_json_doc *doc, char *msg, size_t size)
{
    const wcr_json *root = wcr_json_root(doc);
    const wcr_json *n = wcr_json_at(root, 0);
    if (wcr_json_len(root) != 1 || !wcr_json_is_number(n))
        return;
    double d = 0;
    int64_t i = 0;
    char dtext[40] = "out of range", itext[32] = "not an exact int64";
    if (wcr_json_double(n, &d) == 0)
        snprintf(dtext, sizeof dtext, "%g", d);
    if (wcr_json_int64(n, &i) == 0)
        snprintf(itext, sizeof itext, "%lld", (long long)i);
    snprintf(msg, size, " (double: %s; int64: %s)", dtext, itext);
}

/* Parse one case: 1 accepted, 0 rejected (message in msg), -1 unreadable
 * or a rejection that broke the contract (no message, *out left set). */
static int run_case(const char *name, char *msg, size_t size, bool round_trip)
{
    size_t len = 0;
    char *text = read_case(name, &len);
    if (!text)
        return -1;
    wcr_json_doc *doc = (wcr_json_doc *)&doc; /* parse must reset it */
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_json_parse(&doc, text, len, NULL, &err);
    free(text);
    snprintf(msg, size, "%s", err.msg ? err.msg : "");
    if (rc == 0) {
        describe_number(doc, msg, size);
        bool ok = !round_trip || round_trips(doc, name);
        wcr_json_doc_free(doc);
        return ok ? 1 : -1;
    }
    bool contract = doc == NULL && err.msg && strncmp(err.msg, "JSON: ", 6) == 0 &&
                    (err.code == WCR_E_PARSE || err.code == WCR_E_LIMIT);
    if (!contract)
        printf("    %s: bad rejection (code %s, message \"%s\")\n", name,
               wcr_err_code_name(err.code), msg);
    wcr_err_dispose(&err);
    return contract ? 0 : -1;
}

TEST(y_files_are_accepted_and_round_trip)
{
    names ns;
    REQUIRE(list_files("y_", &ns) == 0);
    size_t accepted = 0;
    for (size_t i = 0; i < ns.n; i++) {
        if (is_rejected_on_purpose(ns.v[i]))
            continue;
        char msg[512];
        int rc = run_case(ns.v[i], msg, sizeof msg, true);
        if (rc == 1)
            accepted++;
        else
            test_fail(__FILE__, __LINE__, "%s: %s", ns.v[i], rc == 0 ? msg : "failed");
    }
    printf("    %zu y_ files accepted and round-tripped\n", accepted);
    CHECK(ns.n >= 90);
    names_free(&ns);
}

TEST(duplicate_key_files_are_rejected_on_purpose)
{
    for (size_t i = 0; i < sizeof rejected_on_purpose / sizeof rejected_on_purpose[0]; i++) {
        char msg[512];
        CHECK_INT(run_case(rejected_on_purpose[i], msg, sizeof msg, false), 0);
        CHECK(strstr(msg, "duplicate key \"a\"") != NULL);
    }
}

TEST(n_files_are_rejected)
{
    names ns;
    REQUIRE(list_files("n_", &ns) == 0);
    size_t rejected = 0;
    for (size_t i = 0; i < ns.n; i++) {
        char msg[512];
        int rc = run_case(ns.v[i], msg, sizeof msg, false);
        if (rc == 0)
            rejected++;
        else
            test_fail(__FILE__, __LINE__, "%s: %s", ns.v[i], rc == 1 ? "accepted" : "failed");
    }
    printf("    %zu n_ files rejected\n", rejected);
    CHECK(ns.n >= 180);
    names_free(&ns);
}

TEST(i_files_are_handled_either_way)
{
    names ns;
    REQUIRE(list_files("i_", &ns) == 0);
    size_t accepted = 0, rejected = 0;
    for (size_t i = 0; i < ns.n; i++) {
        char msg[512];
        int rc = run_case(ns.v[i], msg, sizeof msg, true);
        if (rc < 0) {
            test_fail(__FILE__, __LINE__, "%s: failed", ns.v[i]);
        } else if (rc == 1) {
            accepted++;
            printf("    %-48s accepted%s\n", ns.v[i], msg);
        } else {
            rejected++;
            printf("    %-48s rejected: %s\n", ns.v[i], msg);
        }
    }
    printf("    %zu i_ files: %zu accepted, %zu rejected\n", ns.n, accepted, rejected);
    CHECK(ns.n >= 30);
    names_free(&ns);
}

TEST_MAIN()
