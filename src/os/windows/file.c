/* Files and directories (Windows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"

char wcr_os_path_sep(void)
{
    return '\\';
}

bool wcr_os_path_exists(const char *path)
{
    wchar_t *w = win_wide(path, NULL);
    if (!w)
        return false;
    DWORD attr = GetFileAttributesW(w);
    free(w);
    return attr != INVALID_FILE_ATTRIBUTES;
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
    wchar_t *w = win_wide(path, err);
    if (!w)
        return -1;
    HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return win_set_error(err, GetLastError(), "open %s", path);
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
        /* One byte past the limit is enough to know the file is too large. */
        size_t room = cap - used - 1;
        if (limit - used < room - 1)
            room = limit - used + 1;
        DWORD want = room > 0x40000000 ? 0x40000000 : (DWORD)room, got = 0;
        if (!ReadFile(h, buf + used, want, &got, NULL)) {
            rc = win_set_error(err, GetLastError(), "read %s", path);
            break;
        }
        if (got == 0)
            break;
        used += got;
        if (used > limit)
            rc = too_large(path, limit, err);
    }
    CloseHandle(h);
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

int wcr_os_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                             wcr_err *err)
{
    (void)mode;
    /* Unique within the process too: two writes in one tick, or from two
     * threads, must not meet on one temporary name (CREATE_NEW fails). */
    static volatile LONG counter;
    char *tmp = wcr_asprintf("%s.tmp-%lu-%lu-%ld", path, (unsigned long)GetCurrentProcessId(),
                             (unsigned long)GetTickCount(), (long)InterlockedIncrement(&counter));
    if (!tmp)
        return wcr_err_set(err, WCR_E_NOMEM, "write %s: out of memory", path);
    wchar_t *wtmp = win_wide(tmp, err), *wpath = wtmp ? win_wide(path, err) : NULL;
    free(tmp);
    if (!wpath) {
        free(wtmp);
        return -1;
    }
    int rc = 0;
    HANDLE h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = win_set_error(err, GetLastError(), "write %s: create temporary file", path);
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0 && rc == 0) {
        DWORD chunk = left > 0x40000000 ? 0x40000000 : (DWORD)left, wrote = 0;
        if (!WriteFile(h, p, chunk, &wrote, NULL))
            rc = win_set_error(err, GetLastError(), "write %s", path);
        p += wrote;
        left -= wrote;
    }
    if (rc == 0 && !FlushFileBuffers(h))
        rc = win_set_error(err, GetLastError(), "write %s: flush", path);
    CloseHandle(h);
    if (rc == 0 && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        rc = win_set_error(err, GetLastError(), "write %s: replace", path);
    if (rc < 0)
        DeleteFileW(wtmp);
out:
    free(wtmp);
    free(wpath);
    return rc;
}

int wcr_os_remove_file(const char *path, wcr_err *err)
{
    wchar_t *w = win_wide(path, err);
    if (!w)
        return -1;
    BOOL ok = DeleteFileW(w);
    DWORD e = GetLastError();
    free(w);
    if (!ok && e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)
        return win_set_error(err, e, "remove %s", path);
    return 0;
}

int wcr_os_remove_dir(const char *path, wcr_err *err)
{
    wchar_t *w = win_wide(path, err);
    if (!w)
        return -1;
    BOOL ok = RemoveDirectoryW(w);
    DWORD e = GetLastError();
    free(w);
    if (!ok && e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)
        return win_set_error(err, e, "remove directory %s", path);
    return 0;
}

static bool is_sep(char c)
{
    return c == '\\' || c == '/';
}

static bool is_drive(const char *p)
{
    return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':';
}

/* Past the end of the next path component and its separator. */
static size_t skip_component(const char *p, size_t i)
{
    while (p[i] && !is_sep(p[i]))
        i++;
    return p[i] ? i + 1 : i;
}

/* How much of a path names something that exists already and cannot be
 * created: "C:\", "\\server\share\", "\\?\C:\", "\\?\UNC\server\share\",
 * "\\?\Volume{...}\", or a leading "\". */
