/* Tests of src/image/platform.c and platform_choose.c: parsing and
 * normalising platforms, the host's platform and its override, and the
 * choice of an image for simulated Windows and Linux hosts. */
#include <stdlib.h>
#include <string.h>

#include "image/platform.h"
#include "os/os.h"
#include "test.h"

static wcr_platform plat(const char *os, const char *arch, const char *variant, const char *osv)
{
    wcr_platform p;
    memset(&p, 0, sizeof p);
    if (wcr_platform_set(&p, os, arch, variant, osv, NULL) < 0)
        test_fail(__FILE__, __LINE__, "wcr_platform_set(%s/%s)", os, arch);
    return p;
}

static wcr_platform parsed(const char *s)
{
    wcr_platform p;
    memset(&p, 0, sizeof p);
    wcr_err err = WCR_ERR_INIT;
    if (wcr_platform_parse(&p, s, &err) < 0)
        test_fail(__FILE__, __LINE__, "parse %s: %s", s, err.msg);
    wcr_err_dispose(&err);
    return p;
}

/* Run the parse table under a fixed host, so one-word platforms are
 * predictable. */
static void set_host(const char *value)
{
    if (wcr_os_setenv("WCR_HOST_PLATFORM", value, NULL) < 0)
        test_fail(__FILE__, __LINE__, "setenv");
}

typedef struct parse_case {
    const char *in;
    const char *os, *arch, *variant, *osv;
} parse_case;

static const parse_case parse_ok[] = {
    { "windows/amd64:10.0.20348", "windows", "amd64", "", "10.0.20348" },
    { "windows/amd64:10.0.20348.2113", "windows", "amd64", "", "10.0.20348.2113" },
    { "windows(10.0.17763)/amd64", "windows", "amd64", "", "10.0.17763" },
    { "Windows/AMD64", "windows", "amd64", "", "" },
    { "linux/arm64/v8", "linux", "arm64", "", "" },
    { "linux/arm64", "linux", "arm64", "", "" },
    { "linux/aarch64", "linux", "arm64", "", "" },
    { "linux/arm64/8", "linux", "arm64", "", "" },
    { "linux/arm64/v9.0", "linux", "arm64", "v9", "" },
    { "linux/arm64/v8.2", "linux", "arm64", "v8.2", "" },
    { "linux/x86_64", "linux", "amd64", "", "" },
    { "linux/x86-64", "linux", "amd64", "", "" },
    { "linux/amd64/v1", "linux", "amd64", "", "" },
    { "linux/amd64/v3", "linux", "amd64", "v3", "" },
    { "linux/i386", "linux", "386", "", "" },
    { "linux/armhf", "linux", "arm", "v7", "" },
    { "linux/armel", "linux", "arm", "v6", "" },
    { "linux/arm", "linux", "arm", "v7", "" },
    { "linux/arm/7", "linux", "arm", "v7", "" },
    { "linux/arm/6", "linux", "arm", "v6", "" },
    { "linux/arm/v5", "linux", "arm", "v5", "" },
    { "linux/ppc64le", "linux", "ppc64le", "", "" },
    { "macos/arm64", "darwin", "arm64", "", "" },
    { "freebsd/riscv64", "freebsd", "riscv64", "", "" },
    /* One word: the rest comes from the host (linux/arm64 here). */
    { "linux", "linux", "arm64", "", "" },
    { "windows", "windows", "arm64", "", "" },
    { "windows:10.0.26100", "windows", "arm64", "", "10.0.26100" },
    { "amd64", "linux", "amd64", "", "" },
    { "x86_64", "linux", "amd64", "", "" },
    { "armhf", "linux", "arm", "v7", "" },
};

TEST(parse_normalises_as_containerd_does)
{
    set_host("linux/arm64");
    for (size_t i = 0; i < sizeof parse_ok / sizeof parse_ok[0]; i++) {
        const parse_case *c = &parse_ok[i];
        wcr_platform p;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_platform_parse(&p, c->in, &err) < 0) {
            test_fail(__FILE__, __LINE__, "%s: %s", c->in, err.msg);
            wcr_err_dispose(&err);
            continue;
        }
        CHECK_STR(p.os, c->os);
        CHECK_STR(p.arch, c->arch);
        CHECK_STR(p.variant, c->variant);
        CHECK_STR(p.os_version, c->osv);
        /* What format writes parses back to the same platform. */
        char s[WCR_PLATFORM_STRLEN];
        wcr_platform_format(&p, s, sizeof s);
        wcr_platform back = parsed(s);
        CHECK(wcr_platform_equal(&p, &back));
    }
    set_host(NULL);
}

