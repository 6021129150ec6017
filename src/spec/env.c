/* Environment variables of a spec: merging by name, and env files. */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/utf.h"
#include "spec/spec_internal.h"

static size_t key_len(const char *kv)
{
    const char *eq = strchr(kv, '=');
    return eq ? (size_t)(eq - kv) : strlen(kv);
}

static bool key_eq(const char *a, size_t alen, const char *b, size_t blen, bool nocase)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (nocase) {
            x = (char)(x >= 'a' && x <= 'z' ? x - 32 : x);
            y = (char)(y >= 'a' && y <= 'z' ? y - 32 : y);
        }
        if (x != y)
            return false;
    }
    return true;
}

#define NOT_FOUND ((size_t)-1)

static size_t find_key(const wcr_strv *env, const char *key, size_t klen, bool nocase)
{
    for (size_t i = 0; i < env->n; i++)
        if (key_eq(env->v[i], key_len(env->v[i]), key, klen, nocase))
            return i;
    return NOT_FOUND;
}

bool spec_env_has(const wcr_strv *env, const char *key, bool nocase)
{
    return find_key(env, key, key_len(key), nocase) != NOT_FOUND;
}

int spec_env_apply(wcr_strv *env, const char *kv, bool nocase, wcr_err *err)
{
    size_t klen = key_len(kv);
    size_t at = find_key(env, kv, klen, nocase);
    if (!strchr(kv, '=')) {
        /* Unset: drop it, keeping the others in order (and the NULL). */
        if (at != NOT_FOUND) {
            free(env->v[at]);
            memmove(&env->v[at], &env->v[at + 1], (env->n - at) * sizeof *env->v);
            env->n--;
        }
        return 0;
    }
    if (at == NOT_FOUND)
        return wcr_strv_push(env, kv, err);
    char *copy = wcr_strdup(kv);
    if (!copy)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    free(env->v[at]);
    env->v[at] = copy;
    return 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int wcr_spec_env_file_parse(wcr_strv *out, const char *name, const char *text, size_t len,
                            wcr_err *err)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        lineno++;
        if (stop > p && stop[-1] == '\r')
            stop--;
        if (!wcr_utf8_valid(p, (size_t)(stop - p)))
            return wcr_err_set(err, WCR_E_PARSE, "env file %s: line %zu: invalid UTF-8", name, lineno);
        while (p < stop && is_space(*p))
            p++;
        if (p == stop || *p == '#') {
            p = next;
            continue;
        }
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        const char *kend = eq ? eq : stop;
        if (kend == p)
            return wcr_err_set(err, WCR_E_PARSE, "env file %s: line %zu: no variable name before '='",
                               name, lineno);
        for (const char *k = p; k < kend; k++)
            if (is_space(*k) || *k == '\0')
                return wcr_err_set(err, WCR_E_PARSE,
                                   "env file %s: line %zu: variable name \"%.*s\" contains white space",
                                   name, lineno, (int)(kend - p), p);
        char *entry = wcr_strndup(p, (size_t)(stop - p));
        int rc = entry ? wcr_strv_push(out, entry, err) : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        free(entry);
        if (rc < 0)
            return -1;
        p = next;
    }
    return 0;
}
