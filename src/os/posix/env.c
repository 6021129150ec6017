/* Process set-up and environment (POSIX). */
#include <errno.h>
#include <stdlib.h>

#include "core/str.h"
#include "os/os.h"
#include "os/posix/posix.h"

const char *wcr_os_name(void)
{
    return "linux";
}

const char *wcr_os_default_containerd_address(void)
{
    return "/run/containerd/containerd.sock";
}

const char *wcr_os_default_snapshotter(void)
{
    return "overlayfs";
}

int wcr_os_init_process(int *argc, char ***argv, wcr_err *err)
{
    (void)argc, (void)argv; /* argv is UTF-8 already */
    return wcr_os_posix_signals_init(err);
}

char *wcr_os_getenv(const char *name)
{
    const char *v = getenv(name);
    return v ? wcr_strdup(v) : NULL;
}

int wcr_os_setenv(const char *name, const char *value, wcr_err *err)
{
    int rc = value ? setenv(name, value, 1) : unsetenv(name);
    if (rc != 0)
        return wcr_err_set_errno(err, errno, "set environment variable %s", name);
    return 0;
}
