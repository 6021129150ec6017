/* WWW-Authenticate challenges and registry credentials. */
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/json.h"
#include "core/str.h"
#include "image/auth.h"
#include "os/os.h"

#define DOCKER_CONFIG_MAX ((size_t)1 << 20)
#define HELPER_OUTPUT_MAX ((size_t)64 << 10)

void wcr_challenge_dispose(wcr_challenge *c)
{
    if (!c)
        return;
    free(c->realm);
    free(c->service);
    free(c->scope);
    memset(c, 0, sizeof *c);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_token_char(char c)
{
    return c && !is_space(c) && c != ',' && c != '=' && c != '"';
}

/* One name=value parameter at *p; the value unquoted into *value. */
static int parse_param(const char **p, char **name, char **value, wcr_err *err)
{
    const char *s = *p, *n0 = s;
    while (is_token_char(*s))
        s++;
    if (s == n0 || *s != '=')
        return wcr_err_set(err, WCR_E_AUTH, "bad WWW-Authenticate parameter near \"%.20s\"", n0);
    *name = wcr_strndup(n0, (size_t)(s - n0));
    s++;
    wcr_buf v = WCR_BUF_INIT("challenge value", 8192);
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            wcr_buf_putc(&v, *s);
        }
        if (*s != '"') {
            free(*name);
            wcr_buf_dispose(&v);
            return wcr_err_set(err, WCR_E_AUTH, "unterminated quoted string in WWW-Authenticate");
        }
        s++;
    } else {
        while (is_token_char(*s))
            wcr_buf_putc(&v, *s++);
    }
    if (wcr_buf_check(&v, err) < 0) {
        free(*name);
        wcr_buf_dispose(&v);
        return -1;
    }
    *value = wcr_buf_detach(&v, NULL);
    *p = s;
    return 0;
}

int wcr_challenge_parse(const char *header, wcr_challenge *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    const char *p = header;
    wcr_challenge basic = { 0 };
    while (*p) {
        while (is_space(*p) || *p == ',')
            p++;
        if (!*p)
            break;
        const char *s0 = p;
        while (is_token_char(*p))
            p++;
        char *scheme = wcr_strndup(s0, (size_t)(p - s0));
        wcr_challenge cur = { 0 };
        if (scheme && wcr_str_caseeq(scheme, "bearer"))
            cur.scheme = WCR_AUTH_BEARER;
        else if (scheme && wcr_str_caseeq(scheme, "basic"))
            cur.scheme = WCR_AUTH_BASIC;
        free(scheme);
        /* Parameters until the next scheme (a token not followed by '='). */
        for (;;) {
            while (is_space(*p) || *p == ',')
                p++;
            const char *look = p;
            while (is_token_char(*look))
                look++;
            if (!*p || *look != '=')
                break;
            char *name = NULL, *value = NULL;
            if (parse_param(&p, &name, &value, err) < 0) {
                wcr_challenge_dispose(&cur);
                wcr_challenge_dispose(&basic);
                return -1;
            }
            char **slot = wcr_str_caseeq(name, "realm")     ? &cur.realm
                          : wcr_str_caseeq(name, "service") ? &cur.service
                          : wcr_str_caseeq(name, "scope")   ? &cur.scope
                                                            : NULL;
            if (slot) {
                free(*slot);
                *slot = value;
            } else {
                free(value);
            }
            free(name);
        }
        if (cur.scheme == WCR_AUTH_BEARER) {
            wcr_challenge_dispose(&basic);
            *out = cur;
            if (!out->realm) {
                wcr_challenge_dispose(out);
                return wcr_err_set(err, WCR_E_AUTH, "Bearer challenge without a realm: \"%s\"", header);
            }
            return 0;
        }
        if (cur.scheme == WCR_AUTH_BASIC && basic.scheme == WCR_AUTH_NONE)
            basic = cur;
        else
            wcr_challenge_dispose(&cur);
    }
    if (basic.scheme == WCR_AUTH_BASIC) {
        *out = basic;
        return 0;
    }
    return wcr_err_set(err, WCR_E_AUTH, "the registry asks for an unsupported authentication: \"%s\"", header);
}

