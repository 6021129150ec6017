/* Terminal detection (POSIX). */
#include <sys/ioctl.h>
#include <unistd.h>

#include "os/os.h"

bool wcr_os_isatty(int stream)
{
    return isatty(stream) == 1;
}

int wcr_os_terminal_size(int stream, unsigned *cols, unsigned *rows)
{
    struct winsize ws;
    if (ioctl(stream, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return -1;
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return 0;
}
