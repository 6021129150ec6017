/* The host's architecture (POSIX): uname's machine in OCI/Go terms. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "os/os.h"

/* uname machine names and the OCI architecture (and arm variant) each
 * stands for. Names not listed are passed on as they are. */
static const struct {
    const char *machine, *arch, *variant;
} machines[] = {
    { "x86_64", "amd64", "" },     { "amd64", "amd64", "" },
    { "aarch64", "arm64", "" },    { "arm64", "arm64", "" },
    { "armv8l", "arm", "v8" },     { "armv7l", "arm", "v7" },
    { "armv7", "arm", "v7" },      { "armv6l", "arm", "v6" },
    { "armv5tel", "arm", "v5" },   { "armv5tejl", "arm", "v5" },
    { "i386", "386", "" },         { "i486", "386", "" },
    { "i586", "386", "" },         { "i686", "386", "" },
    { "ppc64le", "ppc64le", "" },  { "s390x", "s390x", "" },
    { "riscv64", "riscv64", "" },  { "loongarch64", "loong64", "" },
    { "mips64", "mips64", "" },
};

int wcr_os_host_info(wcr_os_host *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    struct utsname u;
    if (uname(&u) != 0)
        return wcr_err_set_errno(err, errno, "uname");
    for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++) {
        if (strcmp(u.machine, machines[i].machine) == 0) {
            snprintf(out->arch, sizeof out->arch, "%s", machines[i].arch);
            snprintf(out->variant, sizeof out->variant, "%s", machines[i].variant);
            return 0;
        }
    }
    /* An unknown machine name longer than the field is cut. */
    snprintf(out->arch, sizeof out->arch, "%.*s", (int)sizeof out->arch - 1, u.machine);
    return 0;
}
