/* Choosing an image from an index for a platform, and saying why nothing
 * fits. The rules are described in platform.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "image/platform.h"

/* Windows LTSC builds, ascending: Server 2022, Server 2025. A host of one
 * of these (or later) runs images from the LTSC before it on. */
static const unsigned ltsc_builds[] = { 20348, 26100 };
#define N_LTSC (sizeof ltsc_builds / sizeof ltsc_builds[0])

/* How many offers a refusal lists before it cuts the list short. */
#define MAX_LISTED 24

typedef struct winver {
    unsigned major, minor, build, revision;
} winver;

/* "major.minor.build[.revision]" in decimal; false for anything else
 * (then the entry never matches a version rule). */
static bool winver_parse(const char *s, winver *v)
{
    unsigned n[4] = { 0, 0, 0, 0 };
    size_t parts = 0;
    const char *p = s;
    while (parts < 4) {
        if (*p < '0' || *p > '9')
            return false;
        uint32_t x = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (x > (UINT32_MAX - 9) / 10)
                return false;
            x = x * 10 + (uint32_t)(*p - '0');
        }
        n[parts++] = (unsigned)x;
        if (*p != '.')
            break;
        p++;
    }
    if (*p || parts < 3)
        return false;
    v->major = n[0];
    v->minor = n[1];
    v->build = n[2];
    v->revision = n[3];
    return true;
}

/* The oldest build a host can run with process isolation, for hosts at
 * or after the first LTSC: the LTSC before the newest LTSC <= host. */
static unsigned ltsc_floor(unsigned host_build)
{
    size_t i = N_LTSC;
    while (i > 0 && ltsc_builds[i - 1] > host_build)
        i--;
    /* i - 1 is the newest LTSC <= host (i >= 1 for hosts >= the first) */
    return i >= 2 ? ltsc_builds[i - 2] : ltsc_builds[0];
}

static bool windows_build_runs(const winver *host, const winver *img, wcr_isolation iso)
{
    if (img->major != host->major || img->minor != host->minor)
        return false;
    if (img->build > host->build)
        return false; /* never an image newer than the host */
    if (iso == WCR_ISOLATION_HYPERV)
        return true;
    if (host->build < ltsc_builds[0])
        return img->build == host->build;
    return img->build >= ltsc_floor(host->build);
}

/* ---- variants --------------------------------------------------------- */

/* Digits at *p into *out (at most 3 of them); false when there are none. */
static bool small_number(const char **p, unsigned *out)
{
    unsigned x = 0;
    size_t k = 0;
    for (; **p >= '0' && **p <= '9' && k < 3; (*p)++, k++)
        x = x * 10 + (unsigned)(**p - '0');
    *out = x;
    return k > 0;
}

/* "vN" or "vN.M", or "" for the family's default level; false otherwise. */
static bool variant_level(const char *v, unsigned dflt_major, unsigned *major, unsigned *minor)
{
    *major = dflt_major;
    *minor = 0;
    if (!*v)
        return true;
    if (*v++ != 'v' || !small_number(&v, major))
        return false;
    if (*v == '.' && (v++, !small_number(&v, minor)))
        return false;
    return *v == '\0';
}

/* arm/vN runs vN down to v5 (arm alone is v7); amd64/vN down to v1
 * (amd64 alone is v1). */
static long level_distance(const char *want, const char *cand, unsigned dflt, unsigned floor)
{
    unsigned wmaj, wmin, cmaj, cmin;
    if (!variant_level(want, dflt, &wmaj, &wmin) || !variant_level(cand, dflt, &cmaj, &cmin) ||
        wmin || cmin || cmaj < floor || cmaj > wmaj)
        return -1;
    return (long)(wmaj - cmaj);
}

/* arm64/v8.x runs v8.0..v8.x; v9.x runs v9.0..v9.x and v8.0..v8.(x+5). */
static long arm64_distance(const char *want, const char *cand)
{
    unsigned wmaj, wmin, cmaj, cmin;
    if (!variant_level(want, 8, &wmaj, &wmin) || !variant_level(cand, 8, &cmaj, &cmin))
        return -1;
    bool ok = (cmaj == wmaj && cmin <= wmin) || (wmaj == 9 && cmaj == 8 && cmin <= wmin + 5);
    return ok ? ((long)wmaj * 100 + (long)wmin) - ((long)cmaj * 100 + (long)cmin) : -1;
}

