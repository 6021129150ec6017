/* Files of a snapshot, read through its mount description. */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"
#include "run/rootfs.h"

#define FILE_MAX ((size_t)4 << 20)

static int read_in(const char *dir, size_t dir_len, const char *rel, char **out)
{
    char *path = wcr_asprintf("%.*s/%s", (int)dir_len, dir, rel);
    size_t len = 0;
    int rc = path ? wcr_os_read_file(path, FILE_MAX, out, &len, NULL) : -1;
    free(path);
    return rc;
}

/* The value of "key=" among the mount's options, or NULL. */
static const char *option(const wcr_mount *mt, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i < mt->noptions; i++)
        if (strncmp(mt->options[i], key, klen) == 0 && mt->options[i][klen] == '=')
            return mt->options[i] + klen + 1;
    return NULL;
}

int wcr_rootfs_read(const wcr_mounts *m, const char *rel, char **out)
{
    *out = NULL;
    if (!m || m->n != 1)
        return -1;
    const wcr_mount *mt = &m->items[0];
    if (mt->type && strcmp(mt->type, "bind") == 0)
        return read_in(mt->source, strlen(mt->source), rel, out);
    if (!mt->type || strcmp(mt->type, "overlay") != 0)
        return -1;
    /* The upper directory wins, then the lower ones, top first. A file
     * deleted in an upper layer (a whiteout) is rare for these files. */
    const char *upper = option(mt, "upperdir");
    if (upper && read_in(upper, strlen(upper), rel, out) == 0)
        return 0;
    const char *lower = option(mt, "lowerdir");
    while (lower && *lower) {
        size_t n = strcspn(lower, ":");
        if (read_in(lower, n, rel, out) == 0)
            return 0;
        lower += n;
        if (*lower == ':')
            lower++;
    }
    return -1;
}
