/* Files and directories (POSIX). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "os/os.h"
#include "os/posix/posix.h"

char wcr_os_path_sep(void)
{
    return '/';
}

bool wcr_os_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int too_large(const char *path, size_t limit, wcr_err *err)
{
    char size[32];
    wcr_str_human_size(limit, size, sizeof size);
    return wcr_err_set(err, WCR_E_LIMIT, "read %s: larger than the limit of %s (%zu bytes)", path,
                       size, limit);
}

int wcr_os_read_file(const char *path, size_t limit, char **data, size_t *len, wcr_err *err)
{
    *data = NULL;
    if (len)
        *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wcr_err_set_errno(err, errno, "open %s", path);
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    int rc = buf ? 0 : wcr_err_set(err, WCR_E_NOMEM, "read %s: out of memory", path);
    while (rc == 0) {
        if (cap - used < 2) {
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                rc = wcr_err_set(err, WCR_E_NOMEM, "read %s: out of memory", path);
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        /* One byte past the limit is enough to know the file is too large
         * (and the size is not known in advance: pipes, /proc). */
        size_t want = cap - used - 1;
        if (limit - used < want - 1)
            want = limit - used + 1;
        ssize_t n = read(fd, buf + used, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = wcr_err_set_errno(err, errno, "read %s", path);
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
        if (used > limit)
            rc = too_large(path, limit, err);
    }
    close(fd);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[used] = '\0';
    *data = buf;
    if (len)
        *len = used;
    return 0;
}

int wcr_posix_write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int wcr_os_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                             wcr_err *err)
{
    char *tmp = wcr_asprintf("%s.tmp-XXXXXX", path);
    if (!tmp)
        return wcr_err_set(err, WCR_E_NOMEM, "write %s: out of memory", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return wcr_err_set_errno(err, e, "write %s: create temporary file", path);
    }
    int e = 0;
    const char *step = "write";
    if (fchmod(fd, (mode_t)mode) != 0)
        e = errno, step = "chmod";
    else if (wcr_posix_write_all(fd, data, len) != 0)
        e = errno, step = "write";
    else if (fsync(fd) != 0)
        e = errno, step = "fsync";
    if (close(fd) != 0 && !e)
        e = errno, step = "close";
    if (!e && rename(tmp, path) != 0)
        e = errno, step = "rename";
    if (e) {
        unlink(tmp);
        free(tmp);
        return wcr_err_set_errno(err, e, "write %s: %s", path, step);
    }
    free(tmp);
    return 0;
}

int wcr_os_remove_file(const char *path, wcr_err *err)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return wcr_err_set_errno(err, errno, "remove %s", path);
    return 0;
}

int wcr_os_remove_dir(const char *path, wcr_err *err)
{
    if (rmdir(path) != 0 && errno != ENOENT)
        return wcr_err_set_errno(err, errno, "remove directory %s", path);
    return 0;
}

int wcr_os_mkdir_p(const char *path, unsigned mode, wcr_err *err)
{
    if (!path[0])
        return wcr_err_set(err, WCR_E_INVALID, "mkdir: empty path");
    char *copy = wcr_strdup(path);
    if (!copy)
        return wcr_err_set(err, WCR_E_NOMEM, "mkdir %s: out of memory", path);
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, (mode_t)mode) != 0 && errno != EEXIST) {
            int e = errno;
            free(copy);
            return wcr_err_set_errno(err, e, "mkdir %s", path);
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(copy);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return wcr_err_set(err, WCR_E_EXISTS, "mkdir %s: exists and is not a directory", path);
    return 0;
}

struct wcr_os_file {
    int fd;
    char *path;
};

wcr_os_file *wcr_os_file_open(const char *path, wcr_err *err)
{
    wcr_os_file *f = malloc(sizeof *f);
    if (!f || !(f->path = wcr_strdup(path))) {
        free(f);
        wcr_err_set(err, WCR_E_NOMEM, "open %s: out of memory", path);
        return NULL;
    }
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) {
        wcr_err_set_errno(err, errno, "open %s", path);
        free(f->path);
        free(f);
        return NULL;
    }
    return f;
}

int wcr_os_file_read(wcr_os_file *f, void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    for (;;) {
        ssize_t n = read(f->fd, buf, len);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR)
            return wcr_err_set_errno(err, errno, "read %s", f->path);
    }
}

int wcr_os_file_seek(wcr_os_file *f, uint64_t offset, wcr_err *err)
{
    if (lseek(f->fd, (off_t)offset, SEEK_SET) < 0)
        return wcr_err_set_errno(err, errno, "seek %s", f->path);
    return 0;
}

void wcr_os_file_close(wcr_os_file *f)
{
    if (!f)
        return;
    close(f->fd);
    free(f->path);
    free(f);
}
