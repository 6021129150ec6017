/* The distribution API client: requests with authentication, redirects,
 * retries and resume (see registry.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/json.h"
#include "core/log.h"
#include "core/str.h"
#include "core/url.h"
#include "image/digest.h"
#include "image/registry.h"
#include "os/os.h"

#define MANIFEST_MAX ((size_t)4 << 20)
#define ERROR_BODY_MAX ((size_t)64 << 10)
#define TOKEN_MAX ((size_t)1 << 20)
#define MAX_REDIRECTS 10
#define RETRY_AFTER_MAX_MS 30000

static const char manifest_accept[] =
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

typedef struct token_entry {
    char *scope;
    char *token;
} token_entry;

struct wcr_registry {
    char *host;          /* as in references */
    char *api_host;      /* where the API is: registry-1.docker.io for docker.io */
    bool insecure;
    bool use_http;       /* https failed and plain http answered */
    wcr_creds creds;
    bool basic;          /* the registry asked for Basic authentication */
    unsigned max_attempts, backoff_ms;
    wcr_os_mutex *mu;
    token_entry *tokens;
    size_t ntokens;
};

struct wcr_reg_conn {
    wcr_registry *r;
    wcr_os_http *http;
    volatile int cancelled;
};

/* One request's settings and what came back. */
typedef struct req {
    const char *method;
    const char *accept;
    const char *scope;        /* token scope for this repository */
    uint64_t range_from;      /* send Range: bytes=N- when use_range */
    bool use_range;
    bool send_auth;           /* false after a redirect to another host */
    /* response */
    int status;
    char *content_type, *location, *www_auth, *retry_after, *content_range;
    wcr_buf err_body;
    /* body of a 2xx: to the sink, or into `into` */
    wcr_blob_sink sink;
    void *ud;
    wcr_buf *into;
    uint64_t skip;            /* bytes to drop: the server ignored our Range */
    uint64_t delivered;       /* bytes handed on so far, over all attempts */
    bool sink_failed;         /* the receiver failed: its error, no retry */
} req;

bool wcr_registry_is_local(const char *host)
{
    size_t n = strcspn(host, ":");
    if (host[0] == '[')
        return wcr_str_starts_with(host, "[::1]");
    if (n == 9 && strncmp(host, "localhost", 9) == 0)
        return true;
    return strncmp(host, "127.", 4) == 0;
}

wcr_registry *wcr_registry_new(const wcr_registry_options *o, wcr_err *err)
{
    wcr_registry *r = calloc(1, sizeof *r);
    if (!r) {
        wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
        return NULL;
    }
    r->host = wcr_strdup(o->host);
    bool hub = strcmp(o->host, "docker.io") == 0 || strcmp(o->host, "index.docker.io") == 0;
    r->api_host = wcr_strdup(hub ? "registry-1.docker.io" : o->host);
    r->insecure = o->insecure || wcr_registry_is_local(o->host);
    r->max_attempts = o->max_attempts ? o->max_attempts : 5;
    r->backoff_ms = o->backoff_ms ? o->backoff_ms : 500;
    r->mu = wcr_os_mutex_new(err);
    if (!r->host || !r->api_host || !r->mu) {
        if (r->mu)
            wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
        wcr_registry_free(r);
        return NULL;
    }
    if (o->creds && o->creds->username) {
        r->creds.username = wcr_strdup(o->creds->username);
        r->creds.password = wcr_strdup(o->creds->password ? o->creds->password : "");
    } else if (wcr_creds_from_docker_config(o->host, o->docker_config, &r->creds, err) < 0) {
        wcr_registry_free(r);
        return NULL;
    }
    return r;
}

void wcr_registry_free(wcr_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntokens; i++) {
        free(r->tokens[i].scope);
        free(r->tokens[i].token);
    }
    free(r->tokens);
    wcr_creds_dispose(&r->creds);
    wcr_os_mutex_free(r->mu);
    free(r->host);
    free(r->api_host);
    free(r);
}

