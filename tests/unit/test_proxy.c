/* Tests of src/core/proxy.c: proxy environment variables in WinHTTP's
 * terms. */
#include <string.h>

#include "core/proxy.h"
#include "test.h"

static void check(const char *http, const char *https, const char *no, int want_rc, const char *want_proxy,
                  const char *want_bypass)
{
    wcr_buf proxy = WCR_BUF_INIT("proxy", 4096), bypass = WCR_BUF_INIT("bypass", 4096);
    CHECK_INT(wcr_proxy_for_winhttp(http, https, no, &proxy, &bypass), want_rc);
    CHECK_STR(wcr_buf_cstr(&proxy), want_proxy);
    CHECK_STR(wcr_buf_cstr(&bypass), want_bypass);
    wcr_buf_dispose(&proxy);
    wcr_buf_dispose(&bypass);
}

TEST(no_proxy_variables_mean_no_named_proxy)
{
    check(NULL, NULL, "corp.com", 0, "", "");
    check("", "", NULL, 0, "", "");
}

TEST(proxy_urls_become_host_and_port_per_scheme)
{
    check("http://proxy:3128", NULL, NULL, 1, "http=proxy:3128", "");
    check(NULL, "https://secure.proxy:8443/", NULL, 1, "https=secure.proxy:8443", "");
    check("proxy:80", "http://user:pw@proxy:3128/path", NULL, 1, "http=proxy:80;https=proxy:3128", "");
    check("http://proxy:3128", "http://proxy:3128", NULL, 1, "proxy:3128", "");
}

TEST(no_proxy_covers_hosts_and_their_subdomains)
{
    check("http://p:1", NULL, "localhost, .corp.com,10.0.0.1,,*", 1, "http=p:1",
          "localhost;*.localhost;corp.com;*.corp.com;10.0.0.1;*.10.0.0.1;*");
}

TEST(a_buffer_failure_is_reported)
{
    wcr_buf proxy = WCR_BUF_INIT("proxy", 4), bypass = WCR_BUF_INIT("bypass", 4096);
    CHECK_INT(wcr_proxy_for_winhttp("http://a-long-proxy-name:3128", NULL, NULL, &proxy, &bypass), -1);
    wcr_buf_dispose(&proxy);
    wcr_buf_dispose(&bypass);
}

TEST_MAIN()