static size_t root_length(const char *p)
{
    if (is_sep(p[0]) && is_sep(p[1])) {
        if ((p[2] == '?' || p[2] == '.') && is_sep(p[3])) {
            const char *q = p + 4;
            if ((q[0] == 'U' || q[0] == 'u') && (q[1] == 'N' || q[1] == 'n') &&
                (q[2] == 'C' || q[2] == 'c') && is_sep(q[3]))
                return skip_component(p, skip_component(p, 8));
            if (is_drive(q))
                return is_sep(q[2]) ? 7 : 6;
            return skip_component(p, 4); /* a volume or device name */
        }
        return skip_component(p, skip_component(p, 2)); /* server, share */
    }
    if (is_drive(p))
        return is_sep(p[2]) ? 3 : 2;
    return is_sep(p[0]) ? 1 : 0;
}

int wcr_os_mkdir_p(const char *path, unsigned mode, wcr_err *err)
{
    (void)mode;
    if (!path[0])
        return wcr_err_set(err, WCR_E_INVALID, "mkdir: empty path");
    char *copy = wcr_strdup(path);
    if (!copy)
        return wcr_err_set(err, WCR_E_NOMEM, "mkdir %s: out of memory", path);
    size_t n = strlen(copy), start = root_length(copy);
    for (size_t i = start; i <= n; i++) {
        if (i < n && !is_sep(copy[i]))
            continue;
        if (i == start || is_sep(copy[i - 1]))
            continue; /* nothing new since the last separator */
        char saved = copy[i];
        copy[i] = '\0';
        wchar_t *w = win_wide(copy, err);
        if (!w) {
            free(copy);
            return -1;
        }
        BOOL ok = CreateDirectoryW(w, NULL);
        DWORD e = GetLastError();
        free(w);
        /* ACCESS_DENIED: an existing parent we may not write, checked below. */
        if (!ok && e != ERROR_ALREADY_EXISTS && e != ERROR_ACCESS_DENIED) {
            free(copy);
            return win_set_error(err, e, "mkdir %s", path);
        }
        copy[i] = saved;
    }
    free(copy);
    wchar_t *w = win_wide(path, err);
    if (!w)
        return -1;
    DWORD attr = GetFileAttributesW(w);
    DWORD e = GetLastError();
    free(w);
    if (attr == INVALID_FILE_ATTRIBUTES)
        return win_set_error(err, e, "mkdir %s", path);
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY))
        return wcr_err_set(err, WCR_E_EXISTS, "mkdir %s: exists and is not a directory", path);
    return 0;
}

struct wcr_os_file {
    HANDLE h;
    char *path;
};

wcr_os_file *wcr_os_file_open(const char *path, wcr_err *err)
{
    wchar_t *w = win_wide(path, err);
    if (!w)
        return NULL;
    wcr_os_file *f = malloc(sizeof *f);
    if (!f || !(f->path = wcr_strdup(path))) {
        free(f);
        free(w);
        wcr_err_set(err, WCR_E_NOMEM, "open %s: out of memory", path);
        return NULL;
    }
    /* Others may go on writing (a log) or delete it meanwhile. */
    f->h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (f->h == INVALID_HANDLE_VALUE) {
        win_set_error(err, GetLastError(), "open %s", path);
        free(f->path);
        free(f);
        return NULL;
    }
    return f;
}

int wcr_os_file_read(wcr_os_file *f, void *buf, size_t len, size_t *got, wcr_err *err)
{
    DWORD n = 0, want = len > 0x40000000 ? 0x40000000 : (DWORD)len;
    *got = 0;
    if (!ReadFile(f->h, buf, want, &n, NULL))
        return win_set_error(err, GetLastError(), "read %s", f->path);
    *got = n;
    return 0;
}

int wcr_os_file_seek(wcr_os_file *f, uint64_t offset, wcr_err *err)
{
    LARGE_INTEGER li;
    li.QuadPart = (LONGLONG)offset;
    if (!SetFilePointerEx(f->h, li, NULL, FILE_BEGIN))
        return win_set_error(err, GetLastError(), "seek %s", f->path);
    return 0;
}

void wcr_os_file_close(wcr_os_file *f)
{
    if (!f)
        return;
    CloseHandle(f->h);
    free(f->path);
    free(f);
}
