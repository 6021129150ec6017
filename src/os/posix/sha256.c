/* SHA-256 through OpenSSL's libcrypto (EVP), opened on first use
 * (posix/dynlib.c says why): its assembly is several times faster than
 * portable C on the gigabytes an import hashes. */
#include <openssl/evp.h>
#include <stdlib.h>

#include "os/os.h"
#include "os/posix/posix.h"

static struct {
    __typeof__(EVP_MD_CTX_new) *ctx_new;
    __typeof__(EVP_MD_CTX_free) *ctx_free;
    __typeof__(EVP_sha256) *sha256;
    __typeof__(EVP_DigestInit_ex) *init;
    __typeof__(EVP_DigestUpdate) *update;
    __typeof__(EVP_DigestFinal_ex) *final;
} evp;

static wcr_posix_dynlib crypto_lib;

static void load_crypto(void)
{
    static const char *const sonames[] = { "libcrypto.so.3", "libcrypto.so.1.1", NULL };
    static const wcr_posix_dynsym syms[] = {
        { "EVP_MD_CTX_new", &evp.ctx_new },   { "EVP_MD_CTX_free", &evp.ctx_free },
        { "EVP_sha256", &evp.sha256 },        { "EVP_DigestInit_ex", &evp.init },
        { "EVP_DigestUpdate", &evp.update },  { "EVP_DigestFinal_ex", &evp.final },
    };
    wcr_posix_dynlib_open(&crypto_lib, sonames, syms, sizeof syms / sizeof syms[0]);
}

static wcr_posix_dynlib crypto_lib = { PTHREAD_ONCE_INIT, load_crypto, "" };

struct wcr_os_sha256 {
    EVP_MD_CTX *ctx;
};

wcr_os_sha256 *wcr_os_sha256_new(wcr_err *err)
{
    if (wcr_posix_dynlib_load(&crypto_lib) < 0) {
        wcr_err_set(err, WCR_E_OS, "sha256: %s; install OpenSSL (Debian: libssl3)", crypto_lib.error);
        return NULL;
    }
    wcr_os_sha256 *h = malloc(sizeof *h);
    if (!h || !(h->ctx = evp.ctx_new()) || evp.init(h->ctx, evp.sha256(), NULL) != 1) {
        if (h)
            evp.ctx_free(h->ctx);
        free(h);
        wcr_err_set(err, WCR_E_NOMEM, "sha256: cannot set up libcrypto's digest");
        return NULL;
    }
    return h;
}

void wcr_os_sha256_update(wcr_os_sha256 *h, const void *data, size_t len)
{
    if (len)
        evp.update(h->ctx, data, len);
}

void wcr_os_sha256_final(wcr_os_sha256 *h, uint8_t out[32])
{
    unsigned n = 32;
    evp.final(h->ctx, out, &n);
}

void wcr_os_sha256_reset(wcr_os_sha256 *h)
{
    evp.init(h->ctx, evp.sha256(), NULL);
}

void wcr_os_sha256_free(wcr_os_sha256 *h)
{
    if (!h)
        return;
    evp.ctx_free(h->ctx);
    free(h);
}
