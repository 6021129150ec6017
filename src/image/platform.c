/* OCI platforms: normalising, parsing, formatting, the host's platform.
 * Matching and choosing are in platform_choose.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/platform.h"
#include "core/str.h"
#include "image/platform.h"
#include "image/quote.h"
#include "os/os.h"

#define HOST_PLATFORM_ENV "WCR_HOST_PLATFORM"

/* Go's known operating systems (go/build's syslist), for telling "linux"
 * from "arm64" when only one name is given. */
static const char *const known_os[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
    "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
};

static const char *const known_arch[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
    "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
    "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static void set_field(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- normalising ------------------------------------------------------ */

/* containerd's normalizeArch, on the struct's fields. */
static void normalize_arch(char *arch, size_t asize, char *variant, size_t vsize)
{
    lower(arch);
    lower(variant);
    if (strcmp(arch, "i386") == 0) {
        set_field(arch, asize, "386");
        variant[0] = '\0';
    } else if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "x86-64") == 0 ||
               strcmp(arch, "amd64") == 0) {
        set_field(arch, asize, "amd64");
        if (strcmp(variant, "v1") == 0)
            variant[0] = '\0';
    } else if (strcmp(arch, "aarch64") == 0 || strcmp(arch, "arm64") == 0) {
        set_field(arch, asize, "arm64");
        if (strcmp(variant, "8") == 0 || strcmp(variant, "v8") == 0 ||
            strcmp(variant, "v8.0") == 0)
            variant[0] = '\0';
        else if (strcmp(variant, "9") == 0 || strcmp(variant, "9.0") == 0 ||
                 strcmp(variant, "v9.0") == 0)
            set_field(variant, vsize, "v9");
    } else if (strcmp(arch, "armhf") == 0) {
        set_field(arch, asize, "arm");
        set_field(variant, vsize, "v7");
    } else if (strcmp(arch, "armel") == 0) {
        set_field(arch, asize, "arm");
        set_field(variant, vsize, "v6");
    } else if (strcmp(arch, "arm") == 0) {
        if (variant[0] == '\0' || strcmp(variant, "7") == 0)
            set_field(variant, vsize, "v7");
        else if (strcmp(variant, "5") == 0 || strcmp(variant, "6") == 0 ||
                 strcmp(variant, "8") == 0) {
            char v[4] = { 'v', variant[0], '\0', '\0' };
            set_field(variant, vsize, v);
        }
    }
}

void wcr_platform_normalize(wcr_platform *p)
{
    lower(p->os);
    if (strcmp(p->os, "macos") == 0)
        set_field(p->os, sizeof p->os, "darwin");
    normalize_arch(p->arch, sizeof p->arch, p->variant, sizeof p->variant);
}

bool wcr_platform_equal(const wcr_platform *a, const wcr_platform *b)
{
    wcr_platform x = *a, y = *b;
    wcr_platform_normalize(&x);
    wcr_platform_normalize(&y);
    return strcmp(x.os, y.os) == 0 && strcmp(x.arch, y.arch) == 0 &&
           strcmp(x.variant, y.variant) == 0 && strcmp(x.os_version, y.os_version) == 0;
}

/* ---- setting from documents ------------------------------------------- */

