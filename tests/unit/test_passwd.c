/* Tests of src/spec/passwd.c: /etc/passwd and /etc/group look-ups and the
 * USER forms Docker and containerd accept. */
#include <stdlib.h>
#include <string.h>

#include "spec/passwd.h"
#include "test.h"

static const char passwd[] =
    "# users\n"
    "root:x:0:0:root:/root:/bin/sh\r\n"
    "\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken:x:notanumber:1::/:/bin/false\n"
    "short:x:7\n"
    "wcruser:x:1234:4321:wcr user:/home/wcruser:/bin/sh\n"
    "wcruser:x:999:999:a second entry loses:/:/bin/sh\n"
    "  nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin  \n"
    "big:x:2147483648:1::/:/bin/sh\n"
    "last:x:42:43::/:/bin/sh";

static const char group[] =
    "root:x:0:\n"
    "wheel:x:10:root, wcruser\n"
    "wcrgroup:x:4321:\n"
    "staff:x:50:alice,wcruser\n"
    "# audio:x:29:wcruser\n"
    "bad:x:zz:wcruser\n"
    "wcruser:x:4321:wcruser\n"
    "users:x:100:wcruserx,xwcruser\n";

TEST(passwd_finds_by_name_and_uid)
{
    wcr_passwd_entry e;
    REQUIRE(wcr_passwd_by_name(passwd, "root", &e));
    CHECK_INT(e.uid, 0);
    CHECK_INT(e.gid, 0);
    REQUIRE(wcr_passwd_by_name(passwd, "wcruser", &e));
    CHECK_INT(e.uid, 1234); /* the first entry wins */
    CHECK_INT(e.gid, 4321);
    REQUIRE(wcr_passwd_by_name(passwd, "nobody", &e)); /* white space around the line */
    CHECK_INT(e.uid, 65534);
    REQUIRE(wcr_passwd_by_name(passwd, "last", &e)); /* no newline at the end */
    CHECK_INT(e.gid, 43);
    REQUIRE(wcr_passwd_by_uid(passwd, 1, &e));
    CHECK_STR(e.name, "daemon");
    REQUIRE(wcr_passwd_by_uid(passwd, 999, &e));
    CHECK_STR(e.name, "wcruser");
}

TEST(passwd_skips_comments_and_malformed_lines)
{
    wcr_passwd_entry e;
    CHECK(!wcr_passwd_by_name(passwd, "# users", &e));
    CHECK(!wcr_passwd_by_name(passwd, "broken", &e));
    CHECK(!wcr_passwd_by_name(passwd, "short", &e));
    CHECK(!wcr_passwd_by_name(passwd, "big", &e)); /* uid above 2^31-1 */
    CHECK(!wcr_passwd_by_name(passwd, "wcr", &e)); /* no prefix match */
    CHECK(!wcr_passwd_by_name(NULL, "root", &e));
    CHECK(!wcr_passwd_by_uid("", 0, &e));
}

TEST(group_finds_by_name_and_gid)
{
    wcr_group_entry g;
    REQUIRE(wcr_group_by_name(group, "staff", &g));
    CHECK_INT(g.gid, 50);
    REQUIRE(wcr_group_by_gid(group, 4321, &g));
    CHECK_STR(g.name, "wcrgroup");
    CHECK(!wcr_group_by_name(group, "audio", &g));
    CHECK(!wcr_group_by_name(group, "bad", &g));
}

TEST(group_membership_lists_the_users_groups_in_order)
{
    uint32_t *gids = NULL;
    size_t n = 0;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_group_member_gids(group, "wcruser", &gids, &n, &err) == 0);
    /* wheel (with a space after the comma), staff, wcruser's own group;
     * not the comment, the bad gid, or names that only contain it. */
    REQUIRE(n == 3);
    CHECK_INT(gids[0], 10);
    CHECK_INT(gids[1], 50);
    CHECK_INT(gids[2], 4321);
    free(gids);
}

