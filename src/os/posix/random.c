/* Random bytes from the kernel (getrandom(2)). */
#include <errno.h>
#include <sys/random.h>

#include "os/os.h"

int wcr_os_random(void *buf, size_t n, wcr_err *err)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return wcr_err_set_errno(err, errno, "random bytes");
        p += got;
        n -= (size_t)got;
    }
    return 0;
}
