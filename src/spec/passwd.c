/* /etc/passwd and /etc/group look-ups, and USER resolution (passwd.h). */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "spec/passwd.h"

#define MAX_ID 2147483647u

typedef struct field {
    const char *p;
    size_t len;
} field;

bool wcr_passwd_parse_id(const char *s, size_t len, uint32_t *out)
{
    if (!s || len == 0 || len > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > MAX_ID)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* The next line of *text split at ':' into up to max fields; returns the
 * number of fields, 0 for a line to skip, -1 at the end. */
static int next_line(const char **text, field *f, int max)
{
    const char *s = *text;
    if (!s || !*s)
        return -1;
    const char *end = strchr(s, '\n');
    const char *next = end ? end + 1 : s + strlen(s);
    if (!end)
        end = next;
    *text = next;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (s == end || *s == '#')
        return 0;
    int n = 0;
    const char *p = s;
    while (n < max) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *stop = colon ? colon : end;
        f[n].p = p;
        f[n].len = (size_t)(stop - p);
        n++;
        if (!colon)
            break;
        p = colon + 1;
    }
    return n;
}

static bool field_is(const field *f, const char *s)
{
    return f->len == strlen(s) && memcmp(f->p, s, f->len) == 0;
}

static bool copy_name(const field *f, char *out)
{
    if (f->len == 0 || f->len > WCR_PASSWD_NAME_MAX)
        return false;
    memcpy(out, f->p, f->len);
    out[f->len] = '\0';
    return true;
}

/* The first passwd entry with that name (name set) or uid. */
static bool passwd_find(const char *text, const char *name, const uint32_t *uid,
                        wcr_passwd_entry *out)
{
    field f[4];
    int n;
    while ((n = next_line(&text, f, 4)) >= 0) {
        uint32_t u, g;
        if (n < 4 || !wcr_passwd_parse_id(f[2].p, f[2].len, &u) ||
            !wcr_passwd_parse_id(f[3].p, f[3].len, &g))
            continue;
        if (name ? !field_is(&f[0], name) : u != *uid)
            continue;
        if (!copy_name(&f[0], out->name))
            continue;
        out->uid = u;
        out->gid = g;
        return true;
    }
    return false;
}

bool wcr_passwd_by_name(const char *passwd, const char *name, wcr_passwd_entry *out)
{
    return name && passwd_find(passwd, name, NULL, out);
}

bool wcr_passwd_by_uid(const char *passwd, uint32_t uid, wcr_passwd_entry *out)
{
    return passwd_find(passwd, NULL, &uid, out);
}

static bool group_find(const char *text, const char *name, const uint32_t *gid, wcr_group_entry *out)
{
    field f[3];
    int n;
    while ((n = next_line(&text, f, 3)) >= 0) {
        uint32_t g;
        if (n < 3 || !wcr_passwd_parse_id(f[2].p, f[2].len, &g))
            continue;
        if (name ? !field_is(&f[0], name) : g != *gid)
            continue;
        if (!copy_name(&f[0], out->name))
            continue;
        out->gid = g;
        return true;
    }
    return false;
}

bool wcr_group_by_name(const char *group, const char *name, wcr_group_entry *out)
{
    return name && group_find(group, name, NULL, out);
}

bool wcr_group_by_gid(const char *group, uint32_t gid, wcr_group_entry *out)
{
    return group_find(group, NULL, &gid, out);
}

static int add_gid(uint32_t **gids, size_t *n, uint32_t gid, wcr_err *err)
{
    for (size_t i = 0; i < *n; i++)
        if ((*gids)[i] == gid)
            return 0;
    uint32_t *v = realloc(*gids, (*n + 1) * sizeof *v);
    if (!v)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    v[(*n)++] = gid;
    *gids = v;
    return 0;
}

/* Whether the comma-separated list holds user. */
static bool list_has(const field *list, const char *user)
{
    size_t ulen = strlen(user);
    const char *p = list->p, *end = list->p + list->len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *a = p, *b = stop;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if ((size_t)(b - a) == ulen && memcmp(a, user, ulen) == 0)
            return true;
        p = comma ? comma + 1 : end;
    }
    return false;
}

int wcr_group_member_gids(const char *group, const char *user, uint32_t **gids, size_t *n,
                          wcr_err *err)
{
    const char *text = group;
    field f[4];
    int nf;
    while (user && user[0] && (nf = next_line(&text, f, 4)) >= 0) {
        uint32_t g;
        if (nf < 4 || !wcr_passwd_parse_id(f[2].p, f[2].len, &g) || !list_has(&f[3], user))
            continue;
        if (add_gid(gids, n, g, err) < 0)
            return -1;
    }
    return 0;
}

void wcr_user_dispose(wcr_user *u)
{
    if (!u)
        return;
    free(u->gids);
    memset(u, 0, sizeof *u);
}

static int need_file(const char *text, const char *what, const char *file, const char *name,
                     wcr_err *err)
{
    if (text)
        return 0;
    return wcr_err_set(err, WCR_E_INVALID,
                       "%s \"%s\": cannot look up a name without the image's %s; give a "
                       "number (UID[:GID])", what, name, file);
}

int wcr_user_resolve(wcr_user *out, const char *user, const char *passwd, const char *group,
                     wcr_err *err)
{
    memset(out, 0, sizeof *out);
    if (!user || !user[0])
        user = "0";
    const char *colon = strchr(user, ':');
    size_t ulen = colon ? (size_t)(colon - user) : strlen(user);
    const char *gpart = colon ? colon + 1 : NULL;
    if (ulen == 0 || (gpart && (!gpart[0] || strchr(gpart, ':'))))
        return wcr_err_set(err, WCR_E_INVALID,
                           "user \"%s\": expected USER, USER:GROUP, UID or UID:GID", user);
    char *uname = wcr_strndup(user, ulen);
    if (!uname)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");

    int rc = 0;
    wcr_passwd_entry pw;
    bool uid_numeric = wcr_passwd_parse_id(uname, ulen, &out->uid);
    bool have_pw = false;
    if (uid_numeric) {
        have_pw = wcr_passwd_by_uid(passwd, out->uid, &pw);
        out->gid = have_pw ? pw.gid : 0;
    } else if ((rc = need_file(passwd, "user", "/etc/passwd", uname, err)) == 0) {
        have_pw = wcr_passwd_by_name(passwd, uname, &pw);
        if (have_pw) {
            out->uid = pw.uid;
            out->gid = pw.gid;
        } else {
            rc = wcr_err_set(err, WCR_E_NOT_FOUND,
                             "user \"%s\": no such user in the image's /etc/passwd", uname);
        }
    }

    if (rc == 0 && gpart) {
        wcr_group_entry gr;
        if (!wcr_passwd_parse_id(gpart, strlen(gpart), &out->gid)) {
            if ((rc = need_file(group, "group", "/etc/group", gpart, err)) == 0) {
                if (wcr_group_by_name(group, gpart, &gr))
                    out->gid = gr.gid;
                else
                    rc = wcr_err_set(err, WCR_E_NOT_FOUND,
                                     "group \"%s\": no such group in the image's /etc/group", gpart);
            }
        }
    }
    if (rc == 0)
        rc = add_gid(&out->gids, &out->n_gids, out->gid, err);
    /* Supplementary groups only when the group was not given. */
    if (rc == 0 && !gpart && have_pw)
        rc = wcr_group_member_gids(group, pw.name, &out->gids, &out->n_gids, err);
    free(uname);
    if (rc < 0)
        wcr_user_dispose(out);
    return rc;
}