void wcr_creds_dispose(wcr_creds *c)
{
    if (!c)
        return;
    if (c->password)
        memset(c->password, 0, strlen(c->password));
    if (c->identity_token)
        memset(c->identity_token, 0, strlen(c->identity_token));
    free(c->username);
    free(c->password);
    free(c->identity_token);
    c->username = c->password = c->identity_token = NULL;
}

int wcr_creds_parse(const char *user_pass, wcr_creds *out, wcr_err *err)
{
    const char *colon = strchr(user_pass, ':');
    if (!colon || colon == user_pass)
        return wcr_err_set(err, WCR_E_INVALID, "credentials must be USER:PASSWORD");
    out->username = wcr_strndup(user_pass, (size_t)(colon - user_pass));
    out->password = wcr_strdup(colon + 1);
    if (!out->username || !out->password) {
        wcr_creds_dispose(out);
        return wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
    }
    return 0;
}

static char *config_file_path(wcr_err *err)
{
    char *dir = wcr_os_getenv("DOCKER_CONFIG");
    if (dir && dir[0]) {
        char *p = wcr_asprintf("%s%cconfig.json", dir, wcr_os_path_sep());
        free(dir);
        return p;
    }
    free(dir);
    char *home = wcr_os_home_dir(err);
    if (!home)
        return NULL;
    char sep = wcr_os_path_sep();
    char *p = wcr_asprintf("%s%c.docker%cconfig.json", home, sep, sep);
    free(home);
    return p;
}

static bool is_docker_hub(const char *host)
{
    return strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0 ||
           strcmp(host, "registry-1.docker.io") == 0;
}

/* The "auths" entry for host under one of the names Docker files it. */
static const wcr_json *find_entry(const wcr_json *auths, const char *host)
{
    bool hub = is_docker_hub(host);
    const char *const hub_keys[] = { "https://index.docker.io/v1/", "index.docker.io", "docker.io",
                                     "registry-1.docker.io" };
    if (hub) {
        for (size_t i = 0; i < sizeof hub_keys / sizeof hub_keys[0]; i++)
            if (wcr_json_get(auths, hub_keys[i]))
                return wcr_json_get(auths, hub_keys[i]);
    }
    for (const wcr_json *m = wcr_json_first(auths); m; m = wcr_json_next(m)) {
        const char *k = wcr_json_key(m);
        if (wcr_str_starts_with(k, "https://"))
            k += 8;
        else if (wcr_str_starts_with(k, "http://"))
            k += 7;
        size_t n = strcspn(k, "/");
        if (strlen(host) == n && strncmp(k, host, n) == 0)
            return m;
    }
    return NULL;
}

static int entry_creds(const wcr_json *e, wcr_creds *out, wcr_err *err)
{
    const char *identity = wcr_json_get_string(e, "identitytoken");
    if (identity && identity[0]) {
        if (!(out->identity_token = wcr_strdup(identity)))
            return wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
        return 1;
    }
    const char *auth = wcr_json_get_string(e, "auth");
    if (auth && auth[0]) {
        wcr_buf dec = WCR_BUF_INIT("credentials", 64 << 10);
        if (wcr_base64_decode(&dec, auth, strlen(auth), err) < 0) {
            wcr_buf_dispose(&dec);
            return wcr_err_wrap(err, "\"auth\" is not base64 of USER:PASSWORD");
        }
        int rc = wcr_creds_parse(wcr_buf_cstr(&dec), out, err);
        if (dec.data)
            memset(dec.data, 0, dec.len);
        wcr_buf_dispose(&dec);
        return rc < 0 ? wcr_err_wrap(err, "\"auth\"") : 1;
    }
    const char *user = wcr_json_get_string(e, "username"), *pass = wcr_json_get_string(e, "password");
    if (user && pass) {
        out->username = wcr_strdup(user);
        out->password = wcr_strdup(pass);
        if (!out->username || !out->password) {
            wcr_creds_dispose(out);
            return wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
        }
        return 1;
    }
    return 0;
}

/* Ask a credential helper, as Docker does: `docker-credential-NAME get`
 * with the server on stdin, {"Username": ..., "Secret": ...} on stdout.
 * 1 with credentials, 0 when it has none for this server. */
