/* Helpers shared by the Windows implementation of os.h. */
#ifndef WCR_OS_WIN_H
#define WCR_OS_WIN_H

#include <windows.h>

#include "wcr/err.h"

/* UTF-8 to a malloc'd wide string; NULL with err set on failure. */
wchar_t *win_wide(const char *utf8, wcr_err *err);

/* Wide to a malloc'd UTF-8 string; NULL with err set on failure. */
char *win_utf8(const wchar_t *wide, wcr_err *err);

/* Set err from a Win32 error code, with the system's text for it. */
int win_set_error(wcr_err *err, DWORD code, const char *fmt, ...) WCR_PRINTF(3, 4);

/* Install the console control handler (wcr_os_init_process). */
int win_signals_init(wcr_err *err);

#endif
