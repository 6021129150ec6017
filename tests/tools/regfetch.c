/* regfetch: the registry client on its own, for tests (the Windows build
 * runs under Wine against the test registry, over WinHTTP).
 *   regfetch [-u USER:PASS] HOST REPO REF            manifest: prints its digest and type
 *   regfetch [-u USER:PASS] HOST REPO REF DIGEST     also a blob: prints its digest
 * Exit 0 on success, 1 on failure (the error on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/digest.h"
#include "image/registry.h"
#include "os/os.h"

typedef struct blob_hash {
    wcr_os_sha256 *h;
    unsigned long long n;
} blob_hash;

static int hash_sink(void *ud, const void *data, size_t len, wcr_err *err)
{
    (void)err;
    blob_hash *b = ud;
    wcr_os_sha256_update(b->h, data, len);
    b->n += len;
    return 0;
}

static int fail(wcr_err *err)
{
    char *m = wcr_err_format(err, true);
    fprintf(stderr, "regfetch: %s\n", m ? m : "failed");
    free(m);
    wcr_err_dispose(err);
    return 1;
}

int main(int argc, char **argv)
{
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_init_process(&argc, &argv, &err) < 0)
        return fail(&err);
    wcr_creds creds = { 0 };
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "-u") == 0) {
        if (wcr_creds_parse(argv[2], &creds, &err) < 0)
            return fail(&err);
        a = 3;
    }
    if (argc - a < 3) {
        fprintf(stderr, "usage: regfetch [-u USER:PASS] HOST REPO REF [BLOB]\n");
        return 2;
    }
    wcr_registry_options o = WCR_REGISTRY_OPTIONS_INIT;
    o.host = argv[a];
    o.creds = creds.username ? &creds : NULL;
    o.backoff_ms = 50;
    wcr_registry *r = wcr_registry_new(&o, &err);
    wcr_reg_conn *c = r ? wcr_reg_conn_new(r, &err) : NULL;
    wcr_fetched m = { 0 };
    int rc = c ? wcr_registry_get_manifest(c, argv[a + 1], argv[a + 2], NULL, &m, &err) : -1;
    if (rc == 0)
        printf("manifest %s %s %zu\n", m.digest, m.media_type ? m.media_type : "-", m.body.len);
    if (rc == 0 && argc - a > 3) {
        blob_hash b = { wcr_os_sha256_new(&err), 0 };
        rc = b.h ? wcr_registry_get_blob(c, argv[a + 1], argv[a + 3], 0, NULL, 0, hash_sink, &b, &err) : -1;
        if (rc == 0) {
            uint8_t sum[32];
            wcr_os_sha256_final(b.h, sum);
            printf("blob sha256:");
            for (int i = 0; i < 32; i++)
                printf("%02x", sum[i]);
            printf(" %llu\n", b.n);
        }
        wcr_os_sha256_free(b.h);
    }
    wcr_fetched_dispose(&m);
    wcr_reg_conn_free(c);
    wcr_registry_free(r);
    wcr_creds_dispose(&creds);
    return rc == 0 ? 0 : fail(&err);
}
