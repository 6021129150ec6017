/* Libraries opened when first needed. libcurl and libcrypto bring some
 * thirty libraries with them; linked at start-up they cost every wcr
 * command (most never touch the network) several milliseconds of
 * loading and relocation, which is most of a `wcr version`. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "os/posix/posix.h"

int wcr_posix_dynlib_load(wcr_posix_dynlib *lib)
{
    pthread_once(&lib->once, lib->load);
    return lib->error[0] ? -1 : 0;
}

void wcr_posix_dynlib_open(wcr_posix_dynlib *lib, const char *const *sonames,
                           const wcr_posix_dynsym *syms, size_t nsyms)
{
    void *h = NULL;
    const char *why = "";
    for (size_t i = 0; sonames[i] && !h; i++)
        if (!(h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL)))
            why = dlerror();
    if (!h) {
        snprintf(lib->error, sizeof lib->error, "cannot load %s (%s)", sonames[0], why ? why : "");
        return;
    }
    for (size_t i = 0; i < nsyms; i++) {
        void *p = dlsym(h, syms[i].name);
        if (!p) {
            snprintf(lib->error, sizeof lib->error, "%s has no %s", sonames[0], syms[i].name);
            return; /* the library stays loaded: a process-long cost, once */
        }
        memcpy(syms[i].slot, &p, sizeof p);
    }
}
