/* Tests of src/core/cmdline.c, and of it against the real
 * CommandLineToArgvW (wcr_os_split_cmdline_native) when run on Windows or
 * under Wine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cmdline.h"
#include "os/os.h"
#include "test.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Up to this many arguments in a table row; NULL ends a row early. */
enum { MAXARGS = 10 };

/* "Ünïcødé ✓", a non-BMP emoji (U+1F600), a whale (U+1F433). */
#define UNI "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb8" "d" "\xc3\xa9" " \xe2\x9c\x93"
#define EMOJI "\xf0\x9f\x98\x80"
#define WHALE "\xf0\x9f\x90\xb3"
#define CHECKMARK "\xe2\x9c\x93"

typedef struct argv_case {
    const char *argv[MAXARGS];
} argv_case;

static size_t count_args(const char *const *argv)
{
    size_t n = 0;
    while (n < MAXARGS && argv[n])
        n++;
    return n;
}

/* Show an argv on one line, each argument in brackets. */
static void print_argv(const char *label, const char *const *argv, size_t argc)
{
    printf("      %s (%zu):", label, argc);
    for (size_t i = 0; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
}

/* Compare two argvs; on a difference, say where it came from. */
static bool same_argv(const char *what, const char *line, const char *const *got, size_t gotc,
                      const char *const *want, size_t wantc)
{
    bool same = gotc == wantc;
    for (size_t i = 0; same && i < gotc; i++)
        same = strcmp(got[i], want[i]) == 0;
    if (!same) {
        test_fail(__FILE__, __LINE__, "%s differs for command line [%s]", what, line);
        print_argv("got ", got, gotc);
        print_argv("want", want, wantc);
    }
    return same;
}

static char *build(const char *const *argv, size_t argc)
{
    wcr_buf b = WCR_BUF_INIT("command line", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    if (wcr_cmdline_build(&b, argv, argc, &err) < 0) {
        char *msg = wcr_err_format(&err, true);
        test_fail(__FILE__, __LINE__, "build: %s", msg);
        free(msg);
        wcr_err_dispose(&err);
        wcr_buf_dispose(&b);
        return NULL;
    }
    return wcr_buf_detach(&b, NULL);
}

static char *quote(const char *arg)
{
    wcr_buf b = WCR_BUF_INIT("argument", WCR_BUF_NO_LIMIT);
    if (wcr_cmdline_append_arg(&b, arg) < 0) {
        wcr_buf_dispose(&b);
        return NULL;
    }
    return wcr_buf_detach(&b, NULL);
}

/* Whether the native splitter exists here (Windows, Wine). */
static bool have_native(void)
{
    char **argv = NULL;
    size_t argc = 0;
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_os_split_cmdline_native("x", &argv, &argc, &err);
    bool ok = rc == 0;
    if (!ok && !wcr_err_is(&err, WCR_E_UNSUPPORTED))
        test_fail(__FILE__, __LINE__, "native split failed: %s", err.msg);
    wcr_err_dispose(&err);
    wcr_cmdline_free(argv);
    return ok;
}

#define NO_NATIVE "CommandLineToArgvW is only on Windows; this test runs there and under Wine"

typedef char **(*splitter)(const char *line, size_t *argc);

static char **split_ours(const char *line, size_t *argc)
{
    char **argv = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_cmdline_split(line, &argv, argc, &err) < 0) {
        test_fail(__FILE__, __LINE__, "split [%s]: %s", line, err.msg);
        argv = NULL;
    }
    wcr_err_dispose(&err);
    return argv;
}

static char **split_native(const char *line, size_t *argc)
{
    char **argv = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_split_cmdline_native(line, &argv, argc, &err) < 0) {
        test_fail(__FILE__, __LINE__, "native split [%s]: %s", line, err.msg);
        argv = NULL;
    }
    wcr_err_dispose(&err);
    return argv;
}

/* ------------------------------------------------------------------------ */

