/* Tests of src/spec: the runtime spec from an image config and run flags,
 * Linux and Windows. Every case builds the whole config.json and reads it
 * back with the JSON parser, so what is checked is what runtimes get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "os/os.h"
#include "spec/spec.h"
#include "test.h"

/* ---- helpers --------------------------------------------------------- */

static const char *const path_env[] = { "PATH=/usr/bin:/bin", "FOO=image", "BAR=1" };
static const char *const app_ep[] = { "/bin/app" };
static const char *const app_cmd[] = { "--fg", "--port=80" };

/* A Linux image with ENTRYPOINT, CMD, Env, WorkingDir. */
static wcr_image_config linux_image(void)
{
    wcr_image_config c;
    memset(&c, 0, sizeof c);
    strcpy(c.platform.os, "linux");
    c.env = path_env;
    c.n_env = 3;
    c.entrypoint = app_ep;
    c.n_entrypoint = 1;
    c.cmd = app_cmd;
    c.n_cmd = 2;
    c.working_dir = "/srv";
    return c;
}

static wcr_spec_input linux_input(const wcr_image_config *img)
{
    wcr_spec_input in = WCR_SPEC_INPUT_INIT;
    in.os = WCR_SPEC_LINUX;
    in.image = img;
    return in;
}

/* The host environment "-e K" sees: HOME and Path only. */
static char *fake_getenv(void *ud, const char *name)
{
    (void)ud;
    if (strcmp(name, "HOME") == 0)
        return wcr_strdup("/home/me");
    if (strcmp(name, "Path") == 0)
        return wcr_strdup("C:\\host");
    return NULL;
}

/* Build and parse; NULL (with the failure recorded) when either fails. */
static wcr_json_doc *build(const wcr_spec_input *in, int line)
{
    wcr_buf b = WCR_BUF_INIT("spec", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    wcr_json_doc *doc = NULL;
    if (wcr_spec_build(&b, in, WCR_SPEC_COMPACT, &err) < 0 ||
        wcr_json_parse(&doc, b.data, b.len, NULL, &err) < 0)
        test_fail(__FILE__, line, "build: %s", err.msg);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&b);
    return doc;
}

/* The build fails with code and a message containing needle. */
static void refused(const wcr_spec_input *in, wcr_err_code code, const char *needle, int line)
{
    wcr_buf b = WCR_BUF_INIT("spec", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "kept");
    wcr_err err = WCR_ERR_INIT;
    if (wcr_spec_build(&b, in, WCR_SPEC_COMPACT, &err) == 0)
        test_fail(__FILE__, line, "accepted: %s", wcr_buf_cstr(&b));
    else if (err.code != code || !err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, line, "[%s] %s; want \"%s\"", wcr_err_code_name(err.code),
                  err.msg ? err.msg : "", needle);
    else if (strcmp(wcr_buf_cstr(&b), "kept") != 0)
        test_fail(__FILE__, line, "the buffer changed: %s", wcr_buf_cstr(&b));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&b);
}

/* A value by a dotted path: "process.user.uid", "linux.namespaces". */
static const wcr_json *at(const wcr_json_doc *doc, const char *path)
{
    const wcr_json *v = wcr_json_root(doc);
    char key[64];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        v = wcr_json_get(v, key);
        path += n + (path[n] == '.');
    }
    return v;
}

/* An array of strings joined with '|' ("(absent)" when it is not one). */
static char joined[4096];
static const char *join(const wcr_json *arr)
{
    if (!wcr_json_is_array(arr))
        return "(absent)";
    joined[0] = '\0';
    for (const wcr_json *e = wcr_json_first(arr); e; e = wcr_json_next(e)) {
        if (e != wcr_json_first(arr))
            strcat(joined, "|");
        strncat(joined, wcr_json_string(e) ? wcr_json_string(e) : "(not a string)",
                sizeof joined - strlen(joined) - 2);
    }
    return joined;
}

static const char *str_at(const wcr_json_doc *doc, const char *path)
{
    const char *s = wcr_json_string(at(doc, path));
    return s ? s : "(absent)";
}

static int64_t int_at(const wcr_json_doc *doc, const char *path)
{
    int64_t v = -1;
    wcr_json_int64(at(doc, path), &v);
    return v;
}

#define ARGS(doc) join(at(doc, "process.args"))
#define ENV(doc) join(at(doc, "process.env"))

/* ---- what runs --------------------------------------------------------- */

TEST(image_entrypoint_then_cmd)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "/bin/app|--fg|--port=80");
    CHECK_STR(str_at(doc, "ociVersion"), "1.1.0");
    wcr_json_doc_free(doc);
}

TEST(arguments_replace_cmd_but_keep_the_entrypoint)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    const char *args[] = { "--debug" };
    in.args = args;
    in.n_args = 1;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "/bin/app|--debug");
    wcr_json_doc_free(doc);
}

