/* Terminal (console) detection (Windows). */
#include "os/os.h"
#include "os/windows/win.h"

bool wcr_os_isatty(int stream)
{
    DWORD which = stream == WCR_OS_STDIN    ? STD_INPUT_HANDLE
                  : stream == WCR_OS_STDOUT ? STD_OUTPUT_HANDLE
                                            : STD_ERROR_HANDLE;
    HANDLE h = GetStdHandle(which);
    DWORD mode;
    return h != NULL && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}
