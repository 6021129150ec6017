/* Tests of src/image/reference.c: Docker's reference grammar and
 * normalisation, familiar names, digests. */
#include <stdlib.h>
#include <string.h>

#include "image/reference.h"
#include "test.h"

#define HEX64 "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa"
#define DIGEST "sha256:" HEX64
#define HEX128 HEX64 HEX64

typedef struct valid_case {
    const char *in;
    const char *domain, *path, *tag, *digest; /* tag/digest NULL when absent */
    const char *full;                         /* wcr_ref_string */
    const char *familiar;                     /* wcr_ref_familiar */
} valid_case;

static const valid_case valid[] = {
    { "busybox", "docker.io", "library/busybox", "latest", NULL,
      "docker.io/library/busybox:latest", "busybox:latest" },
    { "busybox:1.36", "docker.io", "library/busybox", "1.36", NULL,
      "docker.io/library/busybox:1.36", "busybox:1.36" },
    { "docker.io/busybox", "docker.io", "library/busybox", "latest", NULL,
      "docker.io/library/busybox:latest", "busybox:latest" },
    { "docker.io/library/busybox", "docker.io", "library/busybox", "latest", NULL,
      "docker.io/library/busybox:latest", "busybox:latest" },
    { "index.docker.io/busybox", "docker.io", "library/busybox", "latest", NULL,
      "docker.io/library/busybox:latest", "busybox:latest" },
    { "index.docker.io/user/app:v2", "docker.io", "user/app", "v2", NULL,
      "docker.io/user/app:v2", "user/app:v2" },
    { "user/app", "docker.io", "user/app", "latest", NULL, "docker.io/user/app:latest",
      "user/app:latest" },
    { "library/a/b", "docker.io", "library/a/b", "latest", NULL,
      "docker.io/library/a/b:latest", "library/a/b:latest" },
    { "mcr.microsoft.com/windows/nanoserver:ltsc2022", "mcr.microsoft.com", "windows/nanoserver",
      "ltsc2022", NULL, "mcr.microsoft.com/windows/nanoserver:ltsc2022",
      "mcr.microsoft.com/windows/nanoserver:ltsc2022" },
    { "mcr.microsoft.com/windows/servercore:10.0.20348.2113-amd64", "mcr.microsoft.com",
      "windows/servercore", "10.0.20348.2113-amd64", NULL,
      "mcr.microsoft.com/windows/servercore:10.0.20348.2113-amd64",
      "mcr.microsoft.com/windows/servercore:10.0.20348.2113-amd64" },
    { "localhost/app", "localhost", "app", "latest", NULL, "localhost/app:latest",
      "localhost/app:latest" },
    { "localhost:5000/app:1", "localhost:5000", "app", "1", NULL, "localhost:5000/app:1",
      "localhost:5000/app:1" },
    { "registry:5000/a/b/c", "registry:5000", "a/b/c", "latest", NULL,
      "registry:5000/a/b/c:latest", "registry:5000/a/b/c:latest" },
    { "127.0.0.1:5000/app", "127.0.0.1:5000", "app", "latest", NULL,
      "127.0.0.1:5000/app:latest", "127.0.0.1:5000/app:latest" },
    { "[::1]:5000/app:tag", "[::1]:5000", "app", "tag", NULL, "[::1]:5000/app:tag",
      "[::1]:5000/app:tag" },
    { "[2001:db8::1]/app", "[2001:db8::1]", "app", "latest", NULL, "[2001:db8::1]/app:latest",
      "[2001:db8::1]/app:latest" },
    { "Example.COM/app", "Example.COM", "app", "latest", NULL, "Example.COM/app:latest",
      "Example.COM/app:latest" },
    /* An upper-case first component can only be a registry (Docker's rule). */
    { "MyRegistry/app", "MyRegistry", "app", "latest", NULL, "MyRegistry/app:latest",
      "MyRegistry/app:latest" },
    { "my-registry.example.com/team_a/app-x.y__z---w", "my-registry.example.com",
      "team_a/app-x.y__z---w", "latest", NULL,
      "my-registry.example.com/team_a/app-x.y__z---w:latest",
      "my-registry.example.com/team_a/app-x.y__z---w:latest" },
    { "busybox@" DIGEST, "docker.io", "library/busybox", NULL, DIGEST,
      "docker.io/library/busybox@" DIGEST, "busybox@" DIGEST },
    { "busybox:1.36@" DIGEST, "docker.io", "library/busybox", "1.36", DIGEST,
      "docker.io/library/busybox:1.36@" DIGEST, "busybox:1.36@" DIGEST },
    { "ghcr.io/o/r@sha512:" HEX128, "ghcr.io", "o/r", NULL, "sha512:" HEX128,
      "ghcr.io/o/r@sha512:" HEX128, "ghcr.io/o/r@sha512:" HEX128 },
    { "a:_", "docker.io", "library/a", "_", NULL, "docker.io/library/a:_", "a:_" },
    { "a:A.b-C_d", "docker.io", "library/a", "A.b-C_d", NULL, "docker.io/library/a:A.b-C_d",
      "a:A.b-C_d" },
    /* A one-word name with a port-like suffix is a name and a tag. */
    { "localhost:5000", "docker.io", "library/localhost", "5000", NULL,
      "docker.io/library/localhost:5000", "localhost:5000" },
    { "docker.io", "docker.io", "library/docker.io", "latest", NULL,
      "docker.io/library/docker.io:latest", "docker.io:latest" },
    { "0/1", "docker.io", "0/1", "latest", NULL, "docker.io/0/1:latest", "0/1:latest" },
    /* The short form keeps docker.io where the first component would
     * otherwise read as a registry. */
    { "docker.io/a.b/c", "docker.io", "a.b/c", "latest", NULL, "docker.io/a.b/c:latest",
      "docker.io/a.b/c:latest" },
    { "docker.io/localhost/c", "docker.io", "localhost/c", "latest", NULL,
      "docker.io/localhost/c:latest", "docker.io/localhost/c:latest" },
    { "docker.io/library/a.b", "docker.io", "library/a.b", "latest", NULL,
      "docker.io/library/a.b:latest", "a.b:latest" },
};

