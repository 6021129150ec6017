/* Tests of src/core/progress.c with a fake clock. */
#include <string.h>

#include "core/progress.h"
#include "test.h"

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
    return fake_now;
}

static void collect(void *ud, const char *text, size_t len)
{
    wcr_buf_append(ud, text, len);
}

TEST(quiet_writes_nothing)
{
    wcr_buf out = WCR_BUF_INIT("o", WCR_BUF_NO_LIMIT);
    wcr_progress *p = wcr_progress_new(WCR_PROGRESS_QUIET, 80, collect, &out, fake_clock, NULL);
    REQUIRE(p);
    size_t a = wcr_progress_add(p, "aaaaaaaaaaaa", 100);
    wcr_progress_advance(p, a, 100);
    wcr_progress_state(p, a, "Pull complete", true);
    wcr_progress_message(p, "hello");
    wcr_progress_flush(p);
    CHECK_INT(out.len, 0);
    wcr_progress_free(p);
    wcr_buf_dispose(&out);
}

TEST(lines_mode_prints_one_line_per_announced_step)
{
    wcr_buf out = WCR_BUF_INIT("o", WCR_BUF_NO_LIMIT);
    fake_now = 1000000000ULL;
    wcr_progress *p = wcr_progress_new(WCR_PROGRESS_LINES, 80, collect, &out, fake_clock, NULL);
    size_t a = wcr_progress_add(p, "0123456789abcdef", 2 << 20);
    size_t b = wcr_progress_add(p, "bbbbbbbbbbbb", 10);
    wcr_progress_state(p, a, "Downloading", false);
    wcr_progress_advance(p, a, 1 << 20);
    fake_now += 500000000ULL;
    wcr_progress_advance(p, a, 1 << 20);
    wcr_progress_state(p, a, "Download complete", true);
    wcr_progress_state(p, b, "Already exists", true);
    wcr_progress_message(p, "done %d", 2);
    CHECK_STR(wcr_buf_cstr(&out), "0123456789ab: Download complete (2.0 MiB in 0.5s, 4.0 MiB/s)\n"
                                  "bbbbbbbbbbbb: Already exists\n"
                                  "done 2\n");
    wcr_progress_free(p);
    wcr_buf_dispose(&out);
}

TEST(bars_mode_redraws_in_place_at_most_ten_times_a_second)
{
    wcr_buf out = WCR_BUF_INIT("o", WCR_BUF_NO_LIMIT);
    fake_now = 5000000000ULL;
    wcr_progress *p = wcr_progress_new(WCR_PROGRESS_BARS, 100, collect, &out, fake_clock, NULL);
    size_t a = wcr_progress_add(p, "aaaaaaaaaaaa", 1000);
    wcr_progress_add(p, "bbbbbbbbbbbb", 0);
    wcr_progress_state(p, a, "Downloading", false);
    size_t first = out.len;
    CHECK(first > 0);
    CHECK(strstr(wcr_buf_cstr(&out), "aaaaaaaaaaaa: Downloading") != NULL);
    wcr_progress_advance(p, a, 100); /* too soon: no redraw */
    CHECK_INT(out.len, first);
    fake_now += 300000000ULL;
    wcr_progress_advance(p, a, 400);
    CHECK(out.len > first);
    CHECK(strstr(wcr_buf_cstr(&out) + first, "\033[2A") != NULL); /* back up two lines */
    CHECK(strstr(wcr_buf_cstr(&out) + first, "[===============>              ] 500 B/1000 B") != NULL);
    wcr_progress_message(p, "a message");
    CHECK(strstr(wcr_buf_cstr(&out), "a message\n") != NULL);
    wcr_progress_free(p);
    wcr_buf_dispose(&out);
}

TEST_MAIN()
