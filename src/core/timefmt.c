/* RFC 3339 times in UTC. */
#include <stdio.h>
#include <string.h>

#include "core/timefmt.h"

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468; /* shift the epoch to 0000-03-01 */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void wcr_time_format(int64_t seconds, int32_t nanos, char out[WCR_TIME_TEXT_MAX])
{
    int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    int64_t rem = seconds - days * 86400;
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    int n = snprintf(out, WCR_TIME_TEXT_MAX, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)y, mo, d,
                     (unsigned)(rem / 3600), (unsigned)(rem % 3600 / 60), (unsigned)(rem % 60));
    if (nanos > 0 && nanos < 1000000000) {
        char frac[16];
        snprintf(frac, sizeof frac, ".%09d", (int)nanos);
        size_t len = strlen(frac);
        while (len > 1 && frac[len - 1] == '0')
            frac[--len] = '\0';
        snprintf(out + n, WCR_TIME_TEXT_MAX - (size_t)n, "%sZ", frac);
    } else {
        snprintf(out + n, WCR_TIME_TEXT_MAX - (size_t)n, "Z");
    }
}