TEST(entrypoint_flag_replaces_the_entrypoint_and_drops_cmd)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    in.entrypoint_set = true;
    in.entrypoint = "/bin/sh -x"; /* one argument, as Docker takes it */
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "/bin/sh -x");
    wcr_json_doc_free(doc);
    const char *args[] = { "-c", "ls" };
    in.entrypoint = "/bin/sh";
    in.args = args;
    in.n_args = 2;
    doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "/bin/sh|-c|ls");
    wcr_json_doc_free(doc);
}

TEST(empty_entrypoint_clears_entrypoint_and_cmd)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    in.entrypoint_set = true;
    in.entrypoint = "";
    refused(&in, WCR_E_INVALID, "no command specified: --entrypoint replaces", __LINE__);
    const char *args[] = { "ls", "-l" };
    in.args = args;
    in.n_args = 2;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "ls|-l");
    wcr_json_doc_free(doc);
}

TEST(cmd_only_images_run_cmd_or_the_arguments)
{
    wcr_image_config img = linux_image();
    img.n_entrypoint = 0;
    wcr_spec_input in = linux_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "--fg|--port=80");
    wcr_json_doc_free(doc);
    const char *args[] = { "echo", "hi" };
    in.args = args;
    in.n_args = 2;
    doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "echo|hi");
    wcr_json_doc_free(doc);
}

TEST(nothing_to_run_is_an_error)
{
    wcr_image_config img = linux_image();
    img.n_entrypoint = img.n_cmd = 0;
    wcr_spec_input in = linux_input(&img);
    refused(&in, WCR_E_INVALID, "the image has no ENTRYPOINT or CMD", __LINE__);
    in.image = NULL;
    refused(&in, WCR_E_INVALID, "no command specified", __LINE__);
}

/* ---- environment --------------------------------------------------------- */

TEST(env_flags_replace_in_place_add_and_unset)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    const char *env[] = { "FOO=flag", "NEW=1", "BAR", "HOME", "EMPTY=" };
    in.env = env;
    in.n_env = 5;
    in.getenv = fake_getenv;
    wcr_json_doc *doc = build(&in, __LINE__);
    /* BAR is not set here: removed from the image's too (Docker's unset). */
    CHECK_STR(ENV(doc), "PATH=/usr/bin:/bin|FOO=flag|NEW=1|HOME=/home/me|EMPTY=");
    wcr_json_doc_free(doc);
}

TEST(linux_path_default_only_when_the_image_has_none)
{
    wcr_image_config img = linux_image();
    img.env = path_env + 1;
    img.n_env = 2;
    wcr_spec_input in = linux_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), "FOO=image|BAR=1|" WCR_SPEC_LINUX_PATH);
    wcr_json_doc_free(doc);
    const char *args[] = { "true" };
    wcr_spec_input bare = linux_input(NULL);
    bare.args = args;
    bare.n_args = 1;
    doc = build(&bare, __LINE__);
    CHECK_STR(ENV(doc), WCR_SPEC_LINUX_PATH);
    wcr_json_doc_free(doc);
    /* -e PATH wins over the default */
    const char *env[] = { "PATH=/opt" };
    bare.env = env;
    bare.n_env = 1;
    doc = build(&bare, __LINE__);
    CHECK_STR(ENV(doc), "PATH=/opt");
    wcr_json_doc_free(doc);
}

TEST(tty_and_hostname_add_term_and_hostname_unless_the_image_sets_them)
{
    const char *args[] = { "sh" };
    wcr_spec_input in = linux_input(NULL);
    in.args = args;
    in.n_args = 1;
    in.tty = true;
    in.hostname = "box";
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), WCR_SPEC_LINUX_PATH "|HOSTNAME=box|TERM=xterm");
    CHECK(wcr_json_bool(at(doc, "process.terminal")));
    CHECK_STR(str_at(doc, "hostname"), "box");
    wcr_json_doc_free(doc);
    static const char *const img_env[] = { "TERM=vt100" };
    wcr_image_config img = linux_image();
    img.env = img_env;
    img.n_env = 1;
    in.image = &img;
    in.hostname = NULL;
    doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), "TERM=vt100|" WCR_SPEC_LINUX_PATH);
    CHECK(at(doc, "hostname") == NULL);
    wcr_json_doc_free(doc);
}

static char *write_temp(const char *name, const char *text)
{
    wcr_err err = WCR_ERR_INIT;
    char *dir = wcr_os_temp_dir(&err);
    char *path = NULL;
    if (dir) {
        size_t n = strlen(dir) + strlen(name) + 32;
        path = malloc(n);
        if (path)
            snprintf(path, n, "%s%cwcr-test-%s", dir, wcr_os_path_sep(), name);
    }
    if (!path || wcr_os_write_file_atomic(path, text, strlen(text), 0600, &err) < 0) {
        test_fail(__FILE__, __LINE__, "temp file: %s", err.msg ? err.msg : "no memory");
        free(path);
        path = NULL;
    }
    free(dir);
    wcr_err_dispose(&err);
    return path;
}

