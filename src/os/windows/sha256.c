/* SHA-256 through BCrypt (CNG). */
#include <stdlib.h>

#include "os/os.h"
#include "os/windows/win.h"

#include <bcrypt.h>

struct wcr_os_sha256 {
    BCRYPT_HASH_HANDLE hash;
};

/* The algorithm provider is opened once and kept: opening it is slow. */
static INIT_ONCE provider_once = INIT_ONCE_STATIC_INIT;
static BCRYPT_ALG_HANDLE provider;

static BOOL CALLBACK open_provider(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    return BCryptOpenAlgorithmProvider(&provider, BCRYPT_SHA256_ALGORITHM, NULL, 0) == 0;
}

static int new_hash(wcr_os_sha256 *h, wcr_err *err)
{
    NTSTATUS st = BCryptCreateHash(provider, &h->hash, NULL, 0, NULL, 0, 0);
    if (st != 0)
        return wcr_err_set_cause(err, WCR_E_OS, WCR_CAUSE_HRESULT, (int64_t)(uint32_t)st, NULL,
                                 "sha256: BCryptCreateHash failed");
    return 0;
}

wcr_os_sha256 *wcr_os_sha256_new(wcr_err *err)
{
    if (!InitOnceExecuteOnce(&provider_once, open_provider, NULL, NULL)) {
        wcr_err_set(err, WCR_E_OS, "sha256: BCrypt has no SHA-256 provider");
        return NULL;
    }
    wcr_os_sha256 *h = calloc(1, sizeof *h);
    if (!h) {
        wcr_err_set(err, WCR_E_NOMEM, "sha256: out of memory");
        return NULL;
    }
    if (new_hash(h, err) < 0) {
        free(h);
        return NULL;
    }
    return h;
}

void wcr_os_sha256_update(wcr_os_sha256 *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        BCryptHashData(h->hash, (PUCHAR)p, chunk, 0);
        p += chunk;
        len -= chunk;
    }
}

void wcr_os_sha256_final(wcr_os_sha256 *h, uint8_t out[32])
{
    BCryptFinishHash(h->hash, out, 32, 0);
}

void wcr_os_sha256_reset(wcr_os_sha256 *h)
{
    /* A finished BCrypt hash cannot be used again: make a new one. */
    BCryptDestroyHash(h->hash);
    h->hash = NULL;
    new_hash(h, NULL);
}

void wcr_os_sha256_free(wcr_os_sha256 *h)
{
    if (!h)
        return;
    if (h->hash)
        BCryptDestroyHash(h->hash);
    free(h);
}