TEST(valid_references_parse_and_normalise)
{
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        const valid_case *c = &valid[i];
        wcr_ref r = WCR_REF_INIT;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_ref_parse(&r, c->in, &err) < 0) {
            test_fail(__FILE__, __LINE__, "%s: %s", c->in, err.msg);
            wcr_err_dispose(&err);
            continue;
        }
        CHECK_STR(r.domain, c->domain);
        CHECK_STR(r.path, c->path);
        if (c->tag)
            CHECK_STR(r.tag, c->tag);
        else
            CHECK(r.tag == NULL);
        if (c->digest)
            CHECK_STR(r.digest, c->digest);
        else
            CHECK(r.digest == NULL);
        char *full = wcr_ref_string(&r), *fam = wcr_ref_familiar(&r);
        CHECK_STR(full, c->full);
        CHECK_STR(fam, c->familiar);
        /* The normalised form is a fixed point. */
        wcr_ref again = WCR_REF_INIT;
        REQUIRE(wcr_ref_parse(&again, full, NULL) == 0);
        char *full2 = wcr_ref_string(&again);
        CHECK_STR(full2, c->full);
        free(full);
        free(fam);
        free(full2);
        wcr_ref_dispose(&again);
        wcr_ref_dispose(&r);
    }
}

typedef struct invalid_case {
    const char *in;
    const char *msg; /* the whole message */
} invalid_case;

