/* Helpers shared by the POSIX implementation of os.h. */
#ifndef WCR_OS_POSIX_H
#define WCR_OS_POSIX_H

#include <pthread.h>
#include <stddef.h>

#include "wcr/err.h"

/* Block the interrupt signals and start the thread that takes them. */
int wcr_os_posix_signals_init(wcr_err *err);

/* write() until all n bytes are out (EINTR retried); -1 with errno. */
int wcr_posix_write_all(int fd, const void *data, size_t n);

/* A shared library opened with dlopen on first use (dynlib.c). */
typedef struct wcr_posix_dynlib {
    pthread_once_t once;
    void (*load)(void);  /* calls wcr_posix_dynlib_open with its table */
    char error[256];     /* empty when loaded */
} wcr_posix_dynlib;

typedef struct wcr_posix_dynsym {
    const char *name;
    void *slot;          /* the address of a function pointer to fill */
} wcr_posix_dynsym;

/* Load lib once (any thread); 0, or -1 with lib->error saying why. */
int wcr_posix_dynlib_load(wcr_posix_dynlib *lib);
/* For lib->load: open the first of sonames (NULL-ended) that loads and
 * fill every symbol's slot, or set lib->error. */
void wcr_posix_dynlib_open(wcr_posix_dynlib *lib, const char *const *sonames,
                           const wcr_posix_dynsym *syms, size_t nsyms);

#endif