typedef struct bad_case {
    const char *in, *msg;
} bad_case;

static const bad_case parse_bad[] = {
    { "", "invalid platform \"\": empty" },
    { "linux/", "invalid platform \"linux/\": empty architecture" },
    { "/amd64", "invalid platform \"/amd64\": empty operating system" },
    { "linux/arm/v7/x", "invalid platform \"linux/arm/v7/x\": more than os/architecture/variant" },
    { "foo", "invalid platform \"foo\": unknown operating system or architecture \"foo\"" },
    { "windows/amd64:20348",
      "invalid platform \"windows/amd64:20348\": Windows os.version \"20348\" is not "
      "major.minor.build[.revision]" },
    { "windows/amd64:10.0.x",
      "invalid platform \"windows/amd64:10.0.x\": Windows os.version \"10.0.x\" is not "
      "major.minor.build[.revision]" },
    { "windows/amd64:10.0.1.2.3",
      "invalid platform \"windows/amd64:10.0.1.2.3\": Windows os.version \"10.0.1.2.3\" is not "
      "major.minor.build[.revision]" },
    { "windows/amd64:", "invalid platform \"windows/amd64:\": empty os.version" },
    { "linux/amd 64",
      "invalid platform \"linux/amd 64\": architecture \"amd 64\": only letters, digits, '_', '.' "
      "and '-'" },
    { "linux/*", "invalid platform \"linux/*\": architecture \"*\": only letters, digits, '_', "
                 "'.' and '-'" },
    { "linux/averyveryverylongarch",
      "invalid platform \"linux/averyveryverylongarch\": architecture \"averyveryverylongarch\" is "
      "longer than 15 characters" },
    { "windows(10.0.1/amd64",
      "invalid platform \"windows(10.0.1/amd64\": a bad \"os(os.version)\" part" },
    { "windows(10.0.1)/amd64:10.0.1",
      "invalid platform \"windows(10.0.1)/amd64:10.0.1\": a bad \"os(os.version)\" part" },
    { "amd64:10.0.1", "invalid platform \"amd64:10.0.1\": an os.version needs an operating system" },
};

TEST(parse_errors_name_the_bad_part)
{
    for (size_t i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
        wcr_platform p;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_platform_parse(&p, parse_bad[i].in, &err) == 0) {
            test_fail(__FILE__, __LINE__, "accepted %s", parse_bad[i].in);
            continue;
        }
        CHECK_INT(err.code, WCR_E_INVALID);
        CHECK_STR(err.msg, parse_bad[i].msg);
        wcr_err_dispose(&err);
    }
}

TEST(set_from_documents_checks_lengths_and_characters)
{
    wcr_platform p;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_platform_set(&p, "windows", "amd64", NULL, "10.0.20348.2113", &err), 0);
    CHECK_STR(p.os_version, "10.0.20348.2113");
    CHECK_INT(wcr_platform_set(&p, "Linux", "aarch64", "v8", NULL, &err), 0);
    CHECK_STR(p.os, "linux");
    CHECK_STR(p.arch, "arm64");
    CHECK_STR(p.variant, "");
    CHECK_INT(wcr_platform_set(&p, "linux", "amd64", NULL, "0123456789012345678901234567890123",
                               &err),
              -1);
    CHECK_STR(err.msg, "os.version: \"0123456789012345678901234567890123\" is longer than 31 "
                       "characters");
    CHECK_INT(wcr_platform_set(&p, "linux", "amd/64", NULL, NULL, &err), -1);
    CHECK_STR(err.msg, "architecture: \"amd/64\" has characters outside [A-Za-z0-9_.+-]");
    wcr_err_dispose(&err);
}

TEST(format_writes_what_parse_reads)
{
    char s[WCR_PLATFORM_STRLEN];
    wcr_platform p = plat("windows", "amd64", NULL, "10.0.20348.2113");
    wcr_platform_format(&p, s, sizeof s);
    CHECK_STR(s, "windows/amd64:10.0.20348.2113");
    p = plat("linux", "arm", NULL, NULL);
    wcr_platform_format(&p, s, sizeof s);
    CHECK_STR(s, "linux/arm/v7");
    p = plat("linux", "arm64", "v8", NULL);
    wcr_platform_format(&p, s, sizeof s);
    CHECK_STR(s, "linux/arm64");
}