TEST(env_files_apply_in_order_then_env_flags)
{
    char *f1 = write_temp("env1",
                          "\xEF\xBB\xBF# settings\r\n"
                          "\r\n"
                          "   FOO=file one\r\n"
                          "QUOTED=\"kept as written\"  \n"
                          "HOME\n"
                          "BAR\n"
                          "ONLY=file");
    char *f2 = write_temp("env2", "FOO=file two\n#FOO=comment\nNEW=from file\n");
    REQUIRE(f1 && f2);
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    const char *files[] = { f1, f2 };
    const char *env[] = { "NEW=from flag" };
    in.env_files = files;
    in.n_env_files = 2;
    in.env = env;
    in.n_env = 1;
    in.getenv = fake_getenv;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), "PATH=/usr/bin:/bin|FOO=file two|QUOTED=\"kept as written\"  |HOME=/home/me|"
                        "ONLY=file|NEW=from flag");
    wcr_json_doc_free(doc);
    wcr_os_remove_file(f1, NULL);
    wcr_os_remove_file(f2, NULL);
    free(f1);
    free(f2);
}

TEST(bad_env_files_and_flags_are_refused_with_the_line)
{
    char *bad = write_temp("env3", "A=1\nMY VAR=2\n");
    REQUIRE(bad);
    wcr_spec_input in = linux_input(NULL);
    const char *args[] = { "true" };
    in.args = args;
    in.n_args = 1;
    const char *files[] = { bad };
    in.env_files = files;
    in.n_env_files = 1;
    refused(&in, WCR_E_PARSE, "line 2: variable name \"MY VAR\" contains white space", __LINE__);
    wcr_os_remove_file(bad, NULL);
    free(bad);
    const char *missing[] = { "/nonexistent/wcr-env" };
    in.env_files = missing;
    refused(&in, WCR_E_NOT_FOUND, "--env-file /nonexistent/wcr-env", __LINE__);
    in.n_env_files = 0;
    const char *env[] = { "=x" };
    in.env = env;
    in.n_env = 1;
    refused(&in, WCR_E_INVALID, "-e \"=x\": no variable name", __LINE__);
}

TEST(env_file_parse_reports_problems)
{
    wcr_strv out = { 0 };
    wcr_err err = WCR_ERR_INIT;
    CHECK(wcr_spec_env_file_parse(&out, "f", "=v\n", 3, &err) < 0);
    CHECK(err.msg && strstr(err.msg, "env file f: line 1: no variable name"));
    wcr_err_dispose(&err);
    CHECK(wcr_spec_env_file_parse(&out, "f", "A=1\nB=\xff\n", 8, &err) < 0);
    CHECK(err.msg && strstr(err.msg, "line 2: invalid UTF-8"));
    wcr_err_dispose(&err);
    wcr_strv_dispose(&out);
    REQUIRE(wcr_spec_env_file_parse(&out, "f", "\t X=a=b\n# c\nY\n", 14, &err) == 0);
    REQUIRE(out.n == 2);
    CHECK_STR(out.v[0], "X=a=b");
    CHECK_STR(out.v[1], "Y");
    wcr_strv_dispose(&out);
}

/* ---- working directory and user ------------------------------------------- */

TEST(cwd_is_the_flag_then_the_image_then_root)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.cwd"), "/srv");
    wcr_json_doc_free(doc);
    in.workdir = "/tmp";
    doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.cwd"), "/tmp");
    wcr_json_doc_free(doc);
    in.workdir = NULL;
    img.working_dir = "";
    doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.cwd"), "/");
    wcr_json_doc_free(doc);
    in.workdir = "tmp";
    refused(&in, WCR_E_INVALID, "-w tmp: the working directory must be an absolute path", __LINE__);
}

static const char passwd[] = "root:x:0:0::/root:/bin/sh\nwww:x:33:33::/var/www:/bin/false\n";
static const char group[] = "root:x:0:\nwww:x:33:\nlog:x:4:www\n";

TEST(linux_user_comes_from_the_flag_or_the_image_through_passwd)
{
    wcr_image_config img = linux_image();
    img.user = "www";
    wcr_spec_input in = linux_input(&img);
    in.passwd = passwd;
    in.group = group;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_INT(int_at(doc, "process.user.uid"), 33);
    CHECK_INT(int_at(doc, "process.user.gid"), 33);
    const wcr_json *gids = at(doc, "process.user.additionalGids");
    REQUIRE(wcr_json_len(gids) == 2);
    int64_t g = 0;
    CHECK(wcr_json_int64(wcr_json_at(gids, 1), &g) == 0 && g == 4);
    CHECK(at(doc, "process.user.username") == NULL);
    wcr_json_doc_free(doc);
    in.user = "1000:1000";
    doc = build(&in, __LINE__);
    CHECK_INT(int_at(doc, "process.user.uid"), 1000);
    CHECK_INT(int_at(doc, "process.user.gid"), 1000);
    wcr_json_doc_free(doc);
    /* a name with no /etc/passwd to look in */
    in.user = NULL;
    in.passwd = NULL;
    refused(&in, WCR_E_INVALID, "the image's USER: user \"www\": cannot look up a name without the "
                                "image's /etc/passwd", __LINE__);
    in.user = "nobody";
    in.passwd = passwd;
    refused(&in, WCR_E_NOT_FOUND, "-u: user \"nobody\": no such user", __LINE__);
}

