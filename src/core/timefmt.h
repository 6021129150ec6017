/* Times as RFC 3339 text in UTC, the way Go prints time.Time
 * ("2026-11-22T21:58:00.5Z": fraction without trailing zeros). */
#ifndef WCR_CORE_TIMEFMT_H
#define WCR_CORE_TIMEFMT_H

#include <stdint.h>

#define WCR_TIME_TEXT_MAX 40

void wcr_time_format(int64_t seconds, int32_t nanos, char out[WCR_TIME_TEXT_MAX]);

#endif