wcr_reg_conn *wcr_reg_conn_new(wcr_registry *r, wcr_err *err)
{
    wcr_reg_conn *c = calloc(1, sizeof *c);
    if (!c) {
        wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
        return NULL;
    }
    c->r = r;
    c->http = wcr_os_http_new(err);
    if (!c->http) {
        free(c);
        return NULL;
    }
    return c;
}

void wcr_reg_conn_free(wcr_reg_conn *c)
{
    if (!c)
        return;
    wcr_os_http_free(c->http);
    free(c);
}

void wcr_reg_conn_cancel(wcr_reg_conn *c)
{
    if (!c)
        return;
    c->cancelled = 1;
    wcr_os_http_cancel(c->http);
}

void wcr_fetched_dispose(wcr_fetched *f)
{
    if (!f)
        return;
    free(f->media_type);
    f->media_type = NULL;
    wcr_buf_dispose(&f->body);
}

/* ---- tokens and the Authorization header ------------------------------- */

static char *cached_token(wcr_registry *r, const char *scope)
{
    char *tok = NULL;
    wcr_os_mutex_lock(r->mu);
    for (size_t i = 0; i < r->ntokens && !tok; i++)
        if (strcmp(r->tokens[i].scope, scope) == 0)
            tok = wcr_strdup(r->tokens[i].token);
    wcr_os_mutex_unlock(r->mu);
    return tok;
}

static void store_token(wcr_registry *r, const char *scope, const char *token)
{
    wcr_os_mutex_lock(r->mu);
    for (size_t i = 0; i < r->ntokens; i++) {
        if (strcmp(r->tokens[i].scope, scope) == 0) {
            char *t = wcr_strdup(token);
            if (t) {
                free(r->tokens[i].token);
                r->tokens[i].token = t;
            }
            wcr_os_mutex_unlock(r->mu);
            return;
        }
    }
    token_entry *grown = realloc(r->tokens, (r->ntokens + 1) * sizeof *grown);
    if (grown) {
        r->tokens = grown;
        grown[r->ntokens].scope = wcr_strdup(scope);
        grown[r->ntokens].token = wcr_strdup(token);
        if (grown[r->ntokens].scope && grown[r->ntokens].token) {
            r->ntokens++;
        } else {
            free(grown[r->ntokens].scope);
            free(grown[r->ntokens].token);
        }
    }
    wcr_os_mutex_unlock(r->mu);
}

/* "Basic base64(user:password)" for the registry's credentials. */
static char *basic_header(const wcr_creds *cr)
{
    wcr_buf plain = WCR_BUF_INIT("credentials", 64 << 10), enc = WCR_BUF_INIT("credentials", 128 << 10);
    wcr_buf_printf(&plain, "%s:%s", cr->username, cr->password ? cr->password : "");
    wcr_buf_puts(&enc, "Basic ");
    wcr_base64_encode(&enc, plain.data, plain.len);
    if (plain.data)
        memset(plain.data, 0, plain.len);
    wcr_buf_dispose(&plain);
    if (enc.failed) {
        wcr_buf_dispose(&enc);
        return NULL;
    }
    return wcr_buf_detach(&enc, NULL);
}

static char *authorization_for(wcr_registry *r, const char *scope)
{
    char *tok = cached_token(r, scope);
    if (tok) {
        char *h = wcr_asprintf("Bearer %s", tok);
        free(tok);
        return h;
    }
    if (r->basic && r->creds.username)
        return basic_header(&r->creds);
    return NULL;
}

/* ---- one HTTP exchange ------------------------------------------------- */

static void req_reset_response(req *q)
{
    q->status = 0;
    free(q->content_type);
    free(q->location);
    free(q->www_auth);
    free(q->retry_after);
    free(q->content_range);
    q->content_type = q->location = q->www_auth = q->retry_after = q->content_range = NULL;
    wcr_buf_reset(&q->err_body);
    q->skip = 0;
}