TEST(host_platform_env_override)
{
    set_host("windows/amd64:10.0.20348.2113");
    wcr_platform h;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_platform_host(&h, &err) == 0);
    CHECK_STR(h.os, "windows");
    CHECK_STR(h.arch, "amd64");
    CHECK_STR(h.os_version, "10.0.20348.2113");

    set_host("windows/amd64:latest");
    CHECK_INT(wcr_platform_host(&h, &err), -1);
    CHECK_STR(err.msg, "WCR_HOST_PLATFORM: invalid platform \"windows/amd64:latest\": Windows "
                       "os.version \"latest\" is not major.minor.build[.revision]");

    /* One word in the override: the real machine's architecture. */
    set_host("windows");
    REQUIRE(wcr_platform_host(&h, &err) == 0);
    CHECK_STR(h.os, "windows");
    wcr_os_host real;
    REQUIRE(wcr_os_host_info(&real, &err) == 0);
    wcr_platform real_p = plat("linux", real.arch, real.variant, NULL);
    CHECK_STR(h.arch, real_p.arch);
    set_host(NULL);
    wcr_err_dispose(&err);
}

TEST(host_platform_of_the_real_machine)
{
    set_host(NULL);
    wcr_platform h;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_platform_host(&h, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_STR(h.os, wcr_os_name());
    CHECK(h.arch[0] != '\0');
    if (strcmp(h.os, "windows") == 0) {
        /* major.minor.build.revision from RtlGetVersion and UBR */
        int dots = 0;
        for (const char *p = h.os_version; *p; p++)
            dots += *p == '.';
        CHECK_INT(dots, 3);
        wcr_os_host info;
        REQUIRE(wcr_os_host_info(&info, NULL) == 0);
        CHECK(info.major >= 6);
        CHECK(info.build > 0);
    } else {
        CHECK_STR(h.os_version, "");
    }
}

/* ---- Windows: the matrix of hosts ------------------------------------- */

/* A tag offering Linux and several Windows builds, as mcr's multi-arch
 * tags and hand-made ones do. */
static wcr_platform offer[8];
static size_t n_offer;

static void make_offer(void)
{
    n_offer = 0;
    offer[n_offer++] = plat("linux", "amd64", NULL, NULL);                 /* 0 */
    offer[n_offer++] = plat("linux", "arm64", "v8", NULL);                 /* 1 */
    offer[n_offer++] = plat("windows", "amd64", NULL, "10.0.17763.5576");  /* 2 */
    offer[n_offer++] = plat("windows", "amd64", NULL, "10.0.20348.2113");  /* 3 */
    offer[n_offer++] = plat("windows", "amd64", NULL, "10.0.20348.2227");  /* 4 */
    offer[n_offer++] = plat("windows", "amd64", NULL, "10.0.26100.1742");  /* 5 */
}

#define REFUSED ((size_t)-1)

typedef struct host_case {
    const char *host;
    wcr_isolation iso;
    size_t want; /* index into offer, or REFUSED */
} host_case;

static const host_case host_matrix[] = {
    /* Before Server 2022 only the same build runs process-isolated. */
    { "windows/amd64:10.0.17763.5329", WCR_ISOLATION_PROCESS, 2 },
    { "windows/amd64:10.0.17763.5329", WCR_ISOLATION_DEFAULT, 2 },
    { "windows/amd64:10.0.19041.1", WCR_ISOLATION_PROCESS, REFUSED },
    { "windows/amd64:10.0.14393.1", WCR_ISOLATION_PROCESS, REFUSED },
    /* Server 2022: its own build, the highest revision. */
    { "windows/amd64:10.0.20348.2031", WCR_ISOLATION_PROCESS, 4 },
    /* Windows 11 23H2: 20348 up to its own build. */
    { "windows/amd64:10.0.22631.3296", WCR_ISOLATION_PROCESS, 4 },
    { "windows/amd64:10.0.22000.1", WCR_ISOLATION_PROCESS, 4 },
    /* Server 2025 and later hosts: 20348..host, the same build first. */
    { "windows/amd64:10.0.26100.1000", WCR_ISOLATION_PROCESS, 5 },
    { "windows/amd64:10.0.26200.1", WCR_ISOLATION_PROCESS, 5 },
    { "windows/amd64:10.0.30000.1", WCR_ISOLATION_PROCESS, 5 },
    /* Hyper-V: any build up to the host's. */
    { "windows/amd64:10.0.17763.1", WCR_ISOLATION_HYPERV, 2 },
    { "windows/amd64:10.0.19041.1", WCR_ISOLATION_HYPERV, 2 },
    { "windows/amd64:10.0.20348.1", WCR_ISOLATION_HYPERV, 4 },
    { "windows/amd64:10.0.22631.1", WCR_ISOLATION_HYPERV, 4 },
    { "windows/amd64:10.0.26100.1", WCR_ISOLATION_HYPERV, 5 },
    { "windows/amd64:10.0.14393.1", WCR_ISOLATION_HYPERV, REFUSED },
    /* Another architecture. */
    { "windows/arm64:10.0.26100.1", WCR_ISOLATION_PROCESS, REFUSED },
    /* Linux hosts. */
    { "linux/amd64", WCR_ISOLATION_DEFAULT, 0 },
    { "linux/arm64", WCR_ISOLATION_DEFAULT, 1 },
    { "linux/arm64/v8", WCR_ISOLATION_DEFAULT, 1 },
    { "linux/aarch64", WCR_ISOLATION_DEFAULT, 1 },
};

TEST(windows_hosts_choose_by_build)
{
    make_offer();
    for (size_t i = 0; i < sizeof host_matrix / sizeof host_matrix[0]; i++) {
        const host_case *c = &host_matrix[i];
        set_host(c->host);
        wcr_platform host;
        REQUIRE(wcr_platform_host(&host, NULL) == 0);
        size_t got = REFUSED;
        wcr_err err = WCR_ERR_INIT;
        int rc = wcr_platform_choose(&host, true, c->iso, offer, n_offer, &got, &err);
        if (c->want == REFUSED) {
            if (rc == 0)
                test_fail(__FILE__, __LINE__, "%s (iso %d): chose %zu", c->host, (int)c->iso, got);
            else
                CHECK_INT(err.code, WCR_E_PLATFORM);
        } else if (rc < 0) {
            test_fail(__FILE__, __LINE__, "%s (iso %d): %s", c->host, (int)c->iso, err.msg);
        } else if (got != c->want) {
            test_fail(__FILE__, __LINE__, "%s (iso %d): chose %zu, not %zu", c->host,
                      (int)c->iso, got, c->want);
        }
        wcr_err_dispose(&err);
    }
    set_host(NULL);
}

/* The refusal for `host` over offers (a sub-list of make_offer's). */
static char *refusal(const char *host, wcr_isolation iso, const size_t *pick, size_t n)
{
    wcr_platform cands[8], want = parsed(host);
    for (size_t i = 0; i < n; i++)
        cands[i] = offer[pick[i]];
    size_t got = 0;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_platform_choose(&want, true, iso, cands, n, &got, &err) == 0) {
        test_fail(__FILE__, __LINE__, "%s: chose %zu", host, got);
        return NULL;
    }
    char *msg = err.msg;
    err.msg = NULL;
    wcr_err_dispose(&err);
    return msg;
}