/* ---- Linux: containerd's default spec ------------------------------------------ */

static bool has_mount(const wcr_json_doc *doc, const char *dst, const char *type, const char *src,
                      const char *opts)
{
    for (const wcr_json *m = wcr_json_first(at(doc, "mounts")); m; m = wcr_json_next(m)) {
        const char *d = wcr_json_get_string(m, "destination");
        if (!d || strcmp(d, dst) != 0)
            continue;
        const char *t = wcr_json_get_string(m, "type"), *s = wcr_json_get_string(m, "source");
        return (type ? t && strcmp(t, type) == 0 : t == NULL) && s && strcmp(s, src) == 0 &&
               strcmp(join(wcr_json_get(m, "options")), opts) == 0;
    }
    return false;
}

static const char *namespaces(const wcr_json_doc *doc)
{
    static char out[256];
    out[0] = '\0';
    for (const wcr_json *n = wcr_json_first(at(doc, "linux.namespaces")); n; n = wcr_json_next(n)) {
        strcat(out, out[0] ? "|" : "");
        strncat(out, wcr_json_get_string(n, "type"), 32);
        if (wcr_json_get_string(n, "path")) {
            strcat(out, "=");
            strncat(out, wcr_json_get_string(n, "path"), 64);
        }
    }
    return out;
}

TEST(linux_spec_is_containerds_default)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    in.ns = "default";
    in.id = "c1";
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(namespaces(doc), "pid|ipc|uts|mount|network");
    CHECK_STR(str_at(doc, "root.path"), "rootfs");
    CHECK_STR(str_at(doc, "linux.cgroupsPath"), "/default/c1");
    CHECK(wcr_json_bool(at(doc, "process.noNewPrivileges")));
    CHECK(!wcr_json_bool(at(doc, "process.terminal")));
    CHECK_INT(wcr_json_len(at(doc, "process.capabilities.bounding")), 14);
    CHECK_STR(join(at(doc, "process.capabilities.effective")),
              join(at(doc, "process.capabilities.permitted")));
    CHECK(strstr(join(at(doc, "process.capabilities.bounding")), "CAP_NET_BIND_SERVICE|CAP_SYS_CHROOT"));
    const wcr_json *rl = wcr_json_at(at(doc, "process.rlimits"), 0);
    CHECK_STR(wcr_json_get_string(rl, "type"), "RLIMIT_NOFILE");
    int64_t hard = 0;
    CHECK(wcr_json_int64(wcr_json_get(rl, "hard"), &hard) == 0 && hard == 1024);
    CHECK(has_mount(doc, "/proc", "proc", "proc", "nosuid|noexec|nodev"));
    CHECK(has_mount(doc, "/dev/pts", "devpts", "devpts",
                    "nosuid|noexec|newinstance|ptmxmode=0666|mode=0620|gid=5"));
    CHECK(has_mount(doc, "/dev/shm", "tmpfs", "shm", "nosuid|noexec|nodev|mode=1777|size=65536k"));
    CHECK(has_mount(doc, "/sys", "sysfs", "sysfs", "nosuid|noexec|nodev|ro"));
    CHECK_INT(wcr_json_len(at(doc, "mounts")), 7);
    CHECK(strstr(join(at(doc, "linux.maskedPaths")), "/proc/kcore|/proc/keys"));
    CHECK_STR(join(at(doc, "linux.readonlyPaths")), "/proc/bus|/proc/fs|/proc/irq|/proc/sys|/proc/sysrq-trigger");
    const wcr_json *dev = at(doc, "linux.resources.devices");
    CHECK_INT(wcr_json_len(dev), 10);
    CHECK(!wcr_json_bool(wcr_json_get(wcr_json_at(dev, 0), "allow")));
    CHECK_STR(wcr_json_get_string(wcr_json_at(dev, 0), "access"), "rwm");
    CHECK(at(doc, "windows") == NULL);
    wcr_json_doc_free(doc);
    /* no container id: no cgroupsPath (runc picks one) */
    in.id = NULL;
    doc = build(&in, __LINE__);
    CHECK(at(doc, "linux.cgroupsPath") == NULL);
    wcr_json_doc_free(doc);
}

