/* The user's home and configuration directories (Windows). */
#include <stdlib.h>

#include "core/str.h"
#include "os/os.h"

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