/* How far below the wanted variant an image's is: 0 for the same, more
 * for older ones that still run; -1 when it does not run. */
static long variant_distance(const char *arch, const char *want, const char *cand)
{
    if (strcmp(want, cand) == 0)
        return 0;
    if (strcmp(arch, "arm") == 0)
        return level_distance(want, cand, 7, 5);
    if (strcmp(arch, "amd64") == 0)
        return level_distance(want, cand, 1, 1);
    if (strcmp(arch, "arm64") == 0)
        return arm64_distance(want, cand);
    return -1;
}

/* ---- acceptance and rank ---------------------------------------------- */

static bool is_windows(const wcr_platform *p)
{
    return strcmp(p->os, "windows") == 0;
}

static wcr_platform normalized(const wcr_platform *p)
{
    wcr_platform n = *p;
    wcr_platform_normalize(&n);
    return n;
}

/* Acceptance on normalised platforms. */
static bool accepts(const wcr_platform *want, wcr_isolation isolation, const wcr_platform *cand)
{
    if (strcmp(want->os, cand->os) != 0 || strcmp(want->arch, cand->arch) != 0)
        return false;
    if (variant_distance(want->arch, want->variant, cand->variant) < 0)
        return false;
    if (!is_windows(want) || !want->os_version[0] || !cand->os_version[0])
        return true;
    winver w, c;
    if (!winver_parse(want->os_version, &w))
        return strcmp(want->os_version, cand->os_version) == 0;
    return winver_parse(cand->os_version, &c) && windows_build_runs(&w, &c, isolation);
}

bool wcr_platform_acceptable(const wcr_platform *want, wcr_isolation isolation,
                             const wcr_platform *cand)
{
    wcr_platform w = normalized(want), c = normalized(cand);
    return accepts(&w, isolation, &c);
}

/* What ranks an acceptable entry; compared field by field, larger first
 * except `variant_gap`. */
typedef struct rank {
    bool exact;        /* os.version exactly as an explicit --platform asked */
    long variant_gap;  /* 0: the wanted variant */
    bool has_version;  /* entries without os.version come last */
    bool same_build;   /* the wanted (host's) build */
    winver v;
} rank;

static rank rank_of(const wcr_platform *want, bool want_is_host, const wcr_platform *cand)
{
    rank r;
    memset(&r, 0, sizeof r);
    r.variant_gap = variant_distance(want->arch, want->variant, cand->variant);
    r.exact = !want_is_host && want->os_version[0] &&
              strcmp(want->os_version, cand->os_version) == 0;
    if (!is_windows(want))
        return r;
    r.has_version = winver_parse(cand->os_version, &r.v);
    winver w;
    r.same_build = r.has_version && winver_parse(want->os_version, &w) &&
                   w.major == r.v.major && w.minor == r.v.minor && w.build == r.v.build;
    return r;
}

/* -1, 0, 1 as in strcmp, on a list of unsigned keys (larger first). */
static int cmp_u(unsigned a, unsigned b)
{
    return a > b ? -1 : a < b;
}

/* < 0 when a is better than b. */
static int rank_cmp(const rank *a, const rank *b)
{
    if (a->exact != b->exact)
        return a->exact ? -1 : 1;
    if (a->variant_gap != b->variant_gap)
        return a->variant_gap < b->variant_gap ? -1 : 1;
    if (a->has_version != b->has_version)
        return a->has_version ? -1 : 1;
    if (a->same_build != b->same_build)
        return a->same_build ? -1 : 1;
    int c = cmp_u(a->v.major, b->v.major);
    if (!c)
        c = cmp_u(a->v.minor, b->v.minor);
    if (!c)
        c = cmp_u(a->v.build, b->v.build);
    if (!c)
        c = cmp_u(a->v.revision, b->v.revision);
    return c;
}

