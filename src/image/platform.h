/* OCI platforms: parsing, the host's own, and choosing an image from an
 * index for a host (or a --platform the user asked for).
 *
 * Names are OCI's (Go's GOOS/GOARCH) and are normalised as containerd
 * does: OS lower-cased ("macos" is "darwin"); x86_64 and x86-64 are amd64,
 * aarch64 is arm64, i386 is 386, armhf is arm/v7, armel is arm/v6; arm
 * without a variant is arm/v7; the default variants arm64/v8 and amd64/v1
 * are dropped (written ""), so "linux/arm64/v8" equals "linux/arm64".
 *
 * Choosing (wcr_platform_choose). The OS and the architecture must match.
 *
 * Variants: the same variant is best; otherwise an older one of the same
 * family runs too and ranks below it: arm/vN takes arm/v(N-1) down to v5,
 * amd64/vN takes lower levels down to v1 (""), arm64/v8.x takes v8.0..v8.x
 * and arm64/v9.x takes v9.0..v9.x, then v8.0..v8.(x+5). Any other variant
 * must be equal.
 *
 * Windows os.version (major.minor.build[.revision]; the revision, Windows'
 * UBR, never decides whether an image runs, only its rank):
 *   - major.minor must equal the host's;
 *   - process isolation (WCR_ISOLATION_PROCESS, and DEFAULT, which the
 *     caller resolves before asking when it means something else):
 *       host build < 20348:  the image's build must equal the host's;
 *       host build >= 20348: builds from a floor up to the host's, where
 *         the floor is the LTSC release before the newest LTSC release that
 *         is <= the host, or 20348 when there is none before it (LTSCs:
 *         20348, 26100). So 20348 takes 20348 only; 22631 (Windows 11
 *         23H2) takes 20348..22631; 26100 and later hosts (e.g. 26200)
 *         take 20348..host. This is containerd's matcher (platforms
 *         package, platform_windows_compat.go) so wcr picks what ctr and
 *         nerdctl pick; hcsshim's own check sets the floor of hosts after
 *         26100 to 26100, which only narrows it.
 *   - Hyper-V isolation: any build up to the host's (never a newer one).
 *   - An entry without os.version is acceptable and ranks last.
 *   Among the acceptable: the host's own build first (highest revision
 *   first), then the highest os.version.
 *
 * A platform given with --platform is wanted instead of the host's
 * (want_is_host false): with an os.version it is treated like a host of
 * that version (and an entry with exactly that os.version ranks first);
 * without one, any Windows build is acceptable, the highest first.
 * os.features are not compared (containerd ignores "win32k", the only one
 * Windows images carry).
 */
#ifndef WCR_IMAGE_PLATFORM_H
#define WCR_IMAGE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "wcr/err.h"

typedef struct wcr_platform {
    char os[16];         /* "windows", "linux" */
    char arch[16];       /* "amd64", "arm64", "arm", "386" */
    char variant[16];    /* "v7", or "" (none, or the default) */
    char os_version[32]; /* "10.0.20348.2113", or "" */
} wcr_platform;

/* Room for anything wcr_platform_format writes. */
#define WCR_PLATFORM_STRLEN 96

typedef enum wcr_isolation {
    WCR_ISOLATION_DEFAULT = 0, /* treated as PROCESS */
    WCR_ISOLATION_PROCESS,
    WCR_ISOLATION_HYPERV
} wcr_isolation;

/* Parse a platform the user wrote: "os/arch[/variant][:osversion]" (also
 * containerd's "os(osversion)/arch[/variant]"), or just an OS ("windows")
 * or an architecture ("arm64"), the other part being the host's. A
 * Windows os.version must be major.minor.build[.revision]. Errors
 * (WCR_E_INVALID) name the bad part: invalid platform "linux/": empty
 * architecture. */
int wcr_platform_parse(wcr_platform *out, const char *s, wcr_err *err);

/* Fill from the fields of an image index or config (os may be NULL or ""
 * only for a platform that never matches; the rest may be NULL), then
 * normalise. -1 with WCR_E_INVALID when a field is too long for the
 * struct or has characters outside [A-Za-z0-9_.+-]; the message names the
 * field ("os.version: ..."). */
int wcr_platform_set(wcr_platform *out, const char *os, const char *arch, const char *variant,
                     const char *os_version, wcr_err *err);

/* Normalise names in place (see the top of this file). */
void wcr_platform_normalize(wcr_platform *p);

/* "windows/amd64:10.0.20348.2113", "linux/arm/v7": the form
 * wcr_platform_parse reads. */
void wcr_platform_format(const wcr_platform *p, char *out, size_t size);

/* Equal after normalisation (os.version compared as written). */
bool wcr_platform_equal(const wcr_platform *a, const wcr_platform *b);

/* The platform of the machine wcr runs on: wcr_os_name(), the CPU, and on
 * Windows os.version "major.minor.build.revision". The environment
 * variable WCR_HOST_PLATFORM (e.g. "windows/amd64:10.0.20348.2113")
 * replaces it; it is for tests and changes which image is chosen, nothing
 * else (wcr still talks to the real OS). */
int wcr_platform_host(wcr_platform *out, wcr_err *err);

/* Whether an image for `cand` can run where `want` is asked for (the
 * rules at the top of this file; want_is_host only affects ranking). */
bool wcr_platform_acceptable(const wcr_platform *want, wcr_isolation isolation,
                             const wcr_platform *cand);

/* Choose the best of n candidates (an index's entries, in its order; ties
 * go to the earlier one) and put its position in *chosen. When none is
 * acceptable: -1 with WCR_E_PLATFORM and a message that lists what is on
 * offer and says why, e.g.
 *   no image for windows/amd64 10.0.17763.5576 in the tag; it offers:
 *   windows/amd64 10.0.20348.2113, windows/amd64 10.0.26100.1742;
 *   process isolation needs the host's build 17763; images newer than the
 *   host cannot run on it, even with --isolation hyperv
 * or, for another OS, "...; this is a Linux image; a Windows host cannot
 * run it". It suggests --isolation hyperv when that would work. */
int wcr_platform_choose(const wcr_platform *want, bool want_is_host, wcr_isolation isolation,
                        const wcr_platform *candidates, size_t n, size_t *chosen, wcr_err *err);

#endif
