/* Win32 error text and wide-string helpers. */
#include <stdio.h>
#include <stdlib.h>

#include "core/str.h"
#include "core/utf.h"
#include "os/windows/win.h"

wchar_t *win_wide(const char *utf8, wcr_err *err)
{
    return (wchar_t *)wcr_utf8_to_utf16(utf8, strlen(utf8), NULL, err);
}

char *win_utf8(const wchar_t *wide, wcr_err *err)
{
    const uint16_t *w = (const uint16_t *)wide;
    return wcr_utf16_to_utf8(w, wcr_utf16_len(w), NULL, err);
}

static wcr_err_code code_from_win32(DWORD code)
{
    switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_NOT_FOUND:
        return WCR_E_NOT_FOUND;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        return WCR_E_EXISTS;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
        return WCR_E_PERMISSION;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return WCR_E_NOMEM;
    case ERROR_PIPE_BUSY:
    case ERROR_BROKEN_PIPE:
    case ERROR_PIPE_NOT_CONNECTED:
        return WCR_E_UNAVAILABLE;
    case ERROR_TIMEOUT:
    case WAIT_TIMEOUT:
        return WCR_E_TIMEOUT;
    case ERROR_OPERATION_ABORTED:
        return WCR_E_CANCELLED;
    default:
        return WCR_E_OS;
    }
}

int win_set_error(wcr_err *err, DWORD code, const char *fmt, ...)
{
    if (!err)
        return -1;
    wchar_t *text = NULL;
    DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, code, 0, (LPWSTR)&text, 0, NULL);
    char *msg = NULL;
    if (n && text) {
        while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L'.'))
            text[--n] = 0;
        msg = win_utf8(text, NULL);
    }
    if (text)
        LocalFree(text);
    if (!msg)
        msg = wcr_asprintf("Win32 error %lu", (unsigned long)code);
    va_list ap;
    va_start(ap, fmt);
    wcr_err_setv(err, code_from_win32(code), fmt, ap);
    va_end(ap);
    err->cause = WCR_CAUSE_WIN32;
    err->cause_code = code;
    err->cause_msg = msg;
    return -1;
}
