/* Running a helper program with pipes (Windows). */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cmdline.h"
#include "os/os.h"
#include "os/windows/win.h"

static int read_all(HANDLE h, size_t max, char **out, size_t *out_len, const char *prog, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("helper output", max);
    char chunk[4096];
    for (;;) {
        DWORD n = 0;
        if (!ReadFile(h, chunk, sizeof chunk, &n, NULL)) {
            DWORD e = GetLastError();
            if (e == ERROR_BROKEN_PIPE)
                break; /* the end of its output */
            wcr_buf_dispose(&b);
            return win_set_error(err, e, "read the output of %s", prog);
        }
        if (n == 0)
            break;
        if (wcr_buf_append(&b, chunk, n) < 0) {
            wcr_buf_dispose(&b);
            return wcr_err_set(err, WCR_E_LIMIT, "%s wrote more than %zu bytes", prog, max);
        }
    }
    if (wcr_buf_putc(&b, '\0') < 0) {
        wcr_buf_dispose(&b);
        return wcr_err_set(err, WCR_E_LIMIT, "%s wrote more than %zu bytes", prog, max);
    }
    *out_len = b.len - 1;
    *out = wcr_buf_detach(&b, NULL);
    return *out ? 0 : wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", prog);
}

int wcr_os_run_capture(const char *const *argv, const void *in, size_t in_len, size_t out_max,
                       char **out, size_t *out_len, int *status, wcr_err *err)
{
    *out = NULL;
    *out_len = 0;
    *status = -1;
    const char *prog = argv[0];
    size_t argc = 0;
    while (argv[argc])
        argc++;
    wcr_buf line = WCR_BUF_INIT("command line", 32767);
    if (wcr_cmdline_build(&line, argv, argc, err) < 0) {
        wcr_buf_dispose(&line);
        return -1;
    }
    wchar_t *wline = win_wide(wcr_buf_cstr(&line), err);
    wcr_buf_dispose(&line);
    if (!wline)
        return -1;
    /* Our ends are not inherited; the child's ends are. */
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL;
    if (!CreatePipe(&in_r, &in_w, &sa, 0) || !CreatePipe(&out_r, &out_w, &sa, 0)) {
        DWORD e = GetLastError();
        HANDLE hs[] = { in_r, in_w, out_r, out_w };
        for (size_t i = 0; i < 4; i++)
            if (hs[i])
                CloseHandle(hs[i]);
        free(wline);
        return win_set_error(err, e, "run %s: pipe", prog);
    }
    SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW si = { 0 };
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi = { 0 };
    /* No application name: CreateProcess searches PATH and adds ".exe". */
    BOOL ok = CreateProcessW(NULL, wline, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi);
    DWORD e = ok ? 0 : GetLastError();
    free(wline);
    CloseHandle(in_r);
    CloseHandle(out_w);
    if (!ok) {
        CloseHandle(in_w);
        CloseHandle(out_r);
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
            return wcr_err_set(err, WCR_E_NOT_FOUND, "%s is not on PATH", prog);
        return win_set_error(err, e, "run %s", prog);
    }
    CloseHandle(pi.hThread);
    const char *p = in;
    while (in_len > 0) {
        DWORD n = 0, chunk = in_len > 65536 ? 65536 : (DWORD)in_len;
        if (!WriteFile(in_w, p, chunk, &n, NULL))
            break; /* a helper that does not read is judged by its answer */
        p += n;
        in_len -= n;
    }
    CloseHandle(in_w);
    int rc = read_all(out_r, out_max, out, out_len, prog, err);
    CloseHandle(out_r);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    if (rc == 0 && GetExitCodeProcess(pi.hProcess, &code))
        *status = (int)code;
    CloseHandle(pi.hProcess);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return rc;
}
