/* Terminal detection (POSIX). */
#include <unistd.h>

#include "os/os.h"

bool wcr_os_isatty(int stream)
{
    return isatty(stream) == 1;
}
