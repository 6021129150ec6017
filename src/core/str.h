/* Small string helpers that C11 lacks (strdup is POSIX, not C). */
#ifndef WCR_CORE_STR_H
#define WCR_CORE_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/common.h"

/* malloc'd copies; NULL when memory is exhausted (and for s == NULL). */
char *wcr_strdup(const char *s);
char *wcr_strndup(const char *s, size_t n);
char *wcr_asprintf(const char *fmt, ...) WCR_PRINTF(1, 2);
char *wcr_vasprintf(const char *fmt, va_list ap) WCR_PRINTF(1, 0);

bool wcr_str_starts_with(const char *s, const char *prefix);

/* ASCII case-insensitive comparison (HTTP header names, hosts). */
int wcr_str_casecmp(const char *a, const char *b);
bool wcr_str_caseeq(const char *a, const char *b);
bool wcr_str_ends_with(const char *s, const char *suffix);

/* Parse all of s as a decimal integer within [min, max]. */
int wcr_str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* "0 B", "512 B", "1.5 KiB", "23.4 MiB" into out (at least 16 bytes). */
void wcr_str_human_size(uint64_t bytes, char *out, size_t size);

/* Edit distance between two ASCII strings, capped at `cap` (returns cap when
 * the distance is at least cap), for "did you mean" suggestions. */
size_t wcr_str_distance(const char *a, const char *b, size_t cap);

#endif
