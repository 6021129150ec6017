/* Tests of the OS layer (src/os): the same tests run natively and, for the
 * Windows build, under Wine; where the OSes differ the test asks
 * wcr_os_name() which rules apply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"
#include "test.h"

static bool on_windows(void)
{
    return strcmp(wcr_os_name(), "windows") == 0;
}

static char *join(const char *dir, const char *name)
{
    return wcr_asprintf("%s%c%s", dir, wcr_os_path_sep(), name);
}

static void fail_with(const char *what, wcr_err *err)
{
    char *msg = wcr_err_format(err, true);
    test_fail(__FILE__, __LINE__, "%s: %s", what, msg ? msg : "(no memory)");
    free(msg);
    wcr_err_dispose(err);
}

/* A fresh directory of our own under the OS's temporary directory. */
static char *make_scratch_dir(void)
{
    wcr_err err = WCR_ERR_INIT;
    char *tmp = wcr_os_temp_dir(&err);
    if (!tmp) {
        fail_with("temp dir", &err);
        return NULL;
    }
    int64_t s;
    int32_t ns;
    wcr_os_wall_time(&s, &ns);
    char *dir = wcr_asprintf("%s%cwcr-test-os-%lld-%ld-%llu", tmp, wcr_os_path_sep(), (long long)s,
                             (long)ns, (unsigned long long)(wcr_os_monotonic_ns() % 1000000));
    free(tmp);
    if (dir && wcr_os_mkdir_p(dir, 0700, &err) < 0) {
        fail_with("mkdir scratch dir", &err);
        free(dir);
        return NULL;
    }
    return dir;
}

/* Remove a scratch directory, which must be empty by now. */
static void remove_scratch_dir(char *dir)
{
    wcr_err err = WCR_ERR_INIT;
    if (dir && wcr_os_remove_dir(dir, &err) < 0)
        fail_with("remove scratch dir (something was left in it?)", &err);
    free(dir);
}

static int write_text(const char *path, const char *text)
{
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_os_write_file_atomic(path, text, strlen(text), 0644, &err);
    if (rc < 0)
        fail_with("write", &err);
    return rc;
}

/* A string of n bytes, each from a repeating pattern. */
static char *pattern(size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = '\0';
    return s;
}

/* --- basics ----------------------------------------------------------------- */

TEST(os_name_and_separator_agree)
{
    const char *name = wcr_os_name();
    CHECK(strcmp(name, "linux") == 0 || strcmp(name, "windows") == 0);
    CHECK(wcr_os_path_sep() == (on_windows() ? '\\' : '/'));
}

/* --- environment ------------------------------------------------------------ */

TEST(env_set_get_and_unset)
{
    const char *name = "WCR_TEST_OS_VARIABLE";
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_setenv(name, NULL, &err), 0); /* unsetting an unset one is fine */
    CHECK(wcr_os_getenv(name) == NULL);

    CHECK_INT(wcr_os_setenv(name, "first", &err), 0);
    char *v = wcr_os_getenv(name);
    CHECK_STR(v, "first");
    free(v);

    CHECK_INT(wcr_os_setenv(name, "second value", &err), 0);
    v = wcr_os_getenv(name);
    CHECK_STR(v, "second value");
    free(v);

    CHECK_INT(wcr_os_setenv(name, NULL, &err), 0);
    CHECK(wcr_os_getenv(name) == NULL);
    CHECK_INT(wcr_os_setenv(name, NULL, NULL), 0);
    if (err.code)
        fail_with("setenv", &err);
}

TEST(env_keeps_a_utf8_value)
{
    /* "Ünïcødé ✓ 😀": two-, three- and four-byte sequences. */
    const char *value = "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80";
    const char *name = "WCR_TEST_OS_UTF8";
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_setenv(name, value, &err) < 0)
        fail_with("setenv", &err);
    char *v = wcr_os_getenv(name);
    CHECK_STR(v, value);
    free(v);
    wcr_os_setenv(name, NULL, NULL);
}

TEST(env_keeps_an_empty_value)
{
    const char *name = "WCR_TEST_OS_EMPTY";
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_setenv(name, "", &err) < 0)
        fail_with("setenv", &err);
    char *v = wcr_os_getenv(name);
    CHECK_STR(v, ""); /* set, but empty: not the same as unset */
    free(v);
    wcr_os_setenv(name, NULL, NULL);
}

TEST(env_rejects_a_bad_name)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_setenv("BAD=NAME", "x", &err), -1);
    CHECK(err.msg && strstr(err.msg, "BAD=NAME"));
    wcr_err_dispose(&err);
}

/* --- time --------------------------------------------------------------------- */