TEST(net_host_shares_the_hosts_network_and_name_resolution)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    in.net = WCR_SPEC_NET_HOST;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(namespaces(doc), "pid|ipc|uts|mount");
    CHECK(has_mount(doc, "/etc/resolv.conf", "bind", "/etc/resolv.conf", "rbind|ro"));
    CHECK(has_mount(doc, "/etc/hosts", "bind", "/etc/hosts", "rbind|ro"));
    wcr_json_doc_free(doc);
    in.net = WCR_SPEC_NET_NONE;
    doc = build(&in, __LINE__);
    CHECK_STR(namespaces(doc), "pid|ipc|uts|mount|network");
    CHECK(!has_mount(doc, "/etc/hosts", "bind", "/etc/hosts", "rbind|ro"));
    wcr_json_doc_free(doc);
    in.net = WCR_SPEC_NET_DEFAULT;
    in.linux_netns_path = "/var/run/netns/wcr-1";
    doc = build(&in, __LINE__);
    CHECK_STR(namespaces(doc), "pid|ipc|uts|mount|network=/var/run/netns/wcr-1");
    wcr_json_doc_free(doc);
    in.net = WCR_SPEC_NET_HOST;
    refused(&in, WCR_E_INVALID, "--net host and a network namespace path", __LINE__);
}

static wcr_spec_bind mkbind(const char *src, const char *dst, bool ro)
{
    wcr_spec_bind b = { (char *)src, (char *)dst, ro };
    return b;
}

TEST(linux_binds_are_rbind_mounts_and_replace_a_default_one)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    wcr_spec_bind binds[] = { mkbind("/srv/data", "/data", true), mkbind("/dev/shm", "/dev/shm", false) };
    in.binds = binds;
    in.n_binds = 2;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK(has_mount(doc, "/data", "bind", "/srv/data", "rbind|ro"));
    CHECK(has_mount(doc, "/dev/shm", "bind", "/dev/shm", "rbind|rw"));
    CHECK_INT(wcr_json_len(at(doc, "mounts")), 8); /* 7 defaults - /dev/shm + 2 */
    wcr_json_doc_free(doc);
    binds[0] = mkbind("data", "/data", false);
    refused(&in, WCR_E_INVALID, "bind data:/data: the source must be an absolute path", __LINE__);
    binds[0] = mkbind("D:\\cache", "C:\\cache", false);
    refused(&in, WCR_E_INVALID, "the source must be an absolute path", __LINE__);
    binds[0] = mkbind("/a", "/", false);
    refused(&in, WCR_E_INVALID, "the destination must be an absolute path other than /", __LINE__);
}

TEST(linux_refuses_hyperv_and_snapshot_mounts)
{
    wcr_image_config img = linux_image();
    wcr_spec_input in = linux_input(&img);
    in.isolation = WCR_ISOLATION_HYPERV;
    refused(&in, WCR_E_INVALID, "--isolation hyperv is for Windows containers", __LINE__);
    in.isolation = WCR_ISOLATION_PROCESS;
    wcr_mounts m = { 0 };
    in.rootfs_mounts = &m;
    refused(&in, WCR_E_INVALID, "a Linux spec's root is a directory", __LINE__);
    in.rootfs_mounts = NULL;
    in.rootfs_path = "/var/lib/wcr/c1/rootfs";
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "root.path"), "/var/lib/wcr/c1/rootfs");
    wcr_json_doc_free(doc);
}

/* ---- Windows ------------------------------------------------------------------- */

static const char *const win_cmd[] = { "c:\\windows\\system32\\cmd.exe" };
static const char *const win_env[] = { "Path=C:\\Windows\\system32;C:\\Windows" };

static wcr_image_config windows_image(void)
{
    wcr_image_config c;
    memset(&c, 0, sizeof c);
    strcpy(c.platform.os, "windows");
    c.cmd = win_cmd;
    c.n_cmd = 1;
    c.env = win_env;
    c.n_env = 1;
    return c;
}

static wcr_spec_input windows_input(const wcr_image_config *img)
{
    wcr_spec_input in = WCR_SPEC_INPUT_INIT;
    in.os = WCR_SPEC_WINDOWS;
    in.image = img;
    return in;
}

TEST(windows_spec_has_what_ctr_gives_and_no_layer_folders_for_run)
{
    wcr_image_config img = windows_image();
    wcr_spec_input in = windows_input(&img);
    in.ns = "default";
    in.id = "w1";
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "c:\\windows\\system32\\cmd.exe");
    CHECK_STR(str_at(doc, "process.user.username"), "ContainerUser");
    CHECK(at(doc, "process.user.uid") == NULL);
    CHECK_STR(str_at(doc, "process.cwd"), "C:\\");
    CHECK_STR(ENV(doc), "Path=C:\\Windows\\system32;C:\\Windows"); /* no Linux PATH */
    CHECK_STR(str_at(doc, "root.path"), "");
    CHECK(wcr_json_bool(at(doc, "windows.ignoreFlushesDuringBoot")));
    CHECK(wcr_json_bool(at(doc, "windows.network.allowUnqualifiedDNSQuery")));
    CHECK(at(doc, "windows.network.networkNamespace") == NULL);
    CHECK(at(doc, "windows.layerFolders") == NULL);
    CHECK(at(doc, "windows.hyperv") == NULL);
    CHECK(at(doc, "linux") == NULL && at(doc, "mounts") == NULL);
    CHECK(at(doc, "process.capabilities") == NULL);
    wcr_json_doc_free(doc);
}

