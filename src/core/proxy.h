/* Proxy settings from the environment, as curl and containerd read them
 * (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), put in the form WinHTTP's named
 * proxy takes. Pure text work, so Linux tests it too. */
#ifndef WCR_CORE_PROXY_H
#define WCR_CORE_PROXY_H

#include "core/buf.h"

/* http and https are proxy URLs ("http://proxy:3128", "proxy:3128"; NULL
 * or empty: none); no_proxy is a comma-separated host list (".corp.com"
 * and "corp.com" cover its subdomains, "*" everything). Writes WinHTTP's
 * proxy list ("proxy:3128" when both are the same, else per scheme:
 * "http=proxy:80;https=proxy:3128") and bypass list ("corp.com;*.corp.com"). Returns 1 when there is a proxy, 0 when there
 * is none (nothing written), -1 when a buffer failed. */
int wcr_proxy_for_winhttp(const char *http, const char *https, const char *no_proxy, wcr_buf *proxy,
                          wcr_buf *bypass);

#endif
