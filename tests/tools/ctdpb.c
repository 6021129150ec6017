/* ctdpb: wcr's containerd message codecs on the command line, so that
 * protoc, reading containerd's own .proto files, can be the oracle for
 * them (tests/tools/ctd-oracle.sh).
 *
 *   ctdpb encode KEY   write our encoding of KEY's fixed sample request
 *                      (ctdpb_encode.c)
 *   ctdpb decode KEY   read KEY's response message from stdin with our
 *                      decoder and print the resulting struct
 *                      (ctdpb_decode.c)
 *   ctdpb list         "encode|decode KEY MESSAGE PROTO", one per line
 *
 * Binary goes through stdio: use it on POSIX (the oracle test runs
 * natively only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctdpb.h"

static int fail(wcr_err *err)
{
    char *msg = wcr_err_format(err, false);
    fprintf(stderr, "ctdpb: %s\n", msg ? msg : "out of memory");
    free(msg);
    wcr_err_dispose(err);
    return 1;
}

static int encode(const ctdpb_request *e)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_buf b = WCR_BUF_INIT("sample", WCR_BUF_NO_LIMIT);
    e->encode(&b);
    if (wcr_buf_check(&b, &err) < 0) {
        wcr_buf_dispose(&b);
        return fail(&err);
    }
    int rc = fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0 ? 0 : 1;
    wcr_buf_dispose(&b);
    return rc;
}

static int decode(const ctdpb_response *e)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_buf in = WCR_BUF_INIT("stdin", (size_t)64 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        wcr_buf_append(&in, chunk, n);
    if (ferror(stdin)) {
        fprintf(stderr, "ctdpb: cannot read stdin\n");
        wcr_buf_dispose(&in);
        return 2;
    }
    if (wcr_buf_check(&in, &err) < 0) {
        wcr_buf_dispose(&in);
        return fail(&err);
    }
    int rc = e->decode(in.data, in.len, &err);
    wcr_buf_dispose(&in);
    return rc < 0 ? fail(&err) : 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "list") == 0 && argc == 2) {
        for (size_t i = 0; i < ctdpb_nrequests; i++)
            printf("encode %s %s %s\n", ctdpb_requests[i].key, ctdpb_requests[i].message,
                   ctdpb_requests[i].proto);
        for (size_t i = 0; i < ctdpb_nresponses; i++)
            printf("decode %s %s %s\n", ctdpb_responses[i].key, ctdpb_responses[i].message,
                   ctdpb_responses[i].proto);
        return 0;
    }
    if (argc == 3 && strcmp(cmd, "encode") == 0) {
        for (size_t i = 0; i < ctdpb_nrequests; i++)
            if (strcmp(ctdpb_requests[i].key, argv[2]) == 0)
                return encode(&ctdpb_requests[i]);
    } else if (argc == 3 && strcmp(cmd, "decode") == 0) {
        for (size_t i = 0; i < ctdpb_nresponses; i++)
            if (strcmp(ctdpb_responses[i].key, argv[2]) == 0)
                return decode(&ctdpb_responses[i]);
    } else {
        fprintf(stderr, "usage: ctdpb encode|decode KEY | ctdpb list\n");
        return 2;
    }
    fprintf(stderr, "ctdpb: no %s sample %s (try: ctdpb list)\n", cmd, argv[2]);
    return 2;
}