static const invalid_case invalid[] = {
    { "", "invalid reference \"\": empty" },
    { "Busybox", "invalid reference \"Busybox\": repository name must be lowercase" },
    { "docker.io/Library/busybox",
      "invalid reference \"docker.io/Library/busybox\": repository name must be lowercase" },
    { "example.com/App", "invalid reference \"example.com/App\": repository name must be lowercase" },
    { "busybox:a:b", "invalid reference \"busybox:a:b\": invalid tag \"a:b\"" },
    { "busybox:", "invalid reference \"busybox:\": invalid tag \"\"" },
    { "busybox:.x", "invalid reference \"busybox:.x\": invalid tag \".x\"" },
    { "busybox:-x", "invalid reference \"busybox:-x\": invalid tag \"-x\"" },
    /* The ':' before the last '/' makes "busybox:a" a registry with a bad port. */
    { "busybox:a/b", "invalid reference \"busybox:a/b\": invalid registry \"busybox:a\"" },
    { "busybox:a b", "invalid reference \"busybox:a b\": invalid tag \"a b\"" },
    { "a:" "0123456789012345678901234567890123456789012345678901234567890123456789"
      "0123456789012345678901234567890123456789012345678901234567890123456789",
      NULL },
    { "busybox@", "invalid reference \"busybox@\": invalid digest \"\": not algorithm:hex" },
    { "busybox@sha256", "invalid reference \"busybox@sha256\": invalid digest \"sha256\": not algorithm:hex" },
    { "busybox@sha256:abc",
      "invalid reference \"busybox@sha256:abc\": invalid digest \"sha256:abc\": sha256 needs 64 "
      "lower-case hex digits" },
    { "busybox@sha256:" "7CC4B5AEFD1D0CADF8D97D4350462BA51C694EBCA145B08D7D41B41ACC8DB5AA", NULL },
    { "busybox@sha512:" HEX64, NULL },
    { "busybox@md5:d41d8cd98f00b204e9800998ecf8427e",
      "invalid reference \"busybox@md5:d41d8cd98f00b204e9800998ecf8427e\": invalid digest "
      "\"md5:d41d8cd98f00b204e9800998ecf8427e\": unsupported algorithm \"md5\" (sha256 and sha512 "
      "are)" },
    { "busybox@" DIGEST "@" DIGEST, NULL },
    { HEX64, "invalid reference \"" HEX64 "\": a 64-digit hex string is an image ID, not a name" },
    { ":tag", "invalid reference \":tag\": no repository name" },
    { "@" DIGEST, "invalid reference \"@" DIGEST "\": no repository name" },
    { "/busybox", "invalid reference \"/busybox\": empty component in the repository name" },
    { "busybox/", "invalid reference \"busybox/\": empty component in the repository name" },
    { "a//b", "invalid reference \"a//b\": empty component in the repository name" },
    { "example.com//b", "invalid reference \"example.com//b\": empty component in the repository name" },
    { "-busybox", "invalid reference \"-busybox\": invalid repository name component \"-busybox\"" },
    { "busybox-", "invalid reference \"busybox-\": invalid repository name component \"busybox-\"" },
    { "a..b", "invalid reference \"a..b\": invalid repository name component \"a..b\"" },
    { "a___b", "invalid reference \"a___b\": invalid repository name component \"a___b\"" },
    { "a._b", "invalid reference \"a._b\": invalid repository name component \"a._b\"" },
    { "a b", "invalid reference \"a b\": invalid repository name component \"a b\"" },
    { "-example.com/app", "invalid reference \"-example.com/app\": invalid registry \"-example.com\"" },
    { "example-.com/app", NULL },
    { "example..com/app", NULL },
    { "example.com:/app", NULL },
    { "example.com:80a/app", NULL },
    { "[::1/app", NULL },
    { "[]/app", NULL },
    { "[::g]:5000/app", NULL },
    { "exa_mple.com/app", "invalid reference \"exa_mple.com/app\": invalid registry \"exa_mple.com\"" },
    { "a\x01" "b", "invalid reference \"a\\x01b\": invalid repository name component \"a\\x01b\"" },
};

TEST(invalid_references_say_what_is_wrong)
{
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        const invalid_case *c = &invalid[i];
        wcr_ref r = WCR_REF_INIT;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_ref_parse(&r, c->in, &err) == 0) {
            test_fail(__FILE__, __LINE__, "accepted: %s", c->in);
            wcr_ref_dispose(&r);
            continue;
        }
        CHECK_INT(err.code, WCR_E_INVALID);
        CHECK(r.domain == NULL && r.path == NULL && r.tag == NULL && r.digest == NULL);
        if (c->msg)
            CHECK_STR(err.msg, c->msg);
        else
            CHECK(err.msg && strncmp(err.msg, "invalid reference \"", 19) == 0);
        wcr_err_dispose(&err);
    }
}

TEST(name_length_is_limited_to_255_after_normalisation)
{
    /* docker.io/library/ is 18 characters: 237 more make 255. */
    char name[300];
    memset(name, 'a', 237);
    name[237] = '\0';
    wcr_ref r = WCR_REF_INIT;
    CHECK_INT(wcr_ref_parse(&r, name, NULL), 0);
    wcr_ref_dispose(&r);
    name[237] = 'a';
    name[238] = '\0';
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_ref_parse(&r, name, &err), -1);
    CHECK(err.msg && strstr(err.msg, "the name is longer than 255 characters"));
    wcr_err_dispose(&err);
}

TEST(tags_may_have_128_characters)
{
    char s[200] = "a:";
    memset(s + 2, 't', 128);
    s[130] = '\0';
    wcr_ref r = WCR_REF_INIT;
    CHECK_INT(wcr_ref_parse(&r, s, NULL), 0);
    CHECK_INT(strlen(r.tag), 128);
    wcr_ref_dispose(&r);
    s[130] = 't';
    s[131] = '\0';
    CHECK_INT(wcr_ref_parse(&r, s, NULL), -1);
}

