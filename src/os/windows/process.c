/* Our console, our own stdio, processes (Windows). */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"

struct wcr_os_term {
    DWORD in_mode, out_mode;
};

wcr_os_term *wcr_os_term_raw(wcr_err *err)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
    wcr_os_term *t = calloc(1, sizeof *t);
    if (!t) {
        wcr_err_set(err, WCR_E_NOMEM, "console: out of memory");
        return NULL;
    }
    if (!GetConsoleMode(in, &t->in_mode) || !GetConsoleMode(out, &t->out_mode)) {
        win_set_error(err, GetLastError(), "read the console mode");
        free(t);
        return NULL;
    }
    /* Keys as VT sequences to the container; its output interpreted. */
    DWORD raw_in = (t->in_mode & ~(ENABLE_ECHO_INPUT | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT)) |
                   ENABLE_VIRTUAL_TERMINAL_INPUT;
    DWORD raw_out = t->out_mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN;
    if (!SetConsoleMode(in, raw_in) || !SetConsoleMode(out, raw_out)) {
        win_set_error(err, GetLastError(), "put the console in raw mode");
        SetConsoleMode(in, t->in_mode);
        free(t);
        return NULL;
    }
    return t;
}

void wcr_os_term_restore(wcr_os_term *t)
{
    if (!t)
        return;
    SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), t->in_mode);
    SetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), t->out_mode);
    free(t);
}

int wcr_os_stdin_read(void *buf, size_t len, size_t *got, wcr_err *err)
{
    DWORD n = 0, want = len > 0x10000 ? 0x10000 : (DWORD)len;
    *got = 0;
    if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, want, &n, NULL)) {
        DWORD e = GetLastError();
        if (e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF)
            return 0;
        return win_set_error(err, e, "read stdin");
    }
    *got = n;
    return 0;
}

int wcr_os_std_write(int stream, const void *buf, size_t len, wcr_err *err)
{
    HANDLE h = GetStdHandle(stream == WCR_OS_STDERR ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
    const char *p = buf;
    while (len > 0) {
        DWORD n = 0, chunk = len > 0x10000 ? 0x10000 : (DWORD)len;
        if (!WriteFile(h, p, chunk, &n, NULL))
            return win_set_error(err, GetLastError(), "write %s", stream == WCR_OS_STDERR ? "stderr" : "stdout");
        p += n;
        len -= n;
    }
    return 0;
}

unsigned long wcr_os_pid(void)
{
    return (unsigned long)GetCurrentProcessId();
}

bool wcr_os_process_alive(unsigned long pid)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
    if (!h)
        return GetLastError() == ERROR_ACCESS_DENIED;
    DWORD code = 0;
    bool alive = GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    CloseHandle(h);
    return alive;
}

int wcr_os_remove_tree(const char *path, wcr_err *err)
{
    wchar_t *w = win_wide(path, err);
    if (!w)
        return -1;
    DWORD attr = GetFileAttributesW(w);
    free(w);
    if (attr == INVALID_FILE_ATTRIBUTES)
        return 0;
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY) || (attr & FILE_ATTRIBUTE_REPARSE_POINT))
        return wcr_os_remove_file(path, err);
    char *pattern = wcr_asprintf("%s\\*", path);
    wchar_t *wp = pattern ? win_wide(pattern, err) : NULL;
    free(pattern);
    if (!wp)
        return -1;
    WIN32_FIND_DATAW fd;
    HANDLE f = FindFirstFileW(wp, &fd);
    free(wp);
    int rc = 0;
    if (f != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                continue;
            char *name = win_utf8(fd.cFileName, err);
            char *child = name ? wcr_asprintf("%s\\%s", path, name) : NULL;
            rc = child ? wcr_os_remove_tree(child, err) : -1;
            free(name);
            free(child);
        } while (rc == 0 && FindNextFileW(f, &fd));
        FindClose(f);
    }
    if (rc == 0) {
        wchar_t *wd = win_wide(path, err);
        if (!wd)
            return -1;
        BOOL ok = RemoveDirectoryW(wd);
        DWORD e = GetLastError();
        free(wd);
        if (!ok && e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)
            return win_set_error(err, e, "remove %s", path);
    }
    return rc;
}

void wcr_os_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

int wcr_os_list_dir(const char *path, char ***names, size_t *n, wcr_err *err)
{
    *names = calloc(1, sizeof **names);
    *n = 0;
    if (!*names)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    char *pattern = wcr_asprintf("%s\\*", path);
    wchar_t *wp = pattern ? win_wide(pattern, err) : NULL;
    free(pattern);
    if (!wp)
        return -1;
    WIN32_FIND_DATAW fd;
    HANDLE f = FindFirstFileW(wp, &fd);
    free(wp);
    if (f == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? 0 : win_set_error(err, e, "list %s", path);
    }
    int rc = 0;
    do {
        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        char *name = win_utf8(fd.cFileName, err);
        char **grown = name ? realloc(*names, (*n + 2) * sizeof *grown) : NULL;
        if (!grown) {
            free(name);
            rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
            break;
        }
        *names = grown;
        (*names)[(*n)++] = name;
        (*names)[*n] = NULL;
    } while (FindNextFileW(f, &fd));
    FindClose(f);
    return rc;
}