TEST(windows_user_is_the_flag_then_the_image_then_container_user)
{
    wcr_image_config img = windows_image();
    img.user = "ContainerAdministrator";
    wcr_spec_input in = windows_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.user.username"), "ContainerAdministrator");
    wcr_json_doc_free(doc);
    in.user = "NT AUTHORITY\\NETWORK SERVICE"; /* as given, no look-up */
    doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.user.username"), "NT AUTHORITY\\NETWORK SERVICE");
    wcr_json_doc_free(doc);
}

TEST(windows_cwd_defaults_to_c_and_takes_drive_paths)
{
    wcr_image_config img = windows_image();
    img.working_dir = "C:\\app";
    wcr_spec_input in = windows_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.cwd"), "C:\\app");
    wcr_json_doc_free(doc);
    in.workdir = "D:\\work";
    doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.cwd"), "D:\\work");
    wcr_json_doc_free(doc);
    in.workdir = "work";
    refused(&in, WCR_E_INVALID, "must be an absolute path", __LINE__);
}

TEST(windows_env_names_match_without_case)
{
    wcr_image_config img = windows_image();
    wcr_spec_input in = windows_input(&img);
    const char *env[] = { "PATH=C:\\tools", "path", "Path", "X=1" };
    in.env = env;
    in.n_env = 2;
    in.getenv = fake_getenv;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), ""); /* replaced, then unset: nothing set here */
    wcr_json_doc_free(doc);
    in.env = env + 2;
    doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), "Path=C:\\host|X=1");
    wcr_json_doc_free(doc);
    in.env = env;
    in.n_env = 1;
    in.tty = true;
    doc = build(&in, __LINE__);
    CHECK_STR(ENV(doc), "PATH=C:\\tools"); /* no TERM on Windows */
    CHECK(wcr_json_bool(at(doc, "process.terminal")));
    wcr_json_doc_free(doc);
}

TEST(args_escaped_images_get_a_command_line_as_containerd_gives)
{
    static const char *const escaped_cmd[] = { "cmd /S /C echo \"hello world\"" };
    wcr_image_config img = windows_image();
    img.cmd = escaped_cmd;
    img.args_escaped = true;
    wcr_spec_input in = windows_input(&img);
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.commandLine"), "cmd /S /C echo \"hello world\"");
    CHECK(at(doc, "process.args") == NULL);
    wcr_json_doc_free(doc);
    /* arguments replace an escaped CMD: plain args */
    const char *args[] = { "ping", "-n", "1", "a b" };
    in.args = args;
    in.n_args = 4;
    doc = build(&in, __LINE__);
    CHECK(at(doc, "process.commandLine") == NULL);
    CHECK_STR(ARGS(doc), "ping|-n|1|a b");
    wcr_json_doc_free(doc);
    /* an escaped ENTRYPOINT keeps its line; the arguments are quoted after it */
    static const char *const escaped_ep[] = { "C:\\app\\run.exe --mode \"fast\"" };
    img.entrypoint = escaped_ep;
    img.n_entrypoint = 1;
    doc = build(&in, __LINE__);
    CHECK_STR(str_at(doc, "process.commandLine"), "C:\\app\\run.exe --mode \"fast\" ping -n 1 \"a b\"");
    wcr_json_doc_free(doc);
    /* --entrypoint: nothing of the image's is used, so nothing is escaped */
    in.entrypoint_set = true;
    in.entrypoint = "powershell";
    in.n_args = 0;
    doc = build(&in, __LINE__);
    CHECK_STR(ARGS(doc), "powershell");
    CHECK(at(doc, "process.commandLine") == NULL);
    wcr_json_doc_free(doc);
    /* Linux ignores ArgsEscaped */
    wcr_spec_input lin = linux_input(&img);
    lin.n_args = 0;
    doc = build(&lin, __LINE__);
    CHECK_STR(ARGS(doc), "C:\\app\\run.exe --mode \"fast\"|cmd /S /C echo \"hello world\"");
    wcr_json_doc_free(doc);
}

