/* The user's home and configuration directories (Windows). */
#include <stdlib.h>

#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"

static char *from_env(const char *name, const char *what, wcr_err *err)
{
    char *v = wcr_os_getenv(name);
    if (v && v[0])
        return v;
    free(v);
    wcr_err_set(err, WCR_E_NOT_FOUND, "%s: %%%s%% is not set", what, name);
    return NULL;
}

char *wcr_os_home_dir(wcr_err *err)
{
    return from_env("USERPROFILE", "home directory", err);
}

char *wcr_os_config_dir(wcr_err *err)
{
    return from_env("APPDATA", "config directory", err);
}

char *wcr_os_temp_dir(wcr_err *err)
{
    DWORD n = GetTempPathW(0, NULL);
    if (n == 0) {
        win_set_error(err, GetLastError(), "temporary directory");
        return NULL;
    }
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (!w) {
        wcr_err_set(err, WCR_E_NOMEM, "temporary directory: out of memory");
        return NULL;
    }
    DWORD got = GetTempPathW(n, w);
    if (got == 0 || got >= n) {
        DWORD e = got == 0 ? GetLastError() : ERROR_INSUFFICIENT_BUFFER;
        free(w);
        win_set_error(err, e, "temporary directory");
        return NULL;
    }
    /* GetTempPathW ends with '\'; keep it only for a root ("C:\"). */
    while (got > 3 && (w[got - 1] == L'\\' || w[got - 1] == L'/'))
        w[--got] = 0;
    char *dir = win_utf8(w, err);
    free(w);
    return dir;
}

char *wcr_os_state_dir(bool runtime, wcr_err *err)
{
    char *root = wcr_os_getenv("WCR_ROOT");
    char *dir = NULL;
    if (root && root[0]) {
        dir = wcr_asprintf("%s\\%s", root, runtime ? "run" : "lib");
    } else {
        char *pd = from_env("ProgramData", "state directory", err);
        if (pd)
            dir = wcr_asprintf("%s\\wcr\\%s", pd, runtime ? "run" : "lib");
        free(pd);
        if (!pd) {
            free(root);
            return NULL;
        }
    }
    free(root);
    if (!dir)
        wcr_err_set(err, WCR_E_NOMEM, "state directory: out of memory");
    return dir;
}
