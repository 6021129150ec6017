/* Terminal (console) detection (Windows). */
#include "os/os.h"
#include "os/windows/win.h"

static HANDLE std_handle(int stream)
{
    DWORD which = stream == WCR_OS_STDIN    ? STD_INPUT_HANDLE
                  : stream == WCR_OS_STDOUT ? STD_OUTPUT_HANDLE
                                            : STD_ERROR_HANDLE;
    return GetStdHandle(which);
}

bool wcr_os_isatty(int stream)
{
    HANDLE h = std_handle(stream);
    DWORD mode;
    return h != NULL && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

int wcr_os_terminal_size(int stream, unsigned *cols, unsigned *rows)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    if (!GetConsoleScreenBufferInfo(std_handle(stream), &info))
        return -1;
    *cols = (unsigned)(info.srWindow.Right - info.srWindow.Left + 1);
    *rows = (unsigned)(info.srWindow.Bottom - info.srWindow.Top + 1);
    return 0;
}
