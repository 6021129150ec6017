/* The library's version and source revision. */
#include "wcr/common.h"

#ifndef WCR_REVISION
#define WCR_REVISION "unknown"
#endif

const char *wcr_version(void)
{
    return WCR_VERSION;
}

const char *wcr_revision(void)
{
    return WCR_REVISION;
}
