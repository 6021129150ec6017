/* Platforms as OCI names them (os/arch[/variant]), and this build's own. */
#ifndef WCR_CORE_PLATFORM_H
#define WCR_CORE_PLATFORM_H

/* The CPU architecture wcr was built for, in OCI/Go terms: "amd64",
 * "arm64", "386", "arm", or "unknown". */
const char *wcr_platform_arch(void);

#endif
