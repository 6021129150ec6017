/* Fuzz target for image references. Any input (up to its first NUL) is
 * parsed. A failure must leave nothing behind and say "invalid
 * reference". A success must be a fixed point: the normalised string and
 * the familiar form both parse back to the same reference, and every
 * piece obeys the grammar's limits. The same text also goes to the other
 * parser of things users type next to a reference, --platform's, whose
 * formatted result must parse back to the same platform. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image/platform.h"
#include "image/reference.h"

static void fail(const char *what, const char *input)
{
    fprintf(stderr, "fuzz_reference: %s: %s\n", what, input);
    abort();
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_ref(const wcr_ref *a, const wcr_ref *b)
{
    return same_str(a->domain, b->domain) && same_str(a->path, b->path) &&
           same_str(a->tag, b->tag) && same_str(a->digest, b->digest);
}

/* s must parse to exactly r. */
static void check_reparses(const wcr_ref *r, const char *s, const char *input)
{
    wcr_ref again = WCR_REF_INIT;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_ref_parse(&again, s, &err) < 0) {
        if (err.code == WCR_E_NOMEM)
            return;
        fprintf(stderr, "%s\n%s\n", s, err.msg ? err.msg : "?");
        fail("normalised form does not parse", input);
    }
    if (!same_ref(r, &again)) {
        fprintf(stderr, "%s\n", s);
        fail("normalised form parses differently", input);
    }
    wcr_ref_dispose(&again);
}

static void check_valid(const wcr_ref *r, const char *input)
{
    if (!r->domain || !r->path || (!r->tag && !r->digest))
        fail("parsed reference misses parts", input);
    if (strlen(r->domain) + 1 + strlen(r->path) > WCR_REF_NAME_MAX)
        fail("name longer than the limit", input);
    if (r->tag && (strlen(r->tag) == 0 || strlen(r->tag) > WCR_REF_TAG_MAX))
        fail("tag length out of range", input);
    if (r->digest && !wcr_digest_valid(r->digest))
        fail("digest not valid", input);
    for (const char *p = r->path; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            fail("upper case in the path", input);
    char *full = wcr_ref_string(r), *fam = wcr_ref_familiar(r);
    if (full)
        check_reparses(r, full, input);
    if (fam)
        check_reparses(r, fam, input);
    free(full);
    free(fam);
}

static void check_platform(const char *input)
{
    wcr_platform p;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_platform_parse(&p, input, &err) < 0) {
        if (err.code != WCR_E_INVALID || !err.msg ||
            strncmp(err.msg, "invalid platform \"", 18) != 0)
            fail("unexpected platform error", input);
        wcr_err_dispose(&err);
        return;
    }
    char s[WCR_PLATFORM_STRLEN];
    wcr_platform_format(&p, s, sizeof s);
    wcr_platform again;
    if (wcr_platform_parse(&again, s, &err) < 0) {
        fprintf(stderr, "%s\n%s\n", s, err.msg ? err.msg : "?");
        fail("formatted platform does not parse", input);
    }
    if (!wcr_platform_equal(&p, &again))
        fail("formatted platform parses differently", input);
    /* A platform always accepts itself. */
    if (!wcr_platform_acceptable(&p, WCR_ISOLATION_PROCESS, &p))
        fail("platform does not accept itself", input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = malloc(size + 1);
    if (!input)
        return 0;
    memcpy(input, data, size);
    input[size] = '\0';
    wcr_ref r = WCR_REF_INIT;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_ref_parse(&r, input, &err) < 0) {
        if (r.domain || r.path || r.tag || r.digest)
            fail("failed parse left parts behind", input);
        if (err.code != WCR_E_NOMEM &&
            (err.code != WCR_E_INVALID || !err.msg ||
             strncmp(err.msg, "invalid reference \"", 19) != 0))
            fail("unexpected error", input);
        wcr_err_dispose(&err);
    } else {
        check_valid(&r, input);
        wcr_ref_dispose(&r);
    }
    /* The digest checker alone, on the same bytes. */
    if (wcr_digest_valid(input) != (wcr_digest_hex(input) != NULL))
        fail("digest_valid and digest_hex disagree", input);
    check_platform(input);
    free(input);
    return 0;
}
