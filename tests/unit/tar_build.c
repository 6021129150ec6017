/* Tar archives built in tests. */
#include <stdio.h>
#include <string.h>

#include "tar_build.h"

void tb_checksum(uint8_t *b)
{
    memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += b[i];
    char num[16];
    snprintf(num, sizeof num, "%06o", sum);
    memcpy(b + 148, num, 7); /* six digits and the NUL; the space stays */
}

void tb_header(wcr_buf *out, const char *name, char type, uint64_t size, const char *link)
{
    uint8_t b[512] = { 0 };
    char num[32];
    memcpy(b, name, strnlen(name, 100));
    memcpy(b + 100, "0000644", 8);
    memcpy(b + 108, "0000000", 8);
    memcpy(b + 116, "0000000", 8);
    snprintf(num, sizeof num, "%011llo", (unsigned long long)size);
    memcpy(b + 124, num, 12);
    memcpy(b + 136, "14524770400", 12);
    b[156] = (uint8_t)type;
    if (link)
        memcpy(b + 157, link, strnlen(link, 100));
    memcpy(b + 257, "ustar\0" "00", 8);
    tb_checksum(b);
    wcr_buf_append(out, b, sizeof b);
}

void tb_body(wcr_buf *out, const void *data, size_t len)
{
    static const uint8_t zeros[512];
    wcr_buf_append(out, data, len);
    wcr_buf_append(out, zeros, (512 - len % 512) % 512);
}

void tb_file(wcr_buf *out, const char *name, const void *data, size_t len)
{
    tb_header(out, name, '0', len, NULL);
    tb_body(out, data, len);
}

void tb_end(wcr_buf *out)
{
    static const uint8_t zeros[1024];
    wcr_buf_append(out, zeros, sizeof zeros);
}
