/* Where containerd listens, as users write it and as the OS needs it. */
#ifndef WCR_CONTAINERD_ADDRESS_H
#define WCR_CONTAINERD_ADDRESS_H

#include "wcr/err.h"

/* Turn an address into an OS endpoint path (malloc'd):
 *   NULL or ""                   the OS default (os.h)
 *   unix:///run/x.sock, /run/x   a unix socket path
 *   npipe:////./pipe/NAME, npipe://./pipe/NAME, //./pipe/NAME,
 *   \\.\pipe\NAME                the named pipe \\.\pipe\NAME
 * Other schemes (tcp://, http://) are refused: containerd's API is local. */
char *wcr_ctd_address_resolve(const char *address, wcr_err *err);

#endif