TEST(refusals_list_the_offers_and_say_why)
{
    make_offer();
    static const size_t newer_and_linux[] = { 0, 3, 5 };
    char *m = refusal("windows/amd64:10.0.17763.5329", WCR_ISOLATION_PROCESS, newer_and_linux, 3);
    CHECK_STR(m, "no image for windows/amd64 10.0.17763.5329 in the tag; it offers: linux/amd64, "
                 "windows/amd64 10.0.20348.2113, windows/amd64 10.0.26100.1742; process isolation "
                 "needs the host's build 17763; images newer than the host cannot run on it, even "
                 "with --isolation hyperv");
    free(m);

    static const size_t all[] = { 0, 1, 2, 3, 4, 5 };
    m = refusal("windows/amd64:10.0.19041.1", WCR_ISOLATION_PROCESS, all, 6);
    CHECK_STR(m, "no image for windows/amd64 10.0.19041.1 in the tag; it offers: linux/amd64, "
                 "linux/arm64, windows/amd64 10.0.17763.5576, windows/amd64 10.0.20348.2113, "
                 "windows/amd64 10.0.20348.2227, windows/amd64 10.0.26100.1742; process isolation "
                 "needs the host's build 19041; the older image windows/amd64 10.0.17763.5576 runs "
                 "with --isolation hyperv");
    free(m);

    static const size_t old_only[] = { 2 };
    m = refusal("windows/amd64:10.0.20348.1", WCR_ISOLATION_PROCESS, old_only, 1);
    CHECK_STR(m, "no image for windows/amd64 10.0.20348.1 in the tag; it offers: windows/amd64 "
                 "10.0.17763.5576; process isolation needs the host's build 20348; the older image "
                 "windows/amd64 10.0.17763.5576 runs with --isolation hyperv");
    free(m);

    m = refusal("windows/amd64:10.0.22631.1", WCR_ISOLATION_PROCESS, old_only, 1);
    CHECK_STR(m, "no image for windows/amd64 10.0.22631.1 in the tag; it offers: windows/amd64 "
                 "10.0.17763.5576; process isolation needs a build from 20348 to 22631 (the host's "
                 "build); the older image windows/amd64 10.0.17763.5576 runs with --isolation "
                 "hyperv");
    free(m);

    static const size_t win_only[] = { 3, 5 };
    m = refusal("windows/amd64:10.0.14393.1", WCR_ISOLATION_HYPERV, win_only, 2);
    CHECK_STR(m, "no image for windows/amd64 10.0.14393.1 in the tag; it offers: windows/amd64 "
                 "10.0.20348.2113, windows/amd64 10.0.26100.1742; Hyper-V isolation needs "
                 "10.0.14393 (the host's build) or older");
    free(m);

    static const size_t linux_only[] = { 0, 1 };
    m = refusal("windows/amd64:10.0.20348.1", WCR_ISOLATION_PROCESS, linux_only, 2);
    CHECK_STR(m, "no image for windows/amd64 10.0.20348.1 in the tag; it offers: linux/amd64, "
                 "linux/arm64; this is a Linux image; a Windows host cannot run it");
    free(m);

    m = refusal("linux/amd64", WCR_ISOLATION_DEFAULT, win_only, 2);
    CHECK_STR(m, "no image for linux/amd64 in the tag; it offers: windows/amd64 10.0.20348.2113, "
                 "windows/amd64 10.0.26100.1742; this is a Windows image; a Linux host cannot run "
                 "it");
    free(m);

    m = refusal("windows/arm64:10.0.26100.1", WCR_ISOLATION_PROCESS, all, 6);
    CHECK(m && strstr(m, "; it has no Windows image for arm64") != NULL);
    free(m);

    offer[7] = plat("windows", "amd64", NULL, "6.3.9600.1");
    static const size_t win81[] = { 7 };
    m = refusal("windows/amd64:10.0.20348.1", WCR_ISOLATION_HYPERV, win81, 1);
    CHECK_STR(m, "no image for windows/amd64 10.0.20348.1 in the tag; it offers: windows/amd64 "
                 "6.3.9600.1; it has no Windows 10.0 image");
    free(m);

    m = refusal("linux/amd64", WCR_ISOLATION_DEFAULT, all, 0);
    CHECK_STR(m, "no image for linux/amd64 in the tag; it lists no images");
    free(m);
}

