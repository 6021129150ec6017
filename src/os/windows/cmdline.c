/* Native command-line splitting (Windows): CommandLineToArgvW itself. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cmdline.h"
#include "os/os.h"
#include "os/windows/win.h"

#include <shellapi.h>

int wcr_os_split_cmdline_native(const char *cmdline, char ***argv, size_t *argc, wcr_err *err)
{
    *argv = NULL;
    *argc = 0;
    wchar_t *w = win_wide(cmdline, err);
    if (!w)
        return wcr_err_wrap(err, "split a command line");
    int n = 0;
    wchar_t **wargv = CommandLineToArgvW(w, &n);
    DWORD e = GetLastError();
    free(w);
    if (!wargv)
        return win_set_error(err, e, "split a command line: CommandLineToArgvW");
    wcr_buf strings = WCR_BUF_INIT("command-line arguments", WCR_BUF_NO_LIMIT);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char *arg = win_utf8(wargv[i], err);
        if (!arg) {
            rc = -1;
            break;
        }
        wcr_buf_append(&strings, arg, strlen(arg) + 1); /* with its NUL */
        free(arg);
    }
    LocalFree(wargv);
    if (rc == 0)
        rc = wcr_cmdline_argv_pack(&strings, (size_t)n, argv, err);
    wcr_buf_dispose(&strings);
    if (rc < 0)
        return wcr_err_wrap(err, "split a command line");
    *argc = (size_t)n;
    return 0;
}
