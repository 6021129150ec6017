/* Users and groups of a Linux image, from the text of its /etc/passwd and
 * /etc/group (the caller reads the files; nothing here touches the disk).
 *
 * The formats are passwd(5) and group(5): one entry a line, fields split by
 * ':', "name:x:uid:gid:..." and "name:x:gid:member,member". Blank lines and
 * lines starting with '#' are skipped, as are malformed ones (a uid that is
 * not a number, too few fields); the first matching entry wins, as libc's
 * getpwnam does.
 *
 * wcr_user_resolve() turns a USER the way Docker and containerd read it
 * (the image's USER or -u) into the process's uid, gid and additional
 * gids:
 *   "uid"          uid; gid from the passwd entry with that uid, else 0
 *   "name"         uid and gid from the passwd entry (an error without one)
 *   "uid:gid"      both as given, no look-up
 *   "name:gid", "uid:group", "name:group"   each name looked up
 * Numbers are decimal in [0, 2^31-1] (runc's limit); anything else is a
 * name. The additional gids start with the primary gid (containerd puts it
 * there); when no group was given they go on with every group whose member
 * list names the user (runc: supplementary groups only in the implicit
 * form). passwd or group may be NULL: the image has no such file, or it
 * was not read; then a name cannot be resolved and the error says so.
 */
#ifndef WCR_SPEC_PASSWD_H
#define WCR_SPEC_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/err.h"

/* Names longer than this are not looked up (Linux allows 32). */
#define WCR_PASSWD_NAME_MAX 255

typedef struct wcr_passwd_entry {
    char name[WCR_PASSWD_NAME_MAX + 1];
    uint32_t uid, gid;
} wcr_passwd_entry;

typedef struct wcr_group_entry {
    char name[WCR_PASSWD_NAME_MAX + 1];
    uint32_t gid;
} wcr_group_entry;

/* The first entry with that name or id; false when there is none (or the
 * text is NULL). */
bool wcr_passwd_by_name(const char *passwd, const char *name, wcr_passwd_entry *out);
bool wcr_passwd_by_uid(const char *passwd, uint32_t uid, wcr_passwd_entry *out);
bool wcr_group_by_name(const char *group, const char *name, wcr_group_entry *out);
bool wcr_group_by_gid(const char *group, uint32_t gid, wcr_group_entry *out);

/* The gids of every group whose member list names `user`, in file order,
 * without repeats, appended to *gids (malloc'd; *n counts them). */
int wcr_group_member_gids(const char *group, const char *user, uint32_t **gids, size_t *n,
                          wcr_err *err);

typedef struct wcr_user {
    uint32_t uid, gid;
    uint32_t *gids; /* additional gids, the primary first */
    size_t n_gids;
} wcr_user;

void wcr_user_dispose(wcr_user *u);

/* Resolve USER (see the top of this file). NULL or "" is root. Errors
 * (WCR_E_NOT_FOUND, WCR_E_INVALID) name the user or group:
 *   user "www": no such user in the image's /etc/passwd */
int wcr_user_resolve(wcr_user *out, const char *user, const char *passwd, const char *group,
                     wcr_err *err);

/* Parse all of s as an id in [0, 2^31-1]; false when it is not one. */
bool wcr_passwd_parse_id(const char *s, size_t len, uint32_t *out);

#endif