TEST(messages_quote_long_input_short)
{
    char s[5000];
    memset(s, 'A', sizeof s - 1);
    s[sizeof s - 1] = '\0';
    wcr_err err = WCR_ERR_INIT;
    wcr_ref r = WCR_REF_INIT;
    CHECK_INT(wcr_ref_parse(&r, s, &err), -1);
    REQUIRE(err.msg);
    CHECK(strlen(err.msg) < 400);
    CHECK(strstr(err.msg, "...\"") != NULL);
    wcr_err_dispose(&err);
}

TEST(registry_host_for_docker_hub_is_registry_1)
{
    wcr_ref r = WCR_REF_INIT;
    REQUIRE(wcr_ref_parse(&r, "busybox", NULL) == 0);
    CHECK_STR(wcr_ref_registry_host(&r), "registry-1.docker.io");
    CHECK_STR(wcr_ref_repository(&r), "library/busybox");
    char *name = wcr_ref_name(&r);
    CHECK_STR(name, "docker.io/library/busybox");
    free(name);
    wcr_ref_dispose(&r);
    REQUIRE(wcr_ref_parse(&r, "localhost:5000/team/app:1", NULL) == 0);
    CHECK_STR(wcr_ref_registry_host(&r), "localhost:5000");
    CHECK_STR(wcr_ref_repository(&r), "team/app");
    wcr_ref_dispose(&r);
}

TEST(copy_and_dispose)
{
    wcr_ref r = WCR_REF_INIT, c = WCR_REF_INIT;
    REQUIRE(wcr_ref_parse(&r, "busybox:1@" DIGEST, NULL) == 0);
    REQUIRE(wcr_ref_copy(&c, &r, NULL) == 0);
    CHECK(c.tag != r.tag);
    CHECK_STR(c.tag, "1");
    CHECK_STR(c.digest, DIGEST);
    wcr_ref_dispose(&r);
    wcr_ref_dispose(&c);
    wcr_ref_dispose(&c); /* twice is fine */
    wcr_ref_dispose(NULL);
    CHECK(c.domain == NULL);
}

TEST(digests_are_checked_by_algorithm)
{
    CHECK(wcr_digest_valid(DIGEST));
    CHECK(wcr_digest_valid("sha512:" HEX128));
    CHECK(!wcr_digest_valid(NULL));
    CHECK(!wcr_digest_valid(""));
    CHECK(!wcr_digest_valid("sha256:"));
    CHECK(!wcr_digest_valid(":" HEX64));
    CHECK(!wcr_digest_valid("sha256:" HEX64 "0"));
    CHECK(!wcr_digest_valid("sha256:" HEX64 " "));
    CHECK(!wcr_digest_valid("SHA256:" HEX64));
    CHECK(!wcr_digest_valid("sha512:" HEX64));
    CHECK(!wcr_digest_valid("sha384:" HEX64));
    CHECK(!wcr_digest_valid("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"));
    CHECK_STR(wcr_digest_hex(DIGEST), HEX64);
    CHECK(wcr_digest_hex("sha256:xyz") == NULL);

    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_digest_check("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", &err), -1);
    CHECK_INT(err.code, WCR_E_INVALID);
    CHECK_STR(err.msg, "invalid digest \"sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709\": "
                       "unsupported algorithm \"sha1\" (sha256 and sha512 are)");
    CHECK_INT(wcr_digest_check("sha256:" HEX64 "ab", &err), -1);
    CHECK(strstr(err.msg, "sha256 needs 64 lower-case hex digits") != NULL);
    CHECK_INT(wcr_digest_check("sha512:abc", &err), -1);
    CHECK(strstr(err.msg, "sha512 needs 128 lower-case hex digits") != NULL);
    CHECK_INT(wcr_digest_check("sha256:a/b", &err), -1);
    CHECK(strstr(err.msg, "not algorithm:hex") != NULL);
    wcr_err_dispose(&err);
}

TEST(sha256_sums_format_as_digests)
{
    uint8_t sum[32];
    for (int i = 0; i < 32; i++)
        sum[i] = (uint8_t)(i * 8 + 1);
    char out[WCR_DIGEST_SHA256_LEN + 1];
    wcr_digest_sha256_format(sum, out);
    CHECK_STR(out, "sha256:0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9");
    CHECK(wcr_digest_valid(out));
}

TEST_MAIN()