TEST(monotonic_time_never_goes_backwards)
{
    uint64_t prev = wcr_os_monotonic_ns();
    size_t back = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t now = wcr_os_monotonic_ns();
        if (now < prev)
            back++;
        prev = now;
    }
    CHECK_INT(back, 0);
}

TEST(monotonic_time_advances_over_a_sleep)
{
    uint64_t t0 = wcr_os_monotonic_ns();
    wcr_os_sleep_ms(20);
    uint64_t t1 = wcr_os_monotonic_ns();
    CHECK(t1 >= t0);
    uint64_t ms = (t1 - t0) / 1000000u;
    if (ms < 20 || ms > 5000)
        test_fail(__FILE__, __LINE__, "a 20 ms sleep took %llu ms", (unsigned long long)ms);
}

TEST(wall_time_is_after_2020)
{
    int64_t s = 0;
    int32_t ns = -1;
    wcr_os_wall_time(&s, &ns);
    CHECK(s > 1577836800);  /* 2020-01-01T00:00:00Z */
    CHECK(s < 4102444800);  /* 2100-01-01: not garbage either */
    CHECK(ns >= 0 && ns < 1000000000);
}

/* --- files -------------------------------------------------------------------- */

TEST(temp_dir_exists)
{
    wcr_err err = WCR_ERR_INIT;
    char *tmp = wcr_os_temp_dir(&err);
    REQUIRE(tmp != NULL);
    CHECK(tmp[0] != '\0');
    CHECK(wcr_os_path_exists(tmp));
    size_t n = strlen(tmp);
    CHECK(n <= 3 || tmp[n - 1] != wcr_os_path_sep()); /* no trailing separator */
    free(tmp);
}

TEST(write_atomic_creates_then_replaces_a_file)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *path = join(dir, "config.json");
    wcr_err err = WCR_ERR_INIT;
    char *data = NULL;
    size_t len = 0;

    CHECK(!wcr_os_path_exists(path));
    const char first[] = "{\"first\": true,\n \"bytes\": \"\x01\x00\xff\"}";
    if (wcr_os_write_file_atomic(path, first, sizeof first - 1, 0600, &err) < 0)
        fail_with("first write", &err);
    CHECK(wcr_os_path_exists(path));
    if (wcr_os_read_file(path, 1024, &data, &len, &err) < 0)
        fail_with("read", &err);
    CHECK_MEM(data, len, first, sizeof first - 1);
    free(data);

    /* Shorter contents replace all of the old ones. */
    write_text(path, "{}");
    if (wcr_os_read_file(path, 1024, &data, &len, &err) < 0)
        fail_with("read", &err);
    CHECK_MEM(data, len, "{}", 2);
    CHECK(data && data[len] == '\0');
    free(data);

    /* Empty contents too. */
    write_text(path, "");
    if (wcr_os_read_file(path, 1024, &data, &len, &err) < 0)
        fail_with("read", &err);
    CHECK_INT(len, 0);
    CHECK_STR(data, "");
    free(data);

    /* With the file gone the directory must be empty: no temporary file
     * was left beside it. */
    CHECK_INT(wcr_os_remove_file(path, &err), 0);
    CHECK(!wcr_os_path_exists(path));
    free(path);
    remove_scratch_dir(dir);
}

TEST(write_atomic_into_a_missing_directory_fails)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *sub = join(dir, "missing");
    char *path = join(sub, "file");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_write_file_atomic(path, "x", 1, 0644, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_NOT_FOUND));
    CHECK(err.msg && strstr(err.msg, path));
    wcr_err_dispose(&err);
    free(path);
    free(sub);
    remove_scratch_dir(dir);
}

TEST(read_file_enforces_its_limit)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *path = join(dir, "data");
    wcr_err err = WCR_ERR_INIT;
    /* Sizes around the reader's internal growth steps (4 KiB, doubling). */
    static const size_t sizes[] = { 0, 1, 100, 4094, 4095, 4096, 4097, 8191, 8192, 20000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        char *text = pattern(n);
        REQUIRE(text != NULL);
        if (write_text(path, text) < 0) {
            free(text);
            break;
        }
        char *data = (char *)1;
        size_t len = 1;
        /* Exactly the limit: fine. */
        if (wcr_os_read_file(path, n, &data, &len, &err) < 0) {
            test_fail(__FILE__, __LINE__, "a file of %zu bytes, limit %zu: %s", n, n, err.msg);
            wcr_err_dispose(&err);
        } else {
            CHECK_MEM(data, len, text, n);
            free(data);
        }
        /* One byte over: WCR_E_LIMIT, nothing returned. */
        if (n > 0) {
            data = (char *)1;
            CHECK_INT(wcr_os_read_file(path, n - 1, &data, &len, &err), -1);
            if (!wcr_err_is(&err, WCR_E_LIMIT))
                test_fail(__FILE__, __LINE__, "a file of %zu bytes, limit %zu: code %s", n, n - 1,
                          wcr_err_code_name(err.code));
            CHECK(data == NULL);
            CHECK(err.msg && strstr(err.msg, path));
            wcr_err_dispose(&err);
        }
        free(text);
    }
    /* len may be NULL. */
    char *data = NULL;
    CHECK_INT(wcr_os_read_file(path, SIZE_MAX, &data, NULL, &err), 0);
    CHECK(data && strlen(data) == 20000);
    free(data);
    wcr_os_remove_file(path, NULL);
    free(path);
    remove_scratch_dir(dir);
}