TEST(append_arg_quotes_only_when_needed)
{
    static const struct {
        const char *arg, *want;
    } cases[] = {
        { "plain", "plain" },
        { "", "\"\"" },
        { "a b", "\"a b\"" },
        { "a\tb", "\"a\tb\"" },
        { "a\nb", "\"a\nb\"" },
        { "a\vb", "\"a\vb\"" },
        { "C:\\dir\\file", "C:\\dir\\file" },
        { "C:\\dir\\", "C:\\dir\\" },
        { "\\\\server\\share\\", "\\\\server\\share\\" },
        { "a\"b", "\"a\\\"b\"" },
        { "a\\\"b", "\"a\\\\\\\"b\"" },
        { "\"", "\"\\\"\"" },
        { "C:\\Program Files\\containerd\\bin\\", "\"C:\\Program Files\\containerd\\bin\\\\\"" },
        { "a b\\\\", "\"a b\\\\\\\\\"" },
        { "--opt=\"a b\"", "\"--opt=\\\"a b\\\"\"" },
        { "a\\b c", "\"a\\b c\"" },
        { UNI, "\"" UNI "\"" },
        { EMOJI, EMOJI },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *got = quote(cases[i].arg);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

TEST(build_quotes_the_program_with_plain_quotes)
{
    const char *a[] = { "C:\\Program Files\\containerd\\bin\\containerd.exe", "--config",
                        "C:\\Program Files\\containerd\\config.toml" };
    char *line = build(a, COUNT(a));
    CHECK_STR(line, "\"C:\\Program Files\\containerd\\bin\\containerd.exe\" --config "
                    "\"C:\\Program Files\\containerd\\config.toml\"");
    free(line);

    /* No escaping in argv[0]: a trailing backslash stays single. */
    const char *b[] = { "C:\\odd dir\\", "x" };
    line = build(b, COUNT(b));
    CHECK_STR(line, "\"C:\\odd dir\\\" x");
    free(line);

    const char *c[] = { "nat.exe" };
    line = build(c, COUNT(c));
    CHECK_STR(line, "nat.exe");
    free(line);

    const char *d[] = { "", "" };
    line = build(d, COUNT(d));
    CHECK_STR(line, "\"\" \"\"");
    free(line);
}

TEST(build_rejects_what_cannot_be_represented)
{
    wcr_buf b = WCR_BUF_INIT("command line", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    const char *quoted_prog[] = { "C:\\a\"b.exe", "x" };
    CHECK_INT(wcr_cmdline_build(&b, quoted_prog, 2, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    CHECK(err.msg && strstr(err.msg, "C:\\a\"b.exe"));
    wcr_err_dispose(&err);

    CHECK_INT(wcr_cmdline_build(&b, quoted_prog, 0, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    wcr_err_dispose(&err);

    const char *null_arg[] = { "p.exe", NULL };
    CHECK_INT(wcr_cmdline_build(&b, null_arg, 2, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    wcr_err_dispose(&err);

    /* err == NULL is accepted. */
    CHECK_INT(wcr_cmdline_build(&b, quoted_prog, 2, NULL), -1);
    wcr_buf_dispose(&b);
}

TEST(build_reports_the_buffer_limit)
{
    wcr_buf b = WCR_BUF_INIT("CNI plugin command line", 16);
    wcr_err err = WCR_ERR_INIT;
    const char *a[] = { "nat.exe", "a rather long argument that does not fit" };
    CHECK_INT(wcr_cmdline_build(&b, a, COUNT(a), &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    CHECK(err.msg && strstr(err.msg, "CNI plugin command line"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&b);
}

/* Raw command lines and how CommandLineToArgvW splits them: the examples
 * of Microsoft's "Parsing C command-line arguments" (after argv[0]) and
 * the cases where CommandLineToArgvW has rules of its own, as Wine's
 * implementation gives them. */
static const struct {
    const char *line;
    const char *want[MAXARGS];
} raw_cases[] = {
    /* Microsoft's examples. */
    { "p \"a b c\" d e", { "p", "a b c", "d", "e" } },
    { "p \"ab\\\"c\" \"\\\\\" d", { "p", "ab\"c", "\\", "d" } },
    { "p a\\\\\\b d\"e f\"g h", { "p", "a\\\\\\b", "de fg", "h" } },
    { "p a\\\\\\\"b c d", { "p", "a\\\"b", "c", "d" } },
    { "p a\\\\\\\\\"b c\" d e", { "p", "a\\\\b c", "d", "e" } },
    /* '""' inside quotes: a literal quote that also ends quoting (the C
     * runtime would keep quoting and give one argument "ab\" c d"). */
    { "p a\"b\"\" c d", { "p", "ab\"", "c", "d" } },
    { "p \"a\"\"b\" c", { "p", "a\"b c" } },
    { "p \"\"\"\" x", { "p", "\" x" } },
    { "p \"\"\"\"\" x", { "p", "\"", "x" } },
    { "p \"a\\\\\"\"b\" c", { "p", "a\\\"b c" } },
    { "p \"\"\"", { "p", "\"" } },
    /* argv[0]: quoted up to the next quote, no escapes; what follows the
     * closing quote is the next argument. */
    { "\"C:\\a b\\x\" c", { "C:\\a b\\x", "c" } },
    { "\"C:\\a b\"c d", { "C:\\a b", "c", "d" } },
    { "\"p\\\"q r", { "p\\", "q", "r" } },
    { "\"p\"\"q\" r", { "p", "q", "r" } },
    { "\"p\"\"\"", { "p", "" } },
    { "\"p", { "p" } },
    { "\"", { "" } },
    /* argv[0] unquoted: up to white space, quotes literal. */
    { "a\"b c\"d e", { "a\"b", "cd e" } },
    { "prog\\\"x y", { "prog\\\"x", "y" } },
    /* White space: only space and tab; leading space gives an empty argv[0];
     * trailing space is ignored. */
    { " x y", { "", "x", "y" } },
    { "\tx", { "", "x" } },
    { " ", { "" } },
    { "p \t a \t ", { "p", "a" } },
    { "p a\nb a\rb a\vb", { "p", "a\nb", "a\rb", "a\vb" } },
    /* Empty and unterminated arguments. */
    { "p \"\" x", { "p", "", "x" } },
    { "p \"\"\t\"\"", { "p", "", "" } },
    { "p \"unterminated arg", { "p", "unterminated arg" } },
    { "p \"a\\\\", { "p", "a\\\\" } },
    /* Backslashes alone, and before a quote. */
    { "p \\\\server\\share\\ x", { "p", "\\\\server\\share\\", "x" } },
    { "p \"C:\\Program Files\\x\\\\\" y", { "p", "C:\\Program Files\\x\\", "y" } },
    { "p \\\\\"", { "p", "\\" } },
    { "p a\\\\\\\\\\\\\"b", { "p", "a\\\\\\b" } },
    { "p \"a\"b\"c d\" e", { "p", "abc d", "e" } },
    /* Nothing at all: no arguments (CommandLineToArgvW would return the
     * program's own path). */
    { "", { NULL } },
};

TEST(split_follows_commandlinetoargvw_rules)
{
    for (size_t i = 0; i < COUNT(raw_cases); i++) {
        size_t argc = 0;
        char **argv = split_ours(raw_cases[i].line, &argc);
        if (!argv)
            continue;
        CHECK(argv[argc] == NULL);
        same_argv("split", raw_cases[i].line, (const char *const *)argv, argc, raw_cases[i].want,
                  count_args(raw_cases[i].want));
        wcr_cmdline_free(argv);
    }
}

TEST(split_rejects_null_and_free_accepts_null)
{
    char **argv = (char **)1;
    size_t argc = 7;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_cmdline_split(NULL, &argv, &argc, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    CHECK(argv == NULL);
    CHECK_INT(argc, 0);
    wcr_err_dispose(&err);
    wcr_cmdline_free(NULL);
}

TEST(native_split_matches_ours_on_raw_lines)
{
    if (!have_native())
        TEST_SKIP(NO_NATIVE);
    for (size_t i = 0; i < COUNT(raw_cases); i++) {
        if (!raw_cases[i].line[0])
            continue; /* natively: the program's own path */
        size_t ours_n = 0, native_n = 0;
        char **ours = split_ours(raw_cases[i].line, &ours_n);
        char **native = split_native(raw_cases[i].line, &native_n);
        if (ours && native)
            same_argv("ours vs CommandLineToArgvW", raw_cases[i].line, (const char *const *)ours,
                      ours_n, (const char *const *)native, native_n);
        wcr_cmdline_free(ours);
        wcr_cmdline_free(native);
    }
}

/* Argument vectors that must survive build then split. */
static const argv_case round_trips[] = {
    { { "prog.exe" } },
    { { "prog.exe", "a", "b c", "" } },
    { { "prog.exe", "", "", "" } },
    { { "prog.exe", "tab\there", "new\nline", "vt\vx", "cr\rx" } },
    { { "prog.exe", "\"", "\"\"", "a\"b", "\"quoted\"", "\"a b\"" } },
    { { "prog.exe", "\\", "\\\\", "a\\", "a\\\\", "a b\\", "a b\\\\", "\\\"", "\\\\\"" } },
    { { "prog.exe", "a\\\"b", "a\\\\\"b c", "\\\\\\\"", "end\\\\\\" } },
    { { "C:\\Program Files\\containerd\\bin\\containerd.exe", "--config",
        "C:\\Program Files\\containerd\\config.toml", "C:\\Program Files\\containerd\\bin\\" } },
    { { "C:\\dir with space\\", "C:\\Program Files\\containerd\\bin\\", "x" } },
    { { "nat.exe", "--opt=\"a b\"", "--opt=a b", "-v" } },
    { { "\\\\server\\share\\tool.exe", "\\\\server\\share\\", "\\\\?\\C:\\x y\\" } },
    { { "p", UNI, EMOJI, "a " WHALE "\\", CHECKMARK "\"" CHECKMARK, EMOJI " " EMOJI } },
    { { "C:\\" UNI "\\" EMOJI ".exe", UNI } },
    { { "", "empty program" } },
    { { "p", "  leading", "trailing  ", " ", "\t" } },
};

static void check_round_trips(splitter split, const char *what)
{
    for (size_t i = 0; i < COUNT(round_trips); i++) {
        const char *const *want = round_trips[i].argv;
        size_t wantc = count_args(want);
        char *line = build(want, wantc);
        if (!line)
            continue;
        size_t argc = 0;
        char **argv = split(line, &argc);
        if (argv)
            same_argv(what, line, (const char *const *)argv, argc, want, wantc);
        wcr_cmdline_free(argv);
        free(line);
    }
}

TEST(build_then_split_gives_the_arguments_back)
{
    check_round_trips(split_ours, "round trip through our split");
}

TEST(build_then_native_split_gives_the_arguments_back)
{
    if (!have_native())
        TEST_SKIP(NO_NATIVE);
    check_round_trips(split_native, "round trip through CommandLineToArgvW");
}

/* Every string of up to `max` characters from a small alphabet of the
 * characters that matter, fed to fn. */
static void for_each_string(const char *alphabet, size_t max, void (*fn)(const char *s))
{
    size_t k = strlen(alphabet);
    char s[16];
    size_t idx[16] = { 0 };
    for (size_t len = 0; len <= max; len++) {
        memset(idx, 0, sizeof idx);
        for (;;) {
            for (size_t i = 0; i < len; i++)
                s[i] = alphabet[idx[i]];
            s[len] = '\0';
            fn(s);
            size_t pos = 0;
            while (pos < len && ++idx[pos] == k)
                idx[pos++] = 0;
            if (pos == len)
                break;
        }
    }
}

static splitter current_split;
static const char *current_what;
static size_t failures;

static void round_trip_one(const char *arg)
{
    if (failures > 5)
        return; /* enough to see the pattern */
    const char *want[] = { "C:\\p q\\", arg, "z" };
    char *line = build(want, COUNT(want));
    size_t argc = 0;
    char **argv = line ? current_split(line, &argc) : NULL;
    if (argv && !same_argv(current_what, line, (const char *const *)argv, argc, want, COUNT(want)))
        failures++;
    wcr_cmdline_free(argv);
    free(line);
}

static void compare_one(const char *tail)
{
    if (failures > 5)
        return;
    char line[32];
    snprintf(line, sizeof line, "p %s", tail);
    size_t ours_n = 0, native_n = 0;
    char **ours = split_ours(line, &ours_n);
    char **native = split_native(line, &native_n);
    if (ours && native &&
        !same_argv("ours vs CommandLineToArgvW", line, (const char *const *)ours, ours_n,
                   (const char *const *)native, native_n))
        failures++;
    wcr_cmdline_free(ours);
    wcr_cmdline_free(native);
}

TEST(every_short_argument_round_trips)
{
    current_split = split_ours;
    current_what = "round trip through our split";
    failures = 0;
    for_each_string("a \\\"\t", 6, round_trip_one);
}

TEST(every_short_argument_round_trips_natively)
{
    if (!have_native())
        TEST_SKIP(NO_NATIVE);
    current_split = split_native;
    current_what = "round trip through CommandLineToArgvW";
    failures = 0;
    for_each_string("a \\\"\t", 6, round_trip_one);
}

TEST(every_short_raw_line_splits_as_natively)
{
    if (!have_native())
        TEST_SKIP(NO_NATIVE);
    failures = 0;
    for_each_string("a \\\"", 8, compare_one);
}

TEST_MAIN()
