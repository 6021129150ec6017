/* Process set-up and environment (Windows). */
#include <stdlib.h>

#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"

#include <shellapi.h>

const char *wcr_os_name(void)
{
    return "windows";
}

const char *wcr_os_default_containerd_address(void)
{
    return "\\\\.\\pipe\\containerd-containerd";
}

const char *wcr_os_default_snapshotter(void)
{
    return "windows";
}

int wcr_os_init_process(int *argc, char ***argv, wcr_err *err)
{
    /* The C runtime's argv is in the ANSI code page; rebuild it as UTF-8
     * from the real (UTF-16) command line. */
    int n = 0;
    wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
    if (!wargv)
        return win_set_error(err, GetLastError(), "read the command line");
    char **args = calloc((size_t)n + 1, sizeof *args);
    if (!args) {
        LocalFree(wargv);
        return wcr_err_set(err, WCR_E_NOMEM, "command line: out of memory");
    }
    for (int i = 0; i < n; i++) {
        args[i] = win_utf8(wargv[i], err);
        if (!args[i]) {
            for (int j = 0; j < i; j++)
                free(args[j]);
            free(args);
            LocalFree(wargv);
            return -1;
        }
    }
    LocalFree(wargv);
    *argc = n;
    *argv = args; /* kept for the life of the process */
    SetConsoleOutputCP(CP_UTF8);
    SetConsoleCP(CP_UTF8);
    return win_signals_init(err);
}

char *wcr_os_getenv(const char *name)
{
    wchar_t *wname = win_wide(name, NULL);
    if (!wname)
        return NULL;
    char *out = NULL;
    DWORD size = 256;
    /* Retried: the value may grow between asking its size and reading it. */
    for (int tries = 0; tries < 4; tries++) {
        wchar_t *val = malloc((size_t)size * sizeof *val);
        if (!val)
            break;
        /* A set but empty variable gives 0 without setting an error. */
        SetLastError(ERROR_SUCCESS);
        DWORD got = GetEnvironmentVariableW(wname, val, size);
        if (got == 0 && GetLastError() == ERROR_SUCCESS)
            out = wcr_strdup("");
        else if (got > 0 && got < size)
            out = win_utf8(val, NULL);
        free(val);
        if (got < size)
            break; /* read, empty or not set */
        size = got; /* too small: got is the size needed, NUL included */
    }
    free(wname);
    return out;
}

int wcr_os_setenv(const char *name, const char *value, wcr_err *err)
{
    wchar_t *wname = win_wide(name, err);
    if (!wname)
        return -1;
    wchar_t *wval = NULL;
    if (value && !(wval = win_wide(value, err))) {
        free(wname);
        return -1;
    }
    /* Keep the C runtime's copy in step for code that calls getenv(). Its
     * _wputenv_s also writes the process environment, and would remove a
     * variable set to "", so it goes first and SetEnvironmentVariableW has
     * the last word. (The narrow _putenv_s took UTF-8 for the ANSI code
     * page and overwrote the value with mojibake.) */
    _wputenv_s(wname, wval ? wval : L"");
    BOOL ok = SetEnvironmentVariableW(wname, wval);
    DWORD e = GetLastError();
    free(wname);
    free(wval);
    if (!ok)
        return win_set_error(err, e, "set environment variable %s", name);
    return 0;
}
