/* Native command-line splitting (POSIX): there is none to compare with. */
#include "os/os.h"

int wcr_os_split_cmdline_native(const char *cmdline, char ***argv, size_t *argc, wcr_err *err)
{
    (void)cmdline;
    *argv = NULL;
    *argc = 0;
    return wcr_err_set(err, WCR_E_UNSUPPORTED,
                       "CommandLineToArgvW exists only on Windows (this is %s)", wcr_os_name());
}