TEST(windows_hyperv_network_namespace_and_mounts)
{
    wcr_image_config img = windows_image();
    wcr_spec_input in = windows_input(&img);
    in.isolation = WCR_ISOLATION_HYPERV;
    in.windows_netns = "5f7d467c-3011-48bc-9337-ce78cf399345";
    in.hostname = "builder";
    wcr_spec_bind binds[] = { mkbind("D:\\cache", "C:\\cache", false), mkbind("C:\\data", "C:\\data", true),
                              mkbind("\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false) };
    in.binds = binds;
    in.n_binds = 3;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK(wcr_json_is_object(at(doc, "windows.hyperv")));
    CHECK_INT(wcr_json_len(at(doc, "windows.hyperv")), 0);
    CHECK_STR(str_at(doc, "windows.network.networkNamespace"), "5f7d467c-3011-48bc-9337-ce78cf399345");
    CHECK_STR(str_at(doc, "hostname"), "builder");
    CHECK(has_mount(doc, "C:\\cache", NULL, "D:\\cache", "rw"));
    CHECK(has_mount(doc, "C:\\data", NULL, "C:\\data", "ro"));
    CHECK(has_mount(doc, "\\\\.\\pipe\\docker_engine", NULL, "\\\\.\\pipe\\docker_engine", "rw"));
    CHECK(!strstr(ENV(doc), "HOSTNAME"));
    wcr_json_doc_free(doc);
}

TEST(windows_refuses_host_networking_and_linux_paths)
{
    wcr_image_config img = windows_image();
    wcr_spec_input in = windows_input(&img);
    in.net = WCR_SPEC_NET_HOST;
    refused(&in, WCR_E_UNSUPPORTED, "cannot use host mode networking with Windows containers", __LINE__);
    in.net = WCR_SPEC_NET_NONE;
    wcr_spec_bind binds[] = { mkbind("/srv", "/srv", false) };
    in.binds = binds;
    in.n_binds = 1;
    refused(&in, WCR_E_INVALID, "must be an absolute Windows path (D:\\dir)", __LINE__);
    binds[0] = mkbind("D:\\x", "C:\\", false);
    refused(&in, WCR_E_INVALID, "cannot be a drive's root", __LINE__);
    binds[0] = mkbind("\\\\.\\pipe\\p", "C:\\p", false);
    refused(&in, WCR_E_INVALID, "a named pipe maps only to a named pipe", __LINE__);
}

#define SNAPS "C:\\ProgramData\\containerd\\root\\io.containerd.snapshotter.v1.windows\\snapshots\\"

TEST(windows_layer_folders_come_from_the_snapshot_mounts)
{
    static const char *const opts[] = { "rw", "parentLayerPaths=[\"" "C:\\\\ProgramData\\\\containerd\\\\root"
                                              "\\\\io.containerd.snapshotter.v1.windows\\\\snapshots\\\\24\",\""
                                              "C:\\\\ProgramData\\\\containerd\\\\root\\\\io.containerd."
                                              "snapshotter.v1.windows\\\\snapshots\\\\23\"]" };
    wcr_mounts m = { 0 };
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_mounts_push(&m, "windows-layer", SNAPS "25", "", opts, 2, &err) == 0);
    wcr_image_config img = windows_image();
    wcr_spec_input in = windows_input(&img);
    in.rootfs_mounts = &m;
    wcr_json_doc *doc = build(&in, __LINE__);
    CHECK_STR(join(at(doc, "windows.layerFolders")), SNAPS "24|" SNAPS "23|" SNAPS "25");
    wcr_json_doc_free(doc);
    wcr_mounts_dispose(&m);
    REQUIRE(wcr_mounts_push(&m, "windows-layer", SNAPS "14", "", opts, 1, &err) == 0);
    refused(&in, WCR_E_INVALID, "windows spec: layerFolders: needs at least two entries", __LINE__);
    wcr_mounts_dispose(&m);
}

/* ---- -v and --mount ---------------------------------------------------------- */

static void check_volume(const char *text, const char *src, const char *dst, bool ro)
{
    wcr_spec_bind b;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_spec_parse_volume(text, &b, &err) < 0) {
        test_fail(__FILE__, __LINE__, "-v %s: %s", text, err.msg);
        wcr_err_dispose(&err);
        return;
    }
    if (strcmp(b.source, src) != 0 || strcmp(b.destination, dst) != 0 || b.readonly != ro)
        test_fail(__FILE__, __LINE__, "-v %s: %s -> %s %s", text, b.source, b.destination,
                  b.readonly ? "ro" : "rw");
    wcr_spec_bind_dispose(&b);
}

TEST(volumes_split_around_drive_letters)
{
    check_volume("D:\\cache:C:\\cache", "D:\\cache", "C:\\cache", false);
    check_volume("C:\\data:C:\\data:ro", "C:\\data", "C:\\data", true);
    check_volume("c:/src:c:/dst:rw", "c:/src", "c:/dst", false);
    check_volume("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine",
                 "\\\\.\\pipe\\docker_engine", false);
    check_volume("/srv/data:/data", "/srv/data", "/data", false);
    check_volume("/srv/data:/data:ro", "/srv/data", "/data", true);
    check_volume("/etc/C:/x", "/etc/C", "/x", false);
}

