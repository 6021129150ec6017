/* SHA-256 through OpenSSL's libcrypto (EVP). */
#include <openssl/evp.h>
#include <stdlib.h>

#include "os/os.h"

struct wcr_os_sha256 {
    EVP_MD_CTX *ctx;
};

wcr_os_sha256 *wcr_os_sha256_new(wcr_err *err)
{
    wcr_os_sha256 *h = malloc(sizeof *h);
    if (!h || !(h->ctx = EVP_MD_CTX_new()) || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        if (h)
            EVP_MD_CTX_free(h->ctx);
        free(h);
        wcr_err_set(err, WCR_E_NOMEM, "sha256: cannot set up libcrypto's digest");
        return NULL;
    }
    return h;
}

void wcr_os_sha256_update(wcr_os_sha256 *h, const void *data, size_t len)
{
    if (len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void wcr_os_sha256_final(wcr_os_sha256 *h, uint8_t out[32])
{
    unsigned n = 32;
    EVP_DigestFinal_ex(h->ctx, out, &n);
}

void wcr_os_sha256_reset(wcr_os_sha256 *h)
{
    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
}

void wcr_os_sha256_free(wcr_os_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}