/* The best acceptable entry's position, or n when there is none. want
 * is normalised. */
static size_t best_of(const wcr_platform *want, bool want_is_host, wcr_isolation iso,
                      const wcr_platform *cands, size_t n)
{
    size_t best = n;
    rank best_rank;
    memset(&best_rank, 0, sizeof best_rank);
    for (size_t i = 0; i < n; i++) {
        wcr_platform c = normalized(&cands[i]);
        if (!accepts(want, iso, &c))
            continue;
        rank r = rank_of(want, want_is_host, &c);
        if (best == n || rank_cmp(&r, &best_rank) < 0) {
            best = i;
            best_rank = r;
        }
    }
    return best;
}

/* ---- refusals --------------------------------------------------------- */

/* "windows/amd64 10.0.20348.2113", as messages show a platform. */
static void display(const wcr_platform *p, char *out, size_t size)
{
    snprintf(out, size, "%s/%s%s%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant,
             p->os_version[0] ? " " : "", p->os_version);
}

static const char *os_title(const char *os)
{
    if (strcmp(os, "windows") == 0)
        return "Windows";
    if (strcmp(os, "linux") == 0)
        return "Linux";
    return os;
}

/* Entries without a real platform (buildx's attestations say
 * unknown/unknown) are not offers. */
static bool is_offer(const wcr_platform *p)
{
    return p->os[0] && strcmp(p->os, "unknown") != 0;
}

/* "it offers: a, b, c" with duplicates left out; returns how many
 * entries are offers. */
static size_t list_offers(wcr_buf *b, const wcr_platform *cands, size_t n)
{
    size_t listed[MAX_LISTED], nlisted = 0, offers = 0;
    for (size_t i = 0; i < n; i++) {
        wcr_platform c = normalized(&cands[i]);
        if (!is_offer(&c))
            continue;
        offers++;
        bool dup = false;
        for (size_t k = 0; k < nlisted && !dup; k++)
            dup = wcr_platform_equal(&cands[listed[k]], &cands[i]);
        if (dup)
            continue;
        if (nlisted == MAX_LISTED) {
            wcr_buf_puts(b, ", ...");
            break;
        }
        char d[WCR_PLATFORM_STRLEN];
        display(&c, d, sizeof d);
        wcr_buf_printf(b, "%s%s", nlisted ? ", " : "it offers: ", d);
        listed[nlisted++] = i;
    }
    if (offers == 0)
        wcr_buf_puts(b, n ? "it lists no runnable platform" : "it lists no images");
    return offers;
}

/* The one OS all offers share into os (16 bytes); false when they
 * differ or there are none. */
static bool single_os(const wcr_platform *cands, size_t n, char *os)
{
    os[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        wcr_platform c = normalized(&cands[i]);
        if (!is_offer(&c))
            continue;
        if (os[0] && strcmp(os, c.os) != 0)
            return false;
        memcpy(os, c.os, sizeof c.os);
    }
    return os[0] != '\0';
}

/* Whether any entry for the wanted OS and architecture has the wanted
 * Windows major.minor. */
static bool has_major_minor(const wcr_platform *want, const winver *w, const wcr_platform *cands,
                            size_t n)
{
    for (size_t i = 0; i < n; i++) {
        wcr_platform c = normalized(&cands[i]);
        winver v;
        if (strcmp(c.os, want->os) == 0 && strcmp(c.arch, want->arch) == 0 &&
            winver_parse(c.os_version, &v) && v.major == w->major && v.minor == w->minor)
            return true;
    }
    return false;
}

