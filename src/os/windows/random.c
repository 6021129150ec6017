/* Random bytes from the system's generator (BCryptGenRandom). */
#include "os/os.h"
#include "os/windows/win.h"

#include <bcrypt.h>

int wcr_os_random(void *buf, size_t n, wcr_err *err)
{
    unsigned char *p = buf;
    while (n > 0) {
        ULONG chunk = n > 0x10000000 ? 0x10000000 : (ULONG)n;
        NTSTATUS st = BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
        if (st != 0)
            return wcr_err_set_cause(err, WCR_E_OS, WCR_CAUSE_HRESULT, (int64_t)(uint32_t)st, NULL,
                                     "random bytes: BCryptGenRandom failed");
        p += chunk;
        n -= chunk;
    }
    return 0;
}