static void check_bind_refused(bool mount, const char *text, const char *needle)
{
    wcr_spec_bind b;
    wcr_err err = WCR_ERR_INIT;
    int rc = mount ? wcr_spec_parse_mount(text, &b, &err) : wcr_spec_parse_volume(text, &b, &err);
    if (rc == 0) {
        test_fail(__FILE__, __LINE__, "accepted: %s", text);
        wcr_spec_bind_dispose(&b);
        return;
    }
    CHECK(b.source == NULL && b.destination == NULL);
    if (!err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, __LINE__, "%s: \"%s\"; want \"%s\"", text, err.msg ? err.msg : "", needle);
    wcr_err_dispose(&err);
}

TEST(volumes_that_are_not_binds_are_refused)
{
    check_bind_refused(false, "/data", "expected SOURCE:DESTINATION[:ro|rw]");
    check_bind_refused(false, "cache:/cache", "\"cache\" is not a host path; wcr has no named volumes");
    check_bind_refused(false, "/a:/b:z", "unknown mode \"z\"");
    check_bind_refused(false, "/a:/b:ro:x", "expected SOURCE:DESTINATION");
    check_bind_refused(false, ":/b", "empty source");
    check_bind_refused(false, "/a:", "empty destination");
}

TEST(mount_flags_take_dockers_keys)
{
    static const struct {
        const char *text, *src, *dst;
        bool ro;
    } ok[] = {
        { "type=bind,src=/a,dst=/b", "/a", "/b", false },
        { "type=bind,source=D:\\cache,target=C:\\cache,readonly", "D:\\cache", "C:\\cache", true },
        { "destination=/b,type=bind,source=/a,ro=true", "/a", "/b", true },
        { "type=bind,src=/a,dst=/b,readonly=0", "/a", "/b", false },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        wcr_spec_bind b;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_spec_parse_mount(ok[i].text, &b, &err) < 0) {
            test_fail(__FILE__, __LINE__, "%s: %s", ok[i].text, err.msg);
            wcr_err_dispose(&err);
            continue;
        }
        CHECK_STR(b.source, ok[i].src);
        CHECK_STR(b.destination, ok[i].dst);
        CHECK(b.readonly == ok[i].ro);
        wcr_spec_bind_dispose(&b);
    }
    check_bind_refused(true, "type=volume,src=v,dst=/b", "type \"volume\" is not supported");
    check_bind_refused(true, "src=/a,dst=/b", "needs type=bind");
    check_bind_refused(true, "type=bind,dst=/b", "needs source=PATH");
    check_bind_refused(true, "type=bind,src=/a", "needs target=PATH");
    check_bind_refused(true, "type=bind,src=/a,dst=/b,propagation=rshared", "unknown key \"propagation\"");
    check_bind_refused(true, "type=bind,src=/a,dst=/b,readonly=maybe", "readonly takes true or false");
    check_bind_refused(true, "type=bind,,src=/a", "empty field");
    check_bind_refused(true, "type=bind,src", "\"src\" needs a value");
}

/* ---- output -------------------------------------------------------------------- */

TEST(pretty_output_is_indented_and_appended)
{
    const char *args[] = { "true" };
    wcr_spec_input in = linux_input(NULL);
    in.args = args;
    in.n_args = 1;
    wcr_buf b = WCR_BUF_INIT("spec", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "x");
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_spec_build(&b, &in, WCR_SPEC_PRETTY, &err) == 0);
    CHECK(wcr_str_starts_with(b.data, "x{\n  \"ociVersion\": \"1.1.0\",\n  \"process\": {\n"));
    CHECK(b.data[b.len - 1] == '\n');
    wcr_buf_reset(&b);
    REQUIRE(wcr_spec_build(&b, &in, WCR_SPEC_COMPACT, &err) == 0);
    CHECK(wcr_str_starts_with(b.data, "{\"ociVersion\":\"1.1.0\",\"process\":{\"terminal\":false,"));
    CHECK(!strchr(b.data, '\n'));
    wcr_buf_dispose(&b);
    wcr_spec_input bad = in;
    bad.version = 99;
    refused(&bad, WCR_E_INTERNAL, "unknown version", __LINE__);
}

TEST(os_names)
{
    wcr_spec_os os = 0;
    CHECK(wcr_spec_os_parse("windows", &os) == 0 && os == WCR_SPEC_WINDOWS);
    CHECK(wcr_spec_os_parse("linux", &os) == 0 && os == WCR_SPEC_LINUX);
    CHECK(wcr_spec_os_parse("Windows", &os) < 0);
    CHECK(wcr_spec_os_parse(NULL, &os) < 0);
    CHECK_STR(wcr_spec_os_name(WCR_SPEC_WINDOWS), "windows");
    wcr_spec_process_dispose(NULL);
    wcr_spec_bind_dispose(NULL);
}

TEST_MAIN()