static int helper_creds(const char *name, const char *host, wcr_creds *out, wcr_err *err)
{
    const char *server = is_docker_hub(host) ? "https://index.docker.io/v1/" : host;
    char *prog = wcr_asprintf("docker-credential-%s", name);
    if (!prog)
        return wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
    const char *argv[] = { prog, "get", NULL };
    char *text = NULL;
    size_t len = 0;
    int status = -1;
    int rc = wcr_os_run_capture(argv, server, strlen(server), HELPER_OUTPUT_MAX, &text, &len, &status, err);
    wcr_json_doc *doc = NULL;
    if (rc == 0 && status != 0) {
        /* The helpers' own words for "nothing stored for this server". */
        if (strstr(text, "credentials not found")) {
            rc = 0;
        } else {
            while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
                text[--len] = '\0';
            rc = wcr_err_set(err, WCR_E_AUTH, "%s get %s: exit status %d%s%s", prog, server, status,
                             len ? ": " : "", text);
        }
    } else if (rc == 0 && wcr_json_parse(&doc, text, len, NULL, err) < 0) {
        rc = wcr_err_wrap(err, "%s get %s: its answer", prog, server);
    } else if (rc == 0) {
        const wcr_json *root = wcr_json_root(doc);
        const char *user = wcr_json_get_string(root, "Username"), *secret = wcr_json_get_string(root, "Secret");
        if (!user || !secret || !secret[0]) {
            rc = 0; /* nothing usable stored */
        } else if (strcmp(user, "<token>") == 0) {
            rc = (out->identity_token = wcr_strdup(secret)) ? 1
                                                            : wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
        } else if (!(out->username = wcr_strdup(user)) || !(out->password = wcr_strdup(secret))) {
            wcr_creds_dispose(out);
            rc = wcr_err_set(err, WCR_E_NOMEM, "credentials: out of memory");
        } else {
            rc = 1;
        }
    }
    if (rc < 0 && err && err->code == WCR_E_NOT_FOUND)
        wcr_err_hint(err, "install it, or set DOCKER_CONFIG to a directory whose config.json does not name it, "
                          "or give -u USER:PASSWORD");
    if (text)
        memset(text, 0, len); /* it held a secret */
    free(text);
    wcr_json_doc_free(doc);
    free(prog);
    return rc;
}

int wcr_creds_from_docker_config(const char *host, const char *config_path, wcr_creds *out,
                                 wcr_err *err)
{
    memset(out, 0, sizeof *out);
    char *path = config_path ? wcr_strdup(config_path) : config_file_path(NULL);
    if (!path)
        return 0; /* no home directory: no credentials */
    char *text = NULL;
    size_t len = 0;
    wcr_err rerr = WCR_ERR_INIT;
    if (wcr_os_read_file(path, DOCKER_CONFIG_MAX, &text, &len, &rerr) < 0) {
        int rc = 0;
        if (rerr.code != WCR_E_NOT_FOUND) {
            wcr_err_move(err, &rerr);
            rc = wcr_err_wrap(err, "registry credentials");
        }
        wcr_err_dispose(&rerr);
        free(path);
        return rc;
    }
    wcr_json_doc *doc = NULL;
    int rc = wcr_json_parse(&doc, text, len, NULL, err);
    free(text);
    if (rc == 0) {
        /* Docker's order: a helper for this registry, else the store for
         * all (which then has the last word), else the file's own entry. */
        const wcr_json *root = wcr_json_root(doc);
        const wcr_json *h = find_entry(wcr_json_get(root, "credHelpers"), host);
        const char *helper = h && wcr_json_is_string(h) ? wcr_json_string(h) : NULL;
        if (!helper || !helper[0])
            helper = wcr_json_get_string(root, "credsStore");
        if (helper && helper[0]) {
            rc = helper_creds(helper, host, out, err);
        } else {
            const wcr_json *e = find_entry(wcr_json_get(root, "auths"), host);
            rc = e ? entry_creds(e, out, err) : 0;
        }
    }
    if (rc < 0)
        wcr_err_wrap(err, "registry credentials in %s", path);
    wcr_json_doc_free(doc);
    free(path);
    return rc;
}
