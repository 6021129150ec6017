/* Proxy environment variables in WinHTTP's terms. */
#include <string.h>

#include "core/proxy.h"
#include <stdbool.h>

/* "http://user@proxy:3128/" -> "proxy:3128": WinHTTP wants host[:port]. */
static void put_server(wcr_buf *out, const char *url)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    const char *at = strchr(s, '@');
    const char *end = s + strcspn(s, "/");
    if (at && at < end)
        s = at + 1;
    wcr_buf_append(out, s, (size_t)(end - s));
}

static void put_bypass(wcr_buf *out, const char *no_proxy)
{
    for (const char *p = no_proxy; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *item = p;
        p += n;
        if (*p == ',')
            p++;
        while (n > 0 && (*item == ' ' || *item == '\t'))
            item++, n--;
        while (n > 0 && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            n--;
        if (n > 0 && item[0] == '.')
            item++, n--; /* ".corp.com": the domain and its subdomains */
        if (n == 0)
            continue;
        if (out->len)
            wcr_buf_putc(out, ';');
        wcr_buf_append(out, item, n);
        if (!(n == 1 && item[0] == '*')) { /* "*" is everything already */
            wcr_buf_puts(out, ";*.");
            wcr_buf_append(out, item, n);
        }
    }
}

int wcr_proxy_for_winhttp(const char *http, const char *https, const char *no_proxy, wcr_buf *proxy,
                          wcr_buf *bypass)
{
    bool have_http = http && http[0], have_https = https && https[0];
    if (!have_http && !have_https)
        return 0;
    if (have_http && have_https && strcmp(http, https) == 0) {
        put_server(proxy, http); /* one server for both: the plain form */
    } else if (have_http) {
        wcr_buf_puts(proxy, "http=");
        put_server(proxy, http);
    }
    if (have_https && !(have_http && strcmp(http, https) == 0)) {
        if (have_http)
            wcr_buf_putc(proxy, ';');
        wcr_buf_puts(proxy, "https=");
        put_server(proxy, https);
    }
    put_bypass(bypass, no_proxy);
    return proxy->failed != WCR_E_OK || bypass->failed != WCR_E_OK ? -1 : 1;
}