static bool name_chars_ok(const char *s)
{
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
                  c == '.' || c == '+' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static int put_field(char *dst, size_t size, const char *what, const char *s, wcr_err *err)
{
    if (!s)
        s = "";
    char q[IMG_QUOTE_SIZE];
    if (strlen(s) >= size) {
        img_quote(q, sizeof q, s, strlen(s));
        return wcr_err_set(err, WCR_E_INVALID, "%s: %s is longer than %zu characters", what, q,
                           size - 1);
    }
    if (!name_chars_ok(s)) {
        img_quote(q, sizeof q, s, strlen(s));
        return wcr_err_set(err, WCR_E_INVALID, "%s: %s has characters outside [A-Za-z0-9_.+-]",
                           what, q);
    }
    set_field(dst, size, s);
    return 0;
}

int wcr_platform_set(wcr_platform *out, const char *os, const char *arch, const char *variant,
                     const char *os_version, wcr_err *err)
{
    wcr_platform p;
    memset(&p, 0, sizeof p);
    if (put_field(p.os, sizeof p.os, "os", os, err) < 0 ||
        put_field(p.arch, sizeof p.arch, "architecture", arch, err) < 0 ||
        put_field(p.variant, sizeof p.variant, "variant", variant, err) < 0 ||
        put_field(p.os_version, sizeof p.os_version, "os.version", os_version, err) < 0)
        return -1;
    wcr_platform_normalize(&p);
    *out = p;
    return 0;
}

/* ---- formatting ------------------------------------------------------- */

void wcr_platform_format(const wcr_platform *p, char *out, size_t size)
{
    snprintf(out, size, "%s/%s%s%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant,
             p->os_version[0] ? ":" : "", p->os_version);
}

/* ---- parsing ---------------------------------------------------------- */

static int bad_platform(wcr_err *err, const char *input, const char *fmt, ...) WCR_PRINTF(3, 4);

/* "invalid platform "<input>": <why>" */
static int bad_platform(wcr_err *err, const char *input, const char *fmt, ...)
{
    char q[IMG_QUOTE_SIZE], why[2 * IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, input, strlen(input));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return wcr_err_set(err, WCR_E_INVALID, "invalid platform %s: %s", q, why);
}

/* Copy a span into a field: [A-Za-z0-9_.-]+ that fits. */
static int take(char *dst, size_t size, const char *what, const char *s, size_t n,
                const char *input, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, s, n);
    if (n == 0)
        return bad_platform(err, input, "empty %s", what);
    if (n >= size)
        return bad_platform(err, input, "%s %s is longer than %zu characters", what, q, size - 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
              c == '.' || c == '-'))
            return bad_platform(err, input, "%s %s: only letters, digits, '_', '.' and '-'", what,
                                q);
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* "N.N.N" or "N.N.N.N", decimal. */
static bool windows_version_ok(const char *v)
{
    int parts = 0;
    while (*v) {
        if (!is_digit(*v))
            return false;
        while (is_digit(*v))
            v++;
        parts++;
        if (*v == '.' && is_digit(v[1]))
            v++;
        else if (*v)
            return false;
    }
    return parts == 3 || parts == 4;
}

/* One name only: an OS (the host's architecture) or an architecture (the
 * host's OS). */
static int parse_single(wcr_platform *p, const wcr_platform *dflt, const char *input,
                        wcr_err *err)
{
    wcr_platform t = *p;
    lower(t.os);
    if (strcmp(t.os, "macos") == 0 || in_list(t.os, known_os, sizeof known_os / sizeof *known_os)) {
        set_field(p->arch, sizeof p->arch, dflt->arch);
        set_field(p->variant, sizeof p->variant, dflt->variant);
        return 0;
    }
    set_field(t.arch, sizeof t.arch, p->os);
    t.variant[0] = '\0';
    normalize_arch(t.arch, sizeof t.arch, t.variant, sizeof t.variant);
    if (!in_list(t.arch, known_arch, sizeof known_arch / sizeof *known_arch))
        return bad_platform(err, input, "unknown operating system or architecture \"%s\"", p->os);
    if (p->os_version[0])
        return bad_platform(err, input, "an os.version needs an operating system");
    set_field(p->os, sizeof p->os, dflt->os);
    set_field(p->arch, sizeof p->arch, t.arch);
    set_field(p->variant, sizeof p->variant, t.variant);
    return 0;
}