static void req_dispose(req *q)
{
    req_reset_response(q);
    wcr_buf_dispose(&q->err_body);
}

static bool ok_status(int status)
{
    return status == 200 || status == 206;
}

static int on_response(void *ud, int status, const wcr_http_header *h, size_t n, wcr_err *err)
{
    (void)err;
    req *q = ud;
    q->status = status;
    for (size_t i = 0; i < n; i++) {
        char **slot = wcr_str_caseeq(h[i].name, "content-type")       ? &q->content_type
                      : wcr_str_caseeq(h[i].name, "location")         ? &q->location
                      : wcr_str_caseeq(h[i].name, "www-authenticate") ? &q->www_auth
                      : wcr_str_caseeq(h[i].name, "retry-after")      ? &q->retry_after
                      : wcr_str_caseeq(h[i].name, "content-range")    ? &q->content_range
                                                                      : NULL;
        if (slot && !*slot)
            *slot = wcr_strdup(h[i].value);
    }
    /* A server that ignores Range sends everything again: drop what we have. */
    if (status == 200 && q->use_range)
        q->skip = q->range_from;
    return 0;
}

static int on_body(void *ud, const void *data, size_t len, wcr_err *err)
{
    req *q = ud;
    if (!ok_status(q->status)) {
        /* An error's body explains it; keep the start of it. */
        size_t room = ERROR_BODY_MAX - q->err_body.len;
        wcr_buf_append(&q->err_body, data, len < room ? len : room);
        return 0;
    }
    const char *p = data;
    if (q->skip) {
        size_t drop = q->skip < len ? (size_t)q->skip : len;
        q->skip -= drop;
        p += drop;
        len -= drop;
    }
    if (!len)
        return 0;
    int rc = 0;
    if (q->into)
        rc = wcr_buf_append(q->into, p, len) < 0 ? wcr_buf_check(q->into, err) : 0;
    else if (q->sink)
        rc = q->sink(q->ud, p, len, err);
    if (rc == 0)
        q->delivered += len;
    else
        q->sink_failed = true;
    return rc;
}

static int exchange(wcr_reg_conn *c, const char *url, req *q, wcr_err *err)
{
    wcr_http_header headers[4];
    size_t nh = 0;
    char range[48];
    char *auth = q->send_auth ? authorization_for(c->r, q->scope) : NULL;
    if (q->accept)
        headers[nh++] = (wcr_http_header){ "Accept", q->accept };
    if (q->use_range) {
        snprintf(range, sizeof range, "bytes=%llu-", (unsigned long long)q->range_from);
        headers[nh++] = (wcr_http_header){ "Range", range };
    }
    if (auth)
        headers[nh++] = (wcr_http_header){ "Authorization", auth };
    wcr_http_request hr = { q->method, url, headers, nh, NULL, 0, 0, 0 };
    wcr_http_handler hd = { q, on_response, on_body };
    req_reset_response(q);
    wcr_log_debug("registry: %s %s%s%s", q->method, url, q->use_range ? " " : "", q->use_range ? range : "");
    int rc = wcr_os_http_request(c->http, &hr, &hd, err);
    if (auth) {
        memset(auth, 0, strlen(auth));
        free(auth);
    }
    if (rc == 0)
        wcr_log_debug("registry: -> %d", q->status);
    return rc;
}

/* ---- errors and retries ------------------------------------------------ */

/* The registry's own explanation: {"errors":[{"code":..,"message":..}]}. */
static char *registry_message(const req *q)
{
    wcr_json_doc *doc = NULL;
    if (q->err_body.len == 0 || wcr_json_parse(&doc, q->err_body.data, q->err_body.len, NULL, NULL) < 0)
        return NULL;
    const wcr_json *first = wcr_json_at(wcr_json_get(wcr_json_root(doc), "errors"), 0);
    const char *code = wcr_json_get_string(first, "code"), *msg = wcr_json_get_string(first, "message");
    char *out = NULL;
    if (code && msg)
        out = wcr_asprintf("%s: %s", code, msg);
    else if (msg || code)
        out = wcr_strdup(msg ? msg : code);
    wcr_json_doc_free(doc);
    return out;
}