TEST(duplicate_and_unknown_entries_are_not_listed)
{
    wcr_platform cands[4] = {
        plat("linux", "amd64", NULL, NULL),
        plat("unknown", "unknown", NULL, NULL), /* buildx attestation */
        plat("linux", "amd64", NULL, NULL),
        plat("linux", "arm64", NULL, NULL),
    };
    wcr_platform want = parsed("windows/amd64:10.0.20348.1");
    size_t got;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_platform_choose(&want, true, WCR_ISOLATION_PROCESS, cands, 4, &got, &err), -1);
    CHECK_STR(err.msg, "no image for windows/amd64 10.0.20348.1 in the tag; it offers: "
                       "linux/amd64, linux/arm64; this is a Linux image; a Windows host cannot "
                       "run it");
    /* The same entries wanted explicitly, rather than by the host. */
    CHECK_INT(wcr_platform_choose(&want, false, WCR_ISOLATION_PROCESS, cands, 4, &got, &err), -1);
    CHECK(strstr(err.msg, "; it has only Linux images") != NULL);
    wcr_err_dispose(&err);
}

TEST(entry_without_os_version_is_acceptable_and_last)
{
    wcr_platform cands[2] = {
        plat("windows", "amd64", NULL, NULL),
        plat("windows", "amd64", NULL, "10.0.20348.1"),
    };
    wcr_platform h20348 = parsed("windows/amd64:10.0.20348.5"),
                 h17763 = parsed("windows/amd64:10.0.17763.5");
    size_t got = 9;
    CHECK_INT(wcr_platform_choose(&h20348, true, WCR_ISOLATION_PROCESS, cands, 2, &got, NULL), 0);
    CHECK_INT(got, 1);
    CHECK_INT(wcr_platform_choose(&h17763, true, WCR_ISOLATION_PROCESS, cands, 2, &got, NULL), 0);
    CHECK_INT(got, 0);
}

