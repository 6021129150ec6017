/* containerd addresses: unix:// and npipe:// forms to OS paths. */
#include <stdlib.h>
#include <string.h>

#include "containerd/address.h"
#include "core/str.h"
#include "os/os.h"

/* //./pipe/NAME or \\.\pipe\NAME, any mix of slashes, to \\.\pipe\NAME. */
static char *pipe_path(const char *p)
{
    char *out = wcr_strdup(p);
    for (char *c = out; c && *c; c++)
        if (*c == '/')
            *c = '\\';
    return out;
}

static bool looks_like_pipe(const char *p)
{
    return (p[0] == '/' || p[0] == '\\') && (p[1] == '/' || p[1] == '\\') && p[2] == '.' &&
           (p[3] == '/' || p[3] == '\\') && strncmp(p + 4, "pipe", 4) == 0 &&
           (p[8] == '/' || p[8] == '\\') && p[9] != '\0';
}

char *wcr_ctd_address_resolve(const char *address, wcr_err *err)
{
    if (!address || !address[0])
        address = wcr_os_default_containerd_address();
    const char *rest = address;
    char *out = NULL;
    if (wcr_str_starts_with(address, "unix://")) {
        rest = address + 7;
        if (!rest[0]) {
            wcr_err_set(err, WCR_E_INVALID, "address \"%s\" has no socket path", address);
            return NULL;
        }
        out = wcr_strdup(rest);
    } else if (wcr_str_starts_with(address, "npipe://")) {
        rest = address + 8;
        /* npipe:////./pipe/x has a leading slash before //./pipe/x */
        if (rest[0] == '/' && looks_like_pipe(rest + 1))
            rest++;
        if (looks_like_pipe(rest))
            out = pipe_path(rest);
        else if (rest[0] == '.' && (rest[1] == '/' || rest[1] == '\\')) {
            char *tmp = wcr_asprintf("//%s", rest);
            out = tmp && looks_like_pipe(tmp) ? pipe_path(tmp) : NULL;
            free(tmp);
        }
        if (!out) {
            wcr_err_set(err, WCR_E_INVALID,
                        "address \"%s\" is not a named pipe (write npipe:////./pipe/NAME)", address);
            return NULL;
        }
    } else if (looks_like_pipe(address)) {
        out = pipe_path(address);
    } else if (strstr(address, "://")) {
        wcr_err_set(err, WCR_E_INVALID,
                    "address \"%s\": only unix:// and npipe:// addresses are supported "
                    "(containerd's API is local)", address);
        return NULL;
    } else {
        out = wcr_strdup(address);
    }
    if (!out)
        wcr_err_set(err, WCR_E_NOMEM, "address: out of memory");
    return out;
}
