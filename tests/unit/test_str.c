/* Tests of src/core/str.c. */
#include <stdlib.h>

#include "core/str.h"
#include "test.h"

TEST(asprintf_formats_into_fresh_memory)
{
    char *s = wcr_asprintf("%s-%d-%zu", "a", -3, (size_t)7);
    CHECK_STR(s, "a--3-7");
    free(s);
}

TEST(strndup_stops_at_nul_and_at_n)
{
    char *a = wcr_strndup("hello", 3), *b = wcr_strndup("hi", 10);
    CHECK_STR(a, "hel");
    CHECK_STR(b, "hi");
    CHECK(wcr_strdup(NULL) == NULL);
    free(a);
    free(b);
}

TEST(to_int64_accepts_only_whole_numbers_in_range)
{
    int64_t v = 0;
    CHECK_INT(wcr_str_to_int64("42", 0, 100, &v), 0);
    CHECK_INT(v, 42);
    CHECK_INT(wcr_str_to_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
    CHECK(v == INT64_MIN);
    CHECK_INT(wcr_str_to_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -1);
    CHECK_INT(wcr_str_to_int64("101", 0, 100, &v), -1);
    CHECK_INT(wcr_str_to_int64("4x", 0, 100, &v), -1);
    CHECK_INT(wcr_str_to_int64("", 0, 100, &v), -1);
    CHECK_INT(wcr_str_to_int64("-", 0, 100, &v), -1);
    CHECK_INT(wcr_str_to_int64(" 1", 0, 100, &v), -1);
}

TEST(human_size_uses_binary_units)
{
    char out[32];
    wcr_str_human_size(0, out, sizeof out);
    CHECK_STR(out, "0 B");
    wcr_str_human_size(1023, out, sizeof out);
    CHECK_STR(out, "1023 B");
    wcr_str_human_size(1536, out, sizeof out);
    CHECK_STR(out, "1.5 KiB");
    wcr_str_human_size((uint64_t)16 << 20, out, sizeof out);
    CHECK_STR(out, "16.0 MiB");
}

TEST(distance_counts_edits)
{
    CHECK_INT(wcr_str_distance("run", "run", 10), 0);
    CHECK_INT(wcr_str_distance("rnu", "run", 10), 2);
    CHECK_INT(wcr_str_distance("detatch", "detach", 10), 1);
    CHECK_INT(wcr_str_distance("version", "", 3), 3);
}

TEST(starts_and_ends_with)
{
    CHECK(wcr_str_starts_with("unix:///run", "unix://"));
    CHECK(!wcr_str_starts_with("npipe", "npipe://"));
    CHECK(wcr_str_ends_with("layer.tar.gz", ".gz"));
    CHECK(!wcr_str_ends_with("gz", ".tar.gz"));
}

TEST_MAIN()