TEST(ltsc_floor_follows_containerd)
{
    struct {
        const char *host, *image;
        bool process, hyperv;
    } t[] = {
        { "10.0.17763.1", "10.0.17763.9999", true, true },
        { "10.0.17763.1", "10.0.17134.1", false, true },
        { "10.0.17763.1", "10.0.20348.1", false, false },
        { "10.0.20348.1", "10.0.20348.9", true, true },
        { "10.0.20348.1", "10.0.19041.1", false, true },
        { "10.0.20348.1", "10.0.22000.1", false, false },
        { "10.0.22631.1", "10.0.20348.1", true, true },
        { "10.0.22631.1", "10.0.22621.1", true, true },
        { "10.0.22631.1", "10.0.19041.1", false, true },
        { "10.0.22631.1", "10.0.26100.1", false, false },
        { "10.0.26100.1", "10.0.20348.1", true, true },
        { "10.0.26100.1", "10.0.17763.1", false, true },
        { "10.0.26200.1", "10.0.20348.1", true, true },
        { "10.0.26200.1", "10.0.26100.1", true, true },
        { "10.0.26200.1", "10.0.26300.1", false, false },
        { "10.0.20348.1", "6.3.20348.1", false, false },
        { "10.0.20348.1", "10.1.20348.1", false, false },
        { "10.0.20348.1", "10.0.20348", true, true },
        { "10.0.20348.1", "", true, true },
        { "10.0.20348.1", "junk", false, false },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        wcr_platform h = plat("windows", "amd64", NULL, t[i].host);
        wcr_platform c = plat("windows", "amd64", NULL, t[i].image);
        if (wcr_platform_acceptable(&h, WCR_ISOLATION_PROCESS, &c) != t[i].process)
            test_fail(__FILE__, __LINE__, "process: host %s image %s", t[i].host, t[i].image);
        if (wcr_platform_acceptable(&h, WCR_ISOLATION_HYPERV, &c) != t[i].hyperv)
            test_fail(__FILE__, __LINE__, "hyperv: host %s image %s", t[i].host, t[i].image);
    }
}

TEST(explicit_platform_is_wanted_instead_of_the_host)
{
    make_offer();
    struct {
        const char *want;
        size_t got;
    } t[] = {
        { "windows/amd64", 5 },                 /* any build, the highest */
        { "windows/amd64:10.0.20348.2113", 3 }, /* exactly what was asked */
        { "windows/amd64:10.0.20348", 4 },      /* that build, highest revision */
        { "windows/amd64:10.0.17763", 2 },
        { "windows/amd64:10.0.22631", 4 },
        { "linux/arm64", 1 },
        { "linux/amd64", 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        wcr_platform want = parsed(t[i].want);
        size_t got = REFUSED;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_platform_choose(&want, false, WCR_ISOLATION_DEFAULT, offer, n_offer, &got, &err) <
            0)
            test_fail(__FILE__, __LINE__, "%s: %s", t[i].want, err.msg);
        else if (got != t[i].got)
            test_fail(__FILE__, __LINE__, "%s: chose %zu, not %zu", t[i].want, got, t[i].got);
        wcr_err_dispose(&err);
    }
    wcr_platform want = parsed("windows/amd64:10.0.19041");
    wcr_err err = WCR_ERR_INIT;
    size_t got;
    CHECK_INT(wcr_platform_choose(&want, false, WCR_ISOLATION_PROCESS, offer, n_offer, &got, &err),
              -1);
    CHECK(strstr(err.msg, "process isolation needs build 19041; the older image windows/amd64 "
                          "10.0.17763.5576 runs with --isolation hyperv") != NULL);
    wcr_err_dispose(&err);
}