/* Split "os[(version)]" or "...:version" off; the rest is slash parts. */
static int parse_with(wcr_platform *out, const char *s, const wcr_platform *dflt, wcr_err *err)
{
    wcr_platform p;
    memset(&p, 0, sizeof p);
    if (!*s)
        return bad_platform(err, s, "empty");
    size_t end = strlen(s);
    const char *colon = strchr(s, ':');
    if (colon) {
        end = (size_t)(colon - s);
        if (take(p.os_version, sizeof p.os_version, "os.version", colon + 1, strlen(colon + 1), s,
                 err) < 0)
            return -1;
    }
    const char *parts[3];
    size_t lens[3], nparts = 0, i = 0;
    while (i <= end) {
        const char *slash = memchr(s + i, '/', end - i);
        size_t e = slash ? (size_t)(slash - s) : end;
        if (nparts == 3)
            return bad_platform(err, s, "more than os/architecture/variant");
        parts[nparts] = s + i;
        lens[nparts++] = e - i;
        i = e + 1;
    }
    /* containerd's "windows(10.0.17763)" */
    const char *paren = memchr(parts[0], '(', lens[0]);
    if (paren) {
        if (colon || parts[0][lens[0] - 1] != ')')
            return bad_platform(err, s, "a bad \"os(os.version)\" part");
        size_t vlen = lens[0] - (size_t)(paren - parts[0]) - 2;
        if (take(p.os_version, sizeof p.os_version, "os.version", paren + 1, vlen, s, err) < 0)
            return -1;
        lens[0] = (size_t)(paren - parts[0]);
    }
    static const char *const what[3] = { "operating system", "architecture", "variant" };
    char *fields[3] = { p.os, p.arch, p.variant };
    for (size_t k = 0; k < nparts; k++)
        if (take(fields[k], 16, what[k], parts[k], lens[k], s, err) < 0)
            return -1;
    if (nparts == 1 && parse_single(&p, dflt, s, err) < 0)
        return -1;
    wcr_platform_normalize(&p);
    if (strcmp(p.os, "windows") == 0 && p.os_version[0] && !windows_version_ok(p.os_version))
        return bad_platform(err, s, "Windows os.version \"%s\" is not major.minor.build[.revision]",
                            p.os_version);
    *out = p;
    return 0;
}

/* ---- the host --------------------------------------------------------- */

/* The real machine, never failing: what parsing fills in for a missing
 * OS or architecture. */
static void real_host(wcr_platform *p)
{
    memset(p, 0, sizeof *p);
    set_field(p->os, sizeof p->os, wcr_os_name());
    wcr_os_host h;
    if (wcr_os_host_info(&h, NULL) == 0) {
        set_field(p->arch, sizeof p->arch, h.arch);
        set_field(p->variant, sizeof p->variant, h.variant);
        if (h.major || h.minor || h.build)
            snprintf(p->os_version, sizeof p->os_version, "%u.%u.%u.%u", h.major, h.minor,
                     h.build, h.revision);
    } else {
        set_field(p->arch, sizeof p->arch, wcr_platform_arch());
    }
    wcr_platform_normalize(p);
}

int wcr_platform_host(wcr_platform *out, wcr_err *err)
{
    char *env = wcr_os_getenv(HOST_PLATFORM_ENV);
    if (env && *env) {
        wcr_platform real;
        real_host(&real);
        int rc = parse_with(out, env, &real, err);
        free(env);
        if (rc < 0)
            return wcr_err_wrap(err, "%s", HOST_PLATFORM_ENV);
        return 0;
    }
    free(env);
    wcr_os_host h;
    if (wcr_os_host_info(&h, err) < 0)
        return wcr_err_wrap(err, "host platform");
    wcr_platform p;
    memset(&p, 0, sizeof p);
    set_field(p.os, sizeof p.os, wcr_os_name());
    set_field(p.arch, sizeof p.arch, h.arch);
    set_field(p.variant, sizeof p.variant, h.variant);
    if (strcmp(p.os, "windows") == 0)
        snprintf(p.os_version, sizeof p.os_version, "%u.%u.%u.%u", h.major, h.minor, h.build,
                 h.revision);
    wcr_platform_normalize(&p);
    *out = p;
    return 0;
}

int wcr_platform_parse(wcr_platform *out, const char *s, wcr_err *err)
{
    wcr_platform dflt;
    if (wcr_platform_host(&dflt, NULL) < 0)
        real_host(&dflt);
    return parse_with(out, s, &dflt, err);
}