/* Why no Windows build fits, and whether Hyper-V isolation would help. */
static void explain_windows(wcr_buf *b, const wcr_platform *want, bool want_is_host,
                            wcr_isolation iso, const wcr_platform *cands, size_t n)
{
    winver w;
    if (!winver_parse(want->os_version, &w)) {
        wcr_buf_printf(b, "; no entry has os.version %s", want->os_version);
        return;
    }
    if (!has_major_minor(want, &w, cands, n)) {
        wcr_buf_printf(b, "; it has no Windows %u.%u image", w.major, w.minor);
        return;
    }
    if (iso == WCR_ISOLATION_HYPERV) {
        wcr_buf_printf(b, "; Hyper-V isolation needs %u.%u.%u%s or older", w.major, w.minor,
                       w.build, want_is_host ? " (the host's build)" : "");
        return;
    }
    unsigned floor = w.build < ltsc_builds[0] ? w.build : ltsc_floor(w.build);
    if (floor == w.build)
        wcr_buf_printf(b, "; process isolation needs %sbuild %u", want_is_host ? "the host's " : "",
                       w.build);
    else
        wcr_buf_printf(b, "; process isolation needs a build from %u to %u (%s build)", floor,
                       w.build, want_is_host ? "the host's" : "the wanted");
    size_t h = best_of(want, want_is_host, WCR_ISOLATION_HYPERV, cands, n);
    if (h < n) {
        char d[WCR_PLATFORM_STRLEN];
        wcr_platform c = normalized(&cands[h]);
        display(&c, d, sizeof d);
        wcr_buf_printf(b, "; the older image %s runs with --isolation hyperv", d);
    } else {
        wcr_buf_printf(b, "; images newer than %s cannot run on it, even with --isolation hyperv",
                       want_is_host ? "the host" : "the wanted build");
    }
}

/* The reason after the list: the first thing that rules every entry out. */
static void explain(wcr_buf *b, const wcr_platform *want, bool want_is_host, wcr_isolation iso,
                    const wcr_platform *cands, size_t n)
{
    size_t same_os = 0, same_arch = 0, same_variant = 0;
    for (size_t i = 0; i < n; i++) {
        wcr_platform cn = normalized(&cands[i]);
        const wcr_platform *c = &cn;
        if (strcmp(c->os, want->os) != 0)
            continue;
        same_os++;
        if (strcmp(c->arch, want->arch) != 0)
            continue;
        same_arch++;
        if (variant_distance(want->arch, want->variant, c->variant) >= 0)
            same_variant++;
    }
    char other_os[sizeof want->os];
    const char *other = single_os(cands, n, other_os) ? other_os : NULL;
    if (same_os == 0 && other && want_is_host)
        wcr_buf_printf(b, "; this is a %s image; a %s host cannot run it", os_title(other),
                       os_title(want->os));
    else if (same_os == 0 && other)
        wcr_buf_printf(b, "; it has only %s images", os_title(other));
    else if (same_os == 0)
        wcr_buf_printf(b, "; it has no %s image", os_title(want->os));
    else if (same_arch == 0)
        wcr_buf_printf(b, "; it has no %s image for %s", os_title(want->os), want->arch);
    else if (same_variant == 0)
        wcr_buf_printf(b, "; none of its %s/%s images runs on variant %s", want->os, want->arch,
                       want->variant[0] ? want->variant : "(default)");
    else if (is_windows(want))
        explain_windows(b, want, want_is_host, iso, cands, n);
}

static int refuse(const wcr_platform *want, bool want_is_host, wcr_isolation iso,
                  const wcr_platform *cands, size_t n, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("platform message", 64 * 1024);
    char w[WCR_PLATFORM_STRLEN];
    display(want, w, sizeof w);
    wcr_buf_printf(&b, "no image for %s in the tag; ", w);
    if (list_offers(&b, cands, n) > 0)
        explain(&b, want, want_is_host, iso, cands, n);
    int rc;
    if (wcr_buf_check(&b, NULL) == 0)
        rc = wcr_err_set(err, WCR_E_PLATFORM, "%s", wcr_buf_cstr(&b));
    else
        rc = wcr_err_set(err, WCR_E_PLATFORM, "no image for %s in the tag", w);
    wcr_buf_dispose(&b);
    return rc;
}

int wcr_platform_choose(const wcr_platform *want, bool want_is_host, wcr_isolation isolation,
                        const wcr_platform *candidates, size_t n, size_t *chosen, wcr_err *err)
{
    wcr_platform w = normalized(want);
    size_t best = best_of(&w, want_is_host, isolation, candidates, n);
    if (best == n)
        return refuse(&w, want_is_host, isolation, candidates, n, err);
    *chosen = best;
    return 0;
}