/* ---- Linux variants ------------------------------------------------------ */

static size_t choose_linux(const char *want, const wcr_platform *cands, size_t n)
{
    wcr_platform w = parsed(want);
    size_t got = REFUSED;
    if (wcr_platform_choose(&w, true, WCR_ISOLATION_DEFAULT, cands, n, &got, NULL) < 0)
        return REFUSED;
    return got;
}

TEST(linux_variants_prefer_the_same_then_older)
{
    wcr_platform arm[] = {
        plat("linux", "arm", "v5", NULL), plat("linux", "arm", "v6", NULL),
        plat("linux", "arm", "v7", NULL), plat("linux", "arm64", "v8", NULL),
        plat("linux", "amd64", NULL, NULL), plat("linux", "amd64", "v3", NULL),
    };
    CHECK_INT(choose_linux("linux/arm/v7", arm, 6), 2);
    CHECK_INT(choose_linux("linux/arm", arm, 6), 2);
    CHECK_INT(choose_linux("linux/arm/v6", arm, 6), 1);
    CHECK_INT(choose_linux("linux/arm/v8", arm, 6), 2);
    CHECK_INT(choose_linux("linux/arm/v5", arm, 6), 0);
    CHECK_INT(choose_linux("linux/arm64", arm, 6), 3);
    CHECK_INT(choose_linux("linux/arm64/v8", arm, 6), 3);
    CHECK_INT(choose_linux("linux/amd64", arm, 6), 4);
    CHECK_INT(choose_linux("linux/amd64/v3", arm, 6), 5);
    CHECK_INT(choose_linux("linux/amd64/v4", arm, 6), 5);
    CHECK_INT(choose_linux("linux/amd64/v2", arm, 6), 4);

    /* Older variants only, ranked by closeness. */
    CHECK_INT(choose_linux("linux/arm/v7", arm, 2), 1);
    wcr_platform v7only[] = { plat("linux", "arm", "v7", NULL) };
    CHECK_INT(choose_linux("linux/arm/v6", v7only, 1), REFUSED);
    wcr_platform v3only[] = { plat("linux", "amd64", "v3", NULL) };
    CHECK_INT(choose_linux("linux/amd64", v3only, 1), REFUSED);
    wcr_platform a64[] = { plat("linux", "arm64", "v8.2", NULL), plat("linux", "arm64", NULL, NULL) };
    CHECK_INT(choose_linux("linux/arm64/v8.4", a64, 2), 0);
    CHECK_INT(choose_linux("linux/arm64", a64, 2), 1);
    /* v9.0 also runs v8.0..v8.5, the closest first. */
    CHECK_INT(choose_linux("linux/arm64/v9", a64, 1), 0);
    CHECK_INT(choose_linux("linux/arm64/v9.0", a64, 2), 0);
    wcr_platform v86[] = { plat("linux", "arm64", "v8.6", NULL) };
    CHECK_INT(choose_linux("linux/arm64/v9", v86, 1), REFUSED);
    CHECK_INT(choose_linux("linux/arm64/v9.2", a64, 1), 0);

    wcr_platform w = parsed("linux/arm/v6");
    wcr_err err = WCR_ERR_INIT;
    size_t got;
    CHECK_INT(wcr_platform_choose(&w, true, WCR_ISOLATION_DEFAULT, v7only, 1, &got, &err), -1);
    CHECK_STR(err.msg, "no image for linux/arm/v6 in the tag; it offers: linux/arm/v7; none of "
                       "its linux/arm images runs on variant v6");
    wcr_err_dispose(&err);
}

TEST(candidates_are_normalised_before_matching)
{
    wcr_platform raw[1];
    memset(raw, 0, sizeof raw);
    strcpy(raw[0].os, "Linux");
    strcpy(raw[0].arch, "x86_64");
    CHECK_INT(choose_linux("linux/amd64", raw, 1), 0);
    wcr_platform w = parsed("linux/amd64");
    CHECK(wcr_platform_acceptable(&w, WCR_ISOLATION_DEFAULT, &raw[0]));
}

TEST_MAIN()
