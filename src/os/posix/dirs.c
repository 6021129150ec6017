/* The user's home and configuration directories (POSIX). */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "os/os.h"

char *wcr_os_home_dir(wcr_err *err)
{
    const char *home = getenv("HOME");
    if (home && home[0])
        return wcr_strdup(home);
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_dir && pw->pw_dir[0])
        return wcr_strdup(pw->pw_dir);
    wcr_err_set(err, WCR_E_NOT_FOUND, "home directory: HOME is not set and uid %u has no passwd entry",
                (unsigned)getuid());
    return NULL;
}

char *wcr_os_config_dir(wcr_err *err)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/')
        return wcr_strdup(xdg);
    char *home = wcr_os_home_dir(err);
    if (!home)
        return NULL;
    char *dir = wcr_asprintf("%s/.config", home);
    free(home);
    if (!dir)
        wcr_err_set(err, WCR_E_NOMEM, "config directory: out of memory");
    return dir;
}

char *wcr_os_temp_dir(wcr_err *err)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        n--;
    char *dir = wcr_strndup(tmp, n);
    if (!dir)
        wcr_err_set(err, WCR_E_NOMEM, "temporary directory: out of memory");
    return dir;
}

char *wcr_os_state_dir(bool runtime, wcr_err *err)
{
    const char *root = getenv("WCR_ROOT");
    char *dir;
    if (root && root[0] == '/')
        dir = wcr_asprintf("%s/%s", root, runtime ? "run" : "lib");
    else
        dir = wcr_strdup(runtime ? "/run/wcr" : "/var/lib/wcr");
    if (!dir)
        wcr_err_set(err, WCR_E_NOMEM, "state directory: out of memory");
    return dir;
}
