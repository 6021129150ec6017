/* A very small unit-test harness.
 *
 *   TEST(parses_empty_object) { ... CHECK(x == 1); ... }
 *   TEST_MAIN()
 *
 * CHECK records a failure and goes on; REQUIRE records it and leaves the
 * test. TEST_SKIP(reason) leaves the test marked as skipped. The binary
 * exits 0 when every test passed, 1 when one failed, 77 when all skipped.
 * Arguments: a test name runs only that test; `--data DIR` sets
 * test_data_dir() for tests that read files.
 */
#ifndef WCR_TEST_H
#define WCR_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wcr/common.h"

typedef void (*test_fn)(void);

void test_fail(const char *file, int line, const char *fmt, ...)
    WCR_PRINTF(3, 4);
void test_skip(const char *reason);
bool test_failed_now(void);
const char *test_data_dir(void);
void test_register(const char *name, test_fn fn, int line);
int test_run_all(int argc, char **argv);

/* TEST(name) defines a test and registers it (in file order) before main. */
#define TEST(name)                                                     \
    static void name(void);                                            \
    __attribute__((constructor)) static void name##_register_(void)    \
    {                                                                  \
        test_register(#name, name, __LINE__);                          \
    }                                                                  \
    static void name(void)

#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond))                                                  \
            test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);        \
    } while (0)

#define REQUIRE(cond)                                                 \
    do {                                                              \
        if (!(cond)) {                                                \
            test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);      \
            return;                                                   \
        }                                                             \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_)                                                          \
            test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b,     \
                      a_, b_);                                                 \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                 \
            test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)");                  \
    } while (0)

#define CHECK_MEM(a, alen, b, blen)                                            \
    do {                                                                       \
        size_t al_ = (alen), bl_ = (blen);                                     \
        if (al_ != bl_ || memcmp((a), (b), al_) != 0)                          \
            test_fail(__FILE__, __LINE__, "%s[%zu] != %s[%zu]", #a, al_, #b,    \
                      bl_);                                                    \
    } while (0)

#define TEST_SKIP(reason)                                                      \
    do {                                                                       \
        test_skip(reason);                                                     \
        return;                                                                \
    } while (0)

/* Every test binary ends with TEST_MAIN(). */
#define TEST_MAIN()                                                    \
    int main(int argc, char **argv)                                    \
    {                                                                  \
        return test_run_all(argc, argv);                               \
    }

#endif