TEST(read_file_of_a_missing_file_is_not_found)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *path = join(dir, "no-such-file");
    wcr_err err = WCR_ERR_INIT;
    char *data = (char *)1;
    CHECK_INT(wcr_os_read_file(path, 100, &data, NULL, &err), -1);
    CHECK(data == NULL);
    CHECK(wcr_err_is(&err, WCR_E_NOT_FOUND));
    CHECK(err.msg && strstr(err.msg, path));
    CHECK(err.cause == (on_windows() ? WCR_CAUSE_WIN32 : WCR_CAUSE_ERRNO));
    wcr_err_dispose(&err);
    free(path);
    remove_scratch_dir(dir);
}

TEST(remove_of_a_missing_file_or_dir_is_fine)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *path = join(dir, "never-there");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_remove_file(path, &err), 0);
    CHECK_INT(wcr_os_remove_dir(path, &err), 0);
    if (err.code)
        fail_with("remove", &err);
    free(path);
    remove_scratch_dir(dir);
}

TEST(remove_dir_refuses_a_non_empty_directory)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *path = join(dir, "f");
    write_text(path, "x");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_remove_dir(dir, &err), -1);
    CHECK(wcr_os_path_exists(path));
    wcr_err_dispose(&err);
    wcr_os_remove_file(path, NULL);
    free(path);
    remove_scratch_dir(dir);
}

TEST(mkdir_p_makes_nested_directories)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *a = join(dir, "a"), *ab = join(a, "b"), *abc = join(ab, "c");
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_mkdir_p(abc, 0755, &err) < 0)
        fail_with("mkdir_p", &err);
    CHECK(wcr_os_path_exists(abc));
    /* Again, and with a trailing separator: existing dirs are fine. */
    CHECK_INT(wcr_os_mkdir_p(abc, 0755, &err), 0);
    char *slash = wcr_asprintf("%s%c", abc, wcr_os_path_sep());
    CHECK_INT(wcr_os_mkdir_p(slash, 0755, &err), 0);
    CHECK_INT(wcr_os_mkdir_p(dir, 0755, &err), 0);
    /* Both separators work on Windows. */
    if (on_windows()) {
        char *mixed = wcr_asprintf("%s/x/y", ab);
        CHECK_INT(wcr_os_mkdir_p(mixed, 0755, &err), 0);
        char *x = join(ab, "x"), *xy = join(x, "y");
        CHECK(wcr_os_path_exists(xy));
        wcr_os_remove_dir(xy, NULL);
        wcr_os_remove_dir(x, NULL);
        free(xy);
        free(x);
        free(mixed);
        /* A "\\?\" path: the prefix is not a directory to create. */
        char *verbatim = wcr_asprintf("\\\\?\\%s\\v\\w", ab);
        CHECK_INT(wcr_os_mkdir_p(verbatim, 0755, &err), 0);
        char *v = join(ab, "v"), *vw = join(v, "w");
        CHECK(wcr_os_path_exists(vw));
        wcr_os_remove_dir(vw, NULL);
        wcr_os_remove_dir(v, NULL);
        free(vw);
        free(v);
        free(verbatim);
    }
    if (err.code)
        fail_with("mkdir_p", &err);
    CHECK_INT(wcr_os_remove_dir(abc, &err), 0);
    CHECK_INT(wcr_os_remove_dir(ab, &err), 0);
    CHECK_INT(wcr_os_remove_dir(a, &err), 0);
    free(slash);
    free(abc);
    free(ab);
    free(a);
    remove_scratch_dir(dir);
}

