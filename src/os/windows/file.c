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
        if (used > limit) {
            char size[32];
            wcr_str_human_size(limit, size, sizeof size);
            rc = wcr_err_set(err, WCR_E_LIMIT, "read %s: larger than %s", path, size);
            break;
        }
        if (cap - used < 2) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                rc = wcr_err_set(err, WCR_E_NOMEM, "read %s: out of memory", path);
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t room = cap - used - 1;
        DWORD want = room > 0x40000000 ? 0x40000000 : (DWORD)room, got = 0;
        if (!ReadFile(h, buf + used, want, &got, NULL)) {
            rc = win_set_error(err, GetLastError(), "read %s", path);
            break;
        }
        if (got == 0)
            break;
        used += got;
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
    char *tmp = wcr_asprintf("%s.tmp-%lu-%lu", path, (unsigned long)GetCurrentProcessId(),
                             (unsigned long)GetTickCount());
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

int wcr_os_mkdir_p(const char *path, unsigned mode, wcr_err *err)
{
    (void)mode;
    char *copy = wcr_strdup(path);
    if (!copy)
        return wcr_err_set(err, WCR_E_NOMEM, "mkdir %s: out of memory", path);
    size_t n = strlen(copy);
    /* Skip a drive ("C:\") or UNC/device prefix ("\\server\share\", "\\?\"). */
    size_t start = 0;
    if (n >= 2 && copy[1] == ':')
        start = 3;
    else if (n >= 2 && (copy[0] == '\\' || copy[0] == '/') && (copy[1] == '\\' || copy[1] == '/'))
        start = 2;
    for (size_t i = start; i <= n; i++) {
        if (i < n && copy[i] != '\\' && copy[i] != '/')
            continue;
        if (i == 0 || i <= start)
            continue;
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
    free(w);
    if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY))
        return wcr_err_set(err, WCR_E_EXISTS, "mkdir %s: could not create the directory", path);
    return 0;
}
