/* The unit-test harness: registration, checks, the runner. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

enum { MAX_TESTS = 512 };

typedef struct test_case {
    const char *name;
    test_fn fn;
    int line;
} test_case;

static test_case cases[MAX_TESTS];
static size_t ncases;
static int current_failed;
static const char *current_skip;
static const char *data_dir = ".";

void test_register(const char *name, test_fn fn, int line)
{
    if (ncases == MAX_TESTS) {
        fprintf(stderr, "test harness: more than %d tests in one file\n", MAX_TESTS);
        exit(2);
    }
    cases[ncases++] = (test_case){ name, fn, line };
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stdout, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    current_failed = 1;
}

void test_skip(const char *reason)
{
    current_skip = reason;
}

bool test_failed_now(void)
{
    return current_failed != 0;
}

const char *test_data_dir(void)
{
    return data_dir;
}

static int by_line(const void *a, const void *b)
{
    return ((const test_case *)a)->line - ((const test_case *)b)->line;
}

int test_run_all(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data_dir = argv[++i];
        else
            only = argv[i];
    }
    qsort(cases, ncases, sizeof cases[0], by_line);
    size_t passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < ncases; i++) {
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        current_failed = 0;
        current_skip = NULL;
        cases[i].fn();
        if (current_failed) {
            printf("FAIL %s\n", cases[i].name);
            failed++;
        } else if (current_skip) {
            printf("skip %s: %s\n", cases[i].name, current_skip);
            skipped++;
        } else {
            printf("ok   %s\n", cases[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
    if (failed)
        return 1;
    if (passed == 0 && skipped == 0) {
        printf("no test ran%s%s\n", only ? " named " : "", only ? only : "");
        return 1;
    }
    return passed == 0 ? 77 : 0;
}
