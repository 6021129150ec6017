/* Content digests. */
#include <stdio.h>
#include <string.h>

#include "image/digest.h"
#include "os/os.h"

int wcr_digest_sha256(const void *data, size_t len, char out[WCR_DIGEST_LEN + 1], wcr_err *err)
{
    wcr_os_sha256 *h = wcr_os_sha256_new(err);
    if (!h)
        return -1;
    uint8_t sum[32];
    wcr_os_sha256_update(h, data, len);
    wcr_os_sha256_final(h, sum);
    wcr_os_sha256_free(h);
    memcpy(out, "sha256:", 7);
    for (size_t i = 0; i < 32; i++)
        snprintf(out + 7 + i * 2, 3, "%02x", sum[i]);
    return 0;
}

int wcr_digest_verify(const void *data, size_t len, const char *want, const char *what, wcr_err *err)
{
    if (strncmp(want, "sha256:", 7) != 0)
        return wcr_err_set(err, WCR_E_UNSUPPORTED, "%s: digest algorithm of %s is not supported (only sha256)",
                           what, want);
    char got[WCR_DIGEST_LEN + 1];
    if (wcr_digest_sha256(data, len, got, err) < 0)
        return -1;
    if (strcmp(got, want) != 0)
        return wcr_err_set(err, WCR_E_DIGEST, "%s: content has digest %s, expected %s", what, got, want);
    return 0;
}
