/* Helpers shared by the POSIX implementation of os.h. */
#ifndef WCR_OS_POSIX_H
#define WCR_OS_POSIX_H

#include "wcr/err.h"

/* Block the interrupt signals and start the thread that takes them. */
int wcr_os_posix_signals_init(wcr_err *err);

#endif
