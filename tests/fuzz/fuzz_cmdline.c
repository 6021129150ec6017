/* Fuzz target for Windows command-line splitting and quoting. Any input
 * (up to its first NUL) is a command line: it must split, and unless its
 * program contains a '"' (which no command line we build can hold),
 * building a line from the pieces and splitting that again must give the
 * same pieces back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cmdline.h"
#include "core/str.h"
#include "fuzz.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_cmdline: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = wcr_strndup((const char *)data, size);
    if (!line)
        return 0;
    char **argv = NULL, **again = NULL;
    size_t argc = 0, again_c = 0;
    wcr_buf built = WCR_BUF_INIT("command line", WCR_BUF_NO_LIMIT);
    if (wcr_cmdline_split(line, &argv, &argc, NULL) < 0)
        fail("split failed");
    if (argv[argc] != NULL || (line[0] && argc == 0) || (!line[0] && argc != 0))
        fail("bad argv shape");
    if (argc == 0 || strchr(argv[0], '"'))
        goto out;
    if (wcr_cmdline_build(&built, (const char *const *)argv, argc, NULL) < 0)
        fail("build failed");
    if (wcr_cmdline_split(wcr_buf_cstr(&built), &again, &again_c, NULL) < 0)
        fail("split of a built line failed");
    if (again_c != argc)
        fail("round trip changed the argument count");
    for (size_t i = 0; i < argc; i++)
        if (strcmp(argv[i], again[i]) != 0)
            fail("round trip changed an argument");
out:
    wcr_buf_dispose(&built);
    wcr_cmdline_free(again);
    wcr_cmdline_free(argv);
    free(line);
    return 0;
}
