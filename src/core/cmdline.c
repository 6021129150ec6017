/* Windows command lines: quote for CreateProcessW, split as
 * CommandLineToArgvW does. The rules are spelled out in cmdline.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"

static bool needs_quotes(const char *s, const char *specials)
{
    return s[0] == '\0' || strpbrk(s, specials) != NULL;
}

static void put_backslashes(wcr_buf *out, size_t n)
{
    while (n-- > 0)
        wcr_buf_putc(out, '\\');
}

int wcr_cmdline_append_arg(wcr_buf *out, const char *arg)
{
    /* Newline and vertical tab do not split, but quoting them costs
     * nothing and keeps the line readable in logs. */
    if (!needs_quotes(arg, " \t\n\v\""))
        return wcr_buf_puts(out, arg);
    wcr_buf_putc(out, '"');
    const char *p = arg;
    while (*p) {
        size_t n = strspn(p, "\\");
        p += n;
        if (*p == '"') {
            /* 2n+1 backslashes and the quote: n backslashes, a literal '"'. */
            put_backslashes(out, 2 * n + 1);
            wcr_buf_putc(out, '"');
            p++;
        } else if (*p == '\0') {
            /* Before our closing quote: 2n backslashes give n. */
            put_backslashes(out, 2 * n);
        } else {
            put_backslashes(out, n);
            size_t run = strcspn(p, "\\\"");
            wcr_buf_append(out, p, run);
            p += run;
        }
    }
    return wcr_buf_putc(out, '"');
}

/* argv[0] is read up to the next quote with no escapes at all, so plain
 * quotes are the only quoting it has, and a '"' inside cannot be written. */
static int append_program(wcr_buf *out, const char *prog, wcr_err *err)
{
    if (strchr(prog, '"'))
        return wcr_err_set(err, WCR_E_INVALID,
                           "program path %s contains '\"', which a Windows command line cannot hold",
                           prog);
    if (!needs_quotes(prog, " \t\n\v"))
        return wcr_buf_puts(out, prog);
    wcr_buf_putc(out, '"');
    wcr_buf_puts(out, prog);
    return wcr_buf_putc(out, '"');
}

int wcr_cmdline_build(wcr_buf *out, const char *const *argv, size_t argc, wcr_err *err)
{
    if (argc == 0 || !argv || !argv[0])
        return wcr_err_set(err, WCR_E_INVALID, "build a command line: no program given");
    if (append_program(out, argv[0], err) < 0)
        return -1;
    for (size_t i = 1; i < argc; i++) {
        if (!argv[i])
            return wcr_err_set(err, WCR_E_INVALID, "build a command line for %s: argument %zu is NULL",
                               argv[0], i);
        wcr_buf_putc(out, ' ');
        wcr_cmdline_append_arg(out, argv[i]);
    }
    if (wcr_buf_check(out, err) < 0)
        return wcr_err_wrap(err, "build a command line for %s", argv[0]);
    return 0;
}

int wcr_cmdline_argv_pack(const wcr_buf *strings, size_t argc, char ***argv_out, wcr_err *err)
{
    *argv_out = NULL;
    if (wcr_buf_check(strings, err) < 0)
        return -1;
    if (argc >= (SIZE_MAX - strings->len) / sizeof(char *) - 1)
        return wcr_err_set(err, WCR_E_LIMIT, "command line: too many arguments");
    size_t ptrs = (argc + 1) * sizeof(char *);
    char **argv = malloc(ptrs + strings->len);
    if (!argv)
        return wcr_err_set(err, WCR_E_NOMEM, "command line: out of memory");
    char *s = (char *)argv + ptrs;
    if (strings->len)
        memcpy(s, strings->data, strings->len);
    for (size_t i = 0; i < argc; i++) {
        argv[i] = s;
        s += strlen(s) + 1;
    }
    argv[argc] = NULL;
    *argv_out = argv;
    return 0;
}

/* One argument after argv[0]; returns where it ended. */
static const char *split_arg(const char *p, wcr_buf *out)
{
    bool quoted = false;
    while (*p) {
        if (!quoted && (*p == ' ' || *p == '\t'))
            break;
        if (*p == '\\') {
            size_t n = strspn(p, "\\");
            p += n;
            if (*p != '"') {
                put_backslashes(out, n);
            } else {
                put_backslashes(out, n / 2);
                if (n % 2) {
                    wcr_buf_putc(out, '"');
                    p++;
                }
                /* With 2n, the '"' is a real quote, read on the next turn. */
            }
        } else if (*p == '"') {
            if (quoted && p[1] == '"') {
                /* CommandLineToArgvW: a literal quote that also ends quoting. */
                wcr_buf_putc(out, '"');
                p += 2;
                quoted = false;
            } else {
                quoted = !quoted;
                p++;
            }
        } else {
            size_t run = strcspn(p, quoted ? "\\\"" : " \t\\\"");
            wcr_buf_append(out, p, run);
            p += run;
        }
    }
    return p;
}

int wcr_cmdline_split(const char *cmdline, char ***argv_out, size_t *argc_out, wcr_err *err)
{
    *argv_out = NULL;
    *argc_out = 0;
    if (!cmdline)
        return wcr_err_set(err, WCR_E_INVALID, "split a command line: no command line given");
    /* Arguments end to end, each with its NUL; packed into one block last. */
    wcr_buf strings = WCR_BUF_INIT("command-line arguments", WCR_BUF_NO_LIMIT);
    size_t argc = 0;
    const char *p = cmdline;
    if (*p) {
        size_t n;
        if (*p == '"') {
            p++;
            n = strcspn(p, "\"");
            wcr_buf_append(&strings, p, n);
            p += n;
            if (*p == '"')
                p++;
        } else {
            n = strcspn(p, " \t");
            wcr_buf_append(&strings, p, n);
            p += n;
        }
        wcr_buf_putc(&strings, '\0');
        argc++;
        for (;;) {
            p += strspn(p, " \t");
            if (!*p)
                break;
            p = split_arg(p, &strings);
            wcr_buf_putc(&strings, '\0');
            argc++;
        }
    }
    int rc = wcr_cmdline_argv_pack(&strings, argc, argv_out, err);
    wcr_buf_dispose(&strings);
    if (rc < 0)
        return wcr_err_wrap(err, "split a command line");
    *argc_out = argc;
    return 0;
}

void wcr_cmdline_free(char **argv)
{
    free(argv); /* pointers and strings are one block */
}