static void check_user(const char *spec, uint32_t uid, uint32_t gid, const uint32_t *gids, size_t n)
{
    wcr_user u;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_user_resolve(&u, spec, passwd, group, &err) < 0) {
        test_fail(__FILE__, __LINE__, "user \"%s\": %s", spec ? spec : "(null)", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    if (u.uid != uid || u.gid != gid)
        test_fail(__FILE__, __LINE__, "user \"%s\": %u:%u, want %u:%u", spec, u.uid, u.gid, uid, gid);
    if (u.n_gids != n || memcmp(u.gids, gids, n * sizeof *gids) != 0)
        test_fail(__FILE__, __LINE__, "user \"%s\": %zu additional gids, want %zu", spec, u.n_gids, n);
    wcr_user_dispose(&u);
}

TEST(user_forms_resolve_as_docker_does)
{
    /* no USER is root, and root is listed in wheel */
    check_user(NULL, 0, 0, (const uint32_t[]){ 0, 10 }, 2);
    check_user("", 0, 0, (const uint32_t[]){ 0, 10 }, 2);
    check_user("root", 0, 0, (const uint32_t[]){ 0, 10 }, 2);
    check_user("0", 0, 0, (const uint32_t[]){ 0, 10 }, 2);
    /* a name: uid and gid from passwd, supplementary groups from group */
    check_user("wcruser", 1234, 4321, (const uint32_t[]){ 4321, 10, 50 }, 3);
    /* a uid with an entry: its gid and groups; without: gid 0 */
    check_user("1234", 1234, 4321, (const uint32_t[]){ 4321, 10, 50 }, 3);
    check_user("5000", 5000, 0, (const uint32_t[]){ 0 }, 1);
    /* an explicit group: no supplementary groups */
    check_user("wcruser:staff", 1234, 50, (const uint32_t[]){ 50 }, 1);
    check_user("wcruser:77", 1234, 77, (const uint32_t[]){ 77 }, 1);
    check_user("5000:staff", 5000, 50, (const uint32_t[]){ 50 }, 1);
    check_user("5000:6000", 5000, 6000, (const uint32_t[]){ 6000 }, 1);
}

TEST(numeric_users_need_no_files)
{
    wcr_user u;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_user_resolve(&u, "1000:1000", NULL, NULL, &err) == 0);
    CHECK_INT(u.uid, 1000);
    CHECK_INT(u.gid, 1000);
    REQUIRE(u.n_gids == 1);
    wcr_user_dispose(&u);
    REQUIRE(wcr_user_resolve(&u, "33", NULL, NULL, &err) == 0);
    CHECK_INT(u.uid, 33);
    CHECK_INT(u.gid, 0);
    wcr_user_dispose(&u);
    wcr_user_dispose(NULL);
}

static void check_refused(const char *spec, const char *pw, const char *gr, wcr_err_code code,
                          const char *needle)
{
    wcr_user u;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_user_resolve(&u, spec, pw, gr, &err) == 0) {
        test_fail(__FILE__, __LINE__, "user \"%s\" accepted", spec);
        wcr_user_dispose(&u);
        return;
    }
    CHECK(u.gids == NULL);
    if (err.code != code || !err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, __LINE__, "user \"%s\": [%s] %s; want \"%s\"", spec,
                  wcr_err_code_name(err.code), err.msg ? err.msg : "", needle);
    wcr_err_dispose(&err);
}

TEST(unknown_users_and_groups_are_errors_that_say_so)
{
    check_refused("www", passwd, group, WCR_E_NOT_FOUND,
                  "user \"www\": no such user in the image's /etc/passwd");
    check_refused("wcruser:admins", passwd, group, WCR_E_NOT_FOUND,
                  "group \"admins\": no such group in the image's /etc/group");
    check_refused("www", NULL, group, WCR_E_INVALID,
                  "cannot look up a name without the image's /etc/passwd");
    check_refused("0:staff", passwd, NULL, WCR_E_INVALID,
                  "cannot look up a name without the image's /etc/group");
    /* beyond runc's limit a number is a name */
    check_refused("2147483648", passwd, group, WCR_E_NOT_FOUND, "no such user");
}

TEST(malformed_user_strings_are_refused)
{
    static const char *const bad[] = { ":", ":5", "wcruser:", "a:b:c", "0:0:0" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_refused(bad[i], passwd, group, WCR_E_INVALID, "expected USER, USER:GROUP, UID or UID:GID");
}

TEST(ids_parse_within_runcs_range)
{
    uint32_t v = 7;
    CHECK(wcr_passwd_parse_id("0", 1, &v) && v == 0);
    CHECK(wcr_passwd_parse_id("2147483647", 10, &v) && v == 2147483647u);
    CHECK(!wcr_passwd_parse_id("2147483648", 10, &v));
    CHECK(!wcr_passwd_parse_id("-1", 2, &v));
    CHECK(!wcr_passwd_parse_id("", 0, &v));
    CHECK(!wcr_passwd_parse_id("12a", 3, &v));
    CHECK(!wcr_passwd_parse_id("00000000001", 11, &v));
}

TEST_MAIN()