static int status_error(const req *q, const char *what, wcr_err *err)
{
    char *why = registry_message(q);
    wcr_err_code code = q->status == 404 ? WCR_E_NOT_FOUND
                        : q->status == 401 ? WCR_E_AUTH
                        : q->status == 403 ? WCR_E_PERMISSION
                                           : WCR_E_REMOTE;
    wcr_err_set_cause(err, code, WCR_CAUSE_HTTP, q->status, why, "%s: the registry answered %d", what,
                      q->status);
    free(why);
    if (q->status == 401)
        wcr_err_hint(err, "log in with -u USER:PASSWORD or docker login");
    return -1;
}

static bool retryable_status(int status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/* Cut transfers and timeouts are retried; a refused connection only once
 * (a registry that is down stays down, and the user should hear so soon). */
static bool retryable_error(const wcr_err *e, unsigned attempt)
{
    return e->code == WCR_E_IO || e->code == WCR_E_TIMEOUT ||
           (e->code == WCR_E_UNAVAILABLE && attempt < 2);
}

/* Sleep before attempt `attempt` (1, 2, ...), in steps so a cancel is
 * noticed. Returns -1 when cancelled. */
static int backoff(wcr_reg_conn *c, unsigned attempt, const char *retry_after, wcr_err *err)
{
    uint64_t ms = (uint64_t)c->r->backoff_ms << (attempt > 6 ? 6 : attempt - 1);
    int64_t secs;
    if (retry_after && wcr_str_to_int64(retry_after, 0, RETRY_AFTER_MAX_MS / 1000, &secs) == 0)
        ms = (uint64_t)secs * 1000;
    for (uint64_t slept = 0; slept < ms; slept += 50) {
        if (c->cancelled)
            return wcr_err_set(err, WCR_E_CANCELLED, "cancelled");
        wcr_os_sleep_ms(50);
    }
    return c->cancelled ? wcr_err_set(err, WCR_E_CANCELLED, "cancelled") : 0;
}

/* ---- authentication ------------------------------------------------------ */

typedef struct token_sink {
    wcr_buf body;
} token_sink;

/* Get a bearer token from the realm the challenge names and cache it. */
static int fetch_token(wcr_reg_conn *c, const wcr_challenge *ch, const char *scope, wcr_err *err)
{
    wcr_registry *r = c->r;
    /* With a password: GET with Basic. With an identity (refresh) token:
     * the OAuth2 POST of the distribution token spec, the token in the
     * form body, never in the URL. */
    bool oauth = r->creds.identity_token != NULL;
    wcr_buf url = WCR_BUF_INIT("token URL", 16 << 10), form = WCR_BUF_INIT("token form", 64 << 10);
    wcr_buf_puts(&url, ch->realm);
    wcr_buf *params = oauth ? &form : &url;
    char sep = oauth ? '\0' : strchr(ch->realm, '?') ? '&' : '?';
    if (oauth) {
        wcr_buf_puts(&form, "grant_type=refresh_token&client_id=wcr&refresh_token=");
        wcr_url_encode(&form, r->creds.identity_token);
        sep = '&';
    }
    if (ch->service) {
        wcr_buf_printf(params, "%cservice=", sep);
        wcr_url_encode(params, ch->service);
        sep = '&';
    }
    wcr_buf_printf(params, "%cscope=", sep);
    wcr_url_encode(params, scope);
    if (wcr_buf_check(&url, err) < 0 || wcr_buf_check(&form, err) < 0) {
        wcr_buf_dispose(&url);
        wcr_buf_dispose(&form);
        return -1;
    }
    wcr_buf body = WCR_BUF_INIT("token response", TOKEN_MAX);
    req q = { .method = oauth ? "POST" : "GET", .scope = scope, .into = &body };
    wcr_buf_init(&q.err_body, "error body", ERROR_BODY_MAX);
    char *basic = !oauth && r->creds.username ? basic_header(&r->creds) : NULL;
    wcr_http_header h[1];
    size_t nh = 0;
    if (basic)
        h[nh++] = (wcr_http_header){ "Authorization", basic };
    if (oauth)
        h[nh++] = (wcr_http_header){ "Content-Type", "application/x-www-form-urlencoded" };
    wcr_http_request hr = { q.method, url.data, h, nh, form.data, form.len, 0, 0 };
    wcr_http_handler hd = { &q, on_response, on_body };
    wcr_log_debug("registry: token from %s%s", url.data, oauth ? " (POST, identity token)" : "");
    int rc = wcr_os_http_request(c->http, &hr, &hd, err);
    if (basic) {
        memset(basic, 0, strlen(basic));
        free(basic);
    }
    if (form.data)
        memset(form.data, 0, form.len);
    wcr_buf_dispose(&form);
    if (rc == 0 && !ok_status(q.status)) {
        rc = status_error(&q, "token", err);
        if (q.status == 401 || q.status == 403) {
            err->code = WCR_E_AUTH;
            if (oauth)
                wcr_err_hint(err, "the registry refused the identity token; log in again (az acr login, docker login)");
            else if (r->creds.username)
                wcr_err_hint(err, "the registry refused the credentials of %s", r->creds.username);
        }
    }
    wcr_json_doc *doc = NULL;
    if (rc == 0 && (rc = wcr_json_parse(&doc, body.data, body.len, NULL, err)) == 0) {
        const char *tok = wcr_json_get_string(wcr_json_root(doc), "token");
        if (!tok || !tok[0])
            tok = wcr_json_get_string(wcr_json_root(doc), "access_token");
        if (tok && tok[0])
            store_token(r, scope, tok);
        else
            rc = wcr_err_set(err, WCR_E_AUTH, "the token server's answer has no token");
    }
    wcr_json_doc_free(doc);
    wcr_buf_dispose(&body);
    wcr_buf_dispose(&url);
    req_dispose(&q);
    return rc < 0 ? wcr_err_wrap(err, "authenticate to %s", r->host) : 0;
}

/* React to a 401: true when a retry may now succeed. */
static int authenticate(wcr_reg_conn *c, req *q, wcr_err *err)
{
    if (!q->www_auth)
        return status_error(q, "request", err);
    wcr_challenge ch;
    if (wcr_challenge_parse(q->www_auth, &ch, err) < 0)
        return -1;
    int rc = 0;
    if (ch.scheme == WCR_AUTH_BASIC) {
        if (!c->r->creds.username) {
            rc = wcr_err_set(err, WCR_E_AUTH, "%s requires a user name and password", c->r->host);
            wcr_err_hint(err, "use -u USER:PASSWORD or docker login");
        } else {
            wcr_os_mutex_lock(c->r->mu);
            c->r->basic = true;
            wcr_os_mutex_unlock(c->r->mu);
        }
    } else {
        rc = fetch_token(c, &ch, ch.scope ? ch.scope : q->scope, err);
    }
    wcr_challenge_dispose(&ch);
    return rc;
}

/* ---- a request with everything around it ------------------------------- */

static char *base_url(wcr_registry *r, const char *path)
{
    return wcr_asprintf("%s://%s%s", r->use_http ? "http" : "https", r->api_host, path);
}

/* Perform q against path (or an absolute URL when path starts with a
 * scheme), following redirects, authenticating, retrying. */
static int perform(wcr_reg_conn *c, const char *path, req *q, const char *what, wcr_err *err)
{
    wcr_registry *r = c->r;
    bool absolute = strstr(path, "://") != NULL;
    char *url = absolute ? wcr_strdup(path) : base_url(r, path);
    uint64_t start = q->range_from;
    unsigned attempt = 1, redirects = 0;
    bool authed = false, tried_http = false;
    char *https_failure = NULL; /* why https failed before the http try */
    q->send_auth = !absolute;
    int rc;
    for (;;) {
        if (!url) {
            rc = wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", what);
            break;
        }
        if (c->cancelled) {
            rc = wcr_err_set(err, WCR_E_CANCELLED, "%s: cancelled", what);
            break;
        }
        q->range_from = start + q->delivered;
        if (q->range_from > 0)
            q->use_range = true;
        wcr_err e = WCR_ERR_INIT;
        rc = exchange(c, url, q, &e);
        if (rc < 0) {
            /* TLS to a plain-http registry fails at once: allowed hosts fall back. */
            if (!absolute && r->insecure && !r->use_http && !tried_http && e.code == WCR_E_UNAVAILABLE) {
                tried_http = true;
                wcr_log_debug("registry: %s over https: %s; trying http", what, e.msg ? e.msg : "failed");
                free(https_failure);
                https_failure = wcr_err_format(&e, false);
                wcr_os_mutex_lock(r->mu);
                r->use_http = true;
                wcr_os_mutex_unlock(r->mu);
                free(url);
                url = base_url(r, path);
                wcr_err_dispose(&e);
                continue;
            }
            if (!q->sink_failed && retryable_error(&e, attempt) && attempt < r->max_attempts &&
                !c->cancelled) {
                wcr_log_debug("registry: %s: %s; retrying", what, e.msg ? e.msg : "failed");
                wcr_err_dispose(&e);
                if ((rc = backoff(c, attempt++, NULL, err)) < 0)
                    break;
                continue;
            }
            wcr_err_move(err, &e);
            if (!q->sink_failed) /* the receiver's errors say what they were doing */
                wcr_err_wrap(err, "%s", what);
            /* Both failed: the https reason (a certificate, say) matters too. */
            if (https_failure && tried_http)
                wcr_err_hint(err, "over https first: %s", https_failure);
            break;
        }
        wcr_err_dispose(&e);
        if (ok_status(q->status)) {
            if (q->status == 206 && q->content_range) {
                /* "bytes N-M/T": it must start where we asked. */
                unsigned long long from = 0;
                if (sscanf(q->content_range, "bytes %llu-", &from) != 1 || from != q->range_from) {
                    rc = wcr_err_set(err, WCR_E_PROTO, "%s: the server sent bytes from %s, not %llu",
                                     what, q->content_range, (unsigned long long)q->range_from);
                    break;
                }
            }
            rc = 0;
            break;
        }
        if (q->status == 401 && !authed && q->send_auth) {
            authed = true;
            if ((rc = authenticate(c, q, err)) < 0) {
                wcr_err_wrap(err, "%s", what);
                break;
            }
            continue;
        }
        if (q->status >= 300 && q->status < 400 && q->location) {
            if (++redirects > MAX_REDIRECTS) {
                rc = wcr_err_set(err, WCR_E_PROTO, "%s: more than %d redirects", what, MAX_REDIRECTS);
                break;
            }
            char *next = wcr_url_resolve(url, q->location, err);
            if (!next) {
                rc = wcr_err_wrap(err, "%s: redirect", what);
                break;
            }
            /* Credentials for the registry never go to another host (blob stores). */
            if (!wcr_url_same_origin(url, next))
                q->send_auth = false;
            free(url);
            url = next;
            continue;
        }
        if (retryable_status(q->status) && attempt < r->max_attempts) {
            wcr_log_debug("registry: %s: status %d; retrying", what, q->status);
            if ((rc = backoff(c, attempt++, q->status == 429 ? q->retry_after : NULL, err)) < 0)
                break;
            continue;
        }
        rc = status_error(q, what, err);
        break;
    }
    free(url);
    free(https_failure);
    return rc;
}

static void req_init(req *q, const char *method, const char *accept, char *scope)
{
    memset(q, 0, sizeof *q);
    q->method = method;
    q->accept = accept;
    q->scope = scope;
    wcr_buf_init(&q->err_body, "error body", ERROR_BODY_MAX);
}

static char *pull_scope(const char *repo)
{
    return wcr_asprintf("repository:%s:pull", repo);
}

/* Content-Type without parameters. */
static char *bare_media_type(const char *ct)
{
    if (!ct)
        return NULL;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return wcr_strndup(ct, n);
}

int wcr_registry_get_manifest(wcr_reg_conn *c, const char *repo, const char *ref,
                              const char *expect, wcr_fetched *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    wcr_buf_init(&out->body, "manifest", MANIFEST_MAX);
    char *scope = pull_scope(repo), *path = wcr_asprintf("/v2/%s/manifests/%s", repo, ref);
    char *what = wcr_asprintf("manifest %s%s%s", repo, strchr(ref, ':') ? "@" : ":", ref); /* a digest has a colon, a tag none */
    req q;
    req_init(&q, "GET", manifest_accept, scope);
    q.into = &out->body;
    int rc = scope && path && what ? perform(c, path, &q, what, err)
                                   : wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
    if (rc == 0) {
        out->media_type = bare_media_type(q.content_type);
        rc = wcr_digest_sha256(out->body.data ? out->body.data : "", out->body.len, out->digest, err);
    }
    const char *want = expect ? expect : (strchr(ref, ':') ? ref : NULL);
    if (rc == 0 && want && strcmp(out->digest, want) != 0)
        rc = wcr_err_set(err, WCR_E_DIGEST, "%s: content has digest %s, expected %s", what, out->digest, want);
    if (rc < 0)
        wcr_fetched_dispose(out);
    req_dispose(&q);
    free(scope);
    free(path);
    free(what);
    return rc;
}

int wcr_registry_get_small_blob(wcr_reg_conn *c, const char *repo, const char *digest,
                                size_t limit, wcr_buf *out, wcr_err *err)
{
    wcr_buf_init(out, "blob", limit);
    char *scope = pull_scope(repo), *path = wcr_asprintf("/v2/%s/blobs/%s", repo, digest);
    char *what = wcr_asprintf("blob %s", digest);
    req q;
    req_init(&q, "GET", NULL, scope);
    q.into = out;
    int rc = scope && path && what ? perform(c, path, &q, what, err)
                                   : wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
    if (rc == 0)
        rc = wcr_digest_verify(out->data ? out->data : "", out->len, digest, what, err);
    if (rc < 0)
        wcr_buf_dispose(out);
    req_dispose(&q);
    free(scope);
    free(path);
    free(what);
    return rc;
}

int wcr_registry_get_blob(wcr_reg_conn *c, const char *repo, const char *digest, uint64_t offset,
                          const char *const *urls, size_t nurls, wcr_blob_sink sink, void *ud,
                          wcr_err *err)
{
    char *scope = pull_scope(repo), *what = wcr_asprintf("blob %s", digest);
    req q;
    req_init(&q, "GET", NULL, scope);
    q.sink = sink;
    q.ud = ud;
    q.range_from = offset;
    int rc = -1;
    if (!scope || !what) {
        wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
        goto out;
    }
    /* A foreign layer lives elsewhere (its urls); the registry may have it too. */
    for (size_t i = 0; i < nurls; i++) {
        wcr_err e = WCR_ERR_INIT;
        if (perform(c, urls[i], &q, what, &e) == 0) {
            rc = 0;
            wcr_err_dispose(&e);
            goto out;
        }
        wcr_log_debug("registry: %s from %s: %s", what, urls[i], e.msg ? e.msg : "failed");
        bool cancelled = e.code == WCR_E_CANCELLED;
        if (cancelled || q.delivered) {
            wcr_err_move(err, &e);
            goto out;
        }
        wcr_err_dispose(&e);
    }
    char *path = wcr_asprintf("/v2/%s/blobs/%s", repo, digest);
    rc = path ? perform(c, path, &q, what, err) : wcr_err_set(err, WCR_E_NOMEM, "registry: out of memory");
    free(path);
out:
    req_dispose(&q);
    free(scope);
    free(what);
    return rc;
}