TEST(mkdir_p_over_a_file_fails)
{
    char *dir = make_scratch_dir();
    REQUIRE(dir != NULL);
    char *file = join(dir, "file"), *below = join(file, "sub");
    write_text(file, "x");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_mkdir_p(file, 0755, &err), -1);
    CHECK(err.msg && strstr(err.msg, file));
    wcr_err_dispose(&err);
    CHECK_INT(wcr_os_mkdir_p(below, 0755, &err), -1);
    wcr_err_dispose(&err);
    wcr_os_remove_file(file, NULL);
    free(below);
    free(file);
    remove_scratch_dir(dir);
}

TEST(mkdir_p_of_an_empty_path_is_invalid)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_mkdir_p("", 0755, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    wcr_err_dispose(&err);
}

/* --- directories ------------------------------------------------------------ */

/* Set variables for one test and put them back after. */
typedef struct saved_env {
    const char *name;
    char *value;
} saved_env;

static void save_env(saved_env *s, const char *name)
{
    s->name = name;
    s->value = wcr_os_getenv(name);
}

static void restore_env(saved_env *s)
{
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_setenv(s->name, s->value, &err) < 0)
        fail_with("restore environment", &err);
    free(s->value);
}

TEST(home_and_config_dirs_are_not_empty)
{
    wcr_err err = WCR_ERR_INIT;
    char *home = wcr_os_home_dir(&err);
    char *config = wcr_os_config_dir(&err);
    if (!home || !config)
        fail_with("home/config dir", &err);
    CHECK(home && home[0]);
    CHECK(config && config[0]);
    free(home);
    free(config);
}

TEST(home_and_config_dirs_follow_the_environment)
{
    bool win = on_windows();
    const char *home_var = win ? "USERPROFILE" : "HOME";
    const char *config_var = win ? "APPDATA" : "XDG_CONFIG_HOME";
    const char *home_value = win ? "C:\\Users\\wcr test \xc3\x9c" : "/tmp/wcr test home \xc3\x9c";
    const char *config_value =
        win ? "C:\\Users\\wcr test \xc3\x9c\\AppData\\Roaming" : "/tmp/wcr test config";
    saved_env saved[2];
    save_env(&saved[0], home_var);
    save_env(&saved[1], config_var);
    wcr_err err = WCR_ERR_INIT;

    wcr_os_setenv(home_var, home_value, &err);
    wcr_os_setenv(config_var, config_value, &err);
    char *home = wcr_os_home_dir(&err);
    char *config = wcr_os_config_dir(&err);
    CHECK_STR(home, home_value);
    CHECK_STR(config, config_value);
    free(home);
    free(config);

    /* Without the config variable: Linux falls back to ~/.config (also for
     * a relative XDG_CONFIG_HOME, which the XDG spec says to ignore);
     * Windows has no fallback for %APPDATA%. */
    wcr_os_setenv(config_var, win ? NULL : "relative/dir", &err);
    config = wcr_os_config_dir(&err);
    if (win) {
        CHECK(config == NULL);
        CHECK(wcr_err_is(&err, WCR_E_NOT_FOUND));
        CHECK(err.msg && strstr(err.msg, "APPDATA"));
        wcr_err_dispose(&err);
    } else {
        char *want = wcr_asprintf("%s/.config", home_value);
        CHECK_STR(config, want);
        free(want);
    }
    free(config);
    if (err.code)
        fail_with("dirs", &err);
    restore_env(&saved[0]);
    restore_env(&saved[1]);
}

TEST(run_capture_feeds_stdin_collects_stdout_and_the_exit_code)
{
    /* The same exchange through each system's own shell. */
    static const char *const posix_argv[] = { "sh", "-c", "read x; echo got:$x; exit 4", NULL };
    static const char *const win_argv[] = { "cmd", "/c", "echo got:x& exit 4", NULL };
    const char *const *argv = on_windows() ? win_argv : posix_argv;
    char *out = NULL;
    size_t len = 0;
    int status = -1;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_os_run_capture(argv, "x\n", 2, 4096, &out, &len, &status, &err) == 0);
    CHECK_INT(status, 4);
    CHECK(out && strncmp(out, "got:x", 5) == 0);
    CHECK_INT(len, strlen(out));
    free(out);
    /* Output past the cap is an error, not a silent cut. */
    CHECK_INT(wcr_os_run_capture(argv, "x\n", 2, 3, &out, &len, &status, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    CHECK(out == NULL);
    wcr_err_dispose(&err);
    static const char *const missing[] = { "wcr-no-such-program-7f3a", "get", NULL };
    CHECK_INT(wcr_os_run_capture(missing, "", 0, 4096, &out, &len, &status, &err), -1);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    CHECK(err.msg && strstr(err.msg, "wcr-no-such-program-7f3a is not on PATH"));
    wcr_err_dispose(&err);
}

TEST_MAIN()
