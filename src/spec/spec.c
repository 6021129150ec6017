/* The common part of a runtime spec: what runs, with which environment,
 * where and as whom (spec.h has the rules); the OS part is a backend. */
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"
#include "core/str.h"
#include "os/os.h"
#include "spec/spec_internal.h"

int wcr_spec_os_parse(const char *name, wcr_spec_os *out)
{
    if (name && strcmp(name, "linux") == 0)
        *out = WCR_SPEC_LINUX;
    else if (name && strcmp(name, "windows") == 0)
        *out = WCR_SPEC_WINDOWS;
    else
        return -1;
    return 0;
}

const char *wcr_spec_os_name(wcr_spec_os os)
{
    return os == WCR_SPEC_WINDOWS ? "windows" : "linux";
}

const spec_backend *spec_backend_for(wcr_spec_os os)
{
    if (os == 0)
        os = strcmp(wcr_os_name(), "windows") == 0 ? WCR_SPEC_WINDOWS : WCR_SPEC_LINUX;
    return os == WCR_SPEC_WINDOWS ? &spec_windows : &spec_linux;
}

void spec_write_strings(wcr_jsonw *w, const char *key, const char *const *v, size_t n)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_array_begin(w);
    for (size_t i = 0; i < n; i++)
        wcr_jsonw_string(w, v[i]);
    wcr_jsonw_array_end(w);
}

void wcr_spec_process_dispose(wcr_spec_process *p)
{
    if (!p)
        return;
    wcr_strv_dispose(&p->args);
    wcr_strv_dispose(&p->env);
    free(p->command_line);
    free(p->cwd);
    wcr_user_dispose(&p->user);
    free(p->username);
    memset(p, 0, sizeof *p);
}

static int push_all(wcr_strv *out, const char *const *v, size_t n, wcr_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (wcr_strv_push(out, v[i], err) < 0)
            return -1;
    return 0;
}

/* ENTRYPOINT + CMD by Docker's rules; commandLine for ArgsEscaped. */
static int resolve_args(wcr_spec_process *p, const wcr_spec_input *in, const spec_backend *be,
                        wcr_err *err)
{
    const wcr_image_config *img = in->image;
    int rc = 0;
    if (in->entrypoint_set) {
        if (in->entrypoint && in->entrypoint[0])
            rc = wcr_strv_push(&p->args, in->entrypoint, err);
    } else if (img) {
        rc = push_all(&p->args, img->entrypoint, img->n_entrypoint, err);
    }
    if (rc == 0 && in->n_args)
        rc = push_all(&p->args, in->args, in->n_args, err);
    else if (rc == 0 && img && !in->entrypoint_set)
        rc = push_all(&p->args, img->cmd, img->n_cmd, err);
    if (rc < 0)
        return -1;
    if (p->args.n == 0) {
        if (in->entrypoint_set)
            return wcr_err_set(err, WCR_E_INVALID,
                               "no command specified: --entrypoint replaces the image's ENTRYPOINT "
                               "and CMD; give the command after the image");
        return wcr_err_set(err, WCR_E_INVALID,
                           img ? "no command specified: the image has no ENTRYPOINT or CMD; give "
                                 "one after the image"
                               : "no command specified: give one (or an image)");
    }
    /* The image's first entry is a whole command line already: keep it,
     * quote the rest (containerd does the same). */
    bool escaped = be->os == WCR_SPEC_WINDOWS && img && img->args_escaped && !in->entrypoint_set &&
                   (img->n_entrypoint > 0 || in->n_args == 0);
    if (!escaped)
        return 0;
    wcr_buf line = WCR_BUF_INIT("commandLine", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&line, p->args.v[0]);
    for (size_t i = 1; i < p->args.n; i++) {
        wcr_buf_putc(&line, ' ');
        wcr_cmdline_append_arg(&line, p->args.v[i]);
    }
    if (wcr_buf_check(&line, err) < 0) {
        wcr_buf_dispose(&line);
        return -1;
    }
    p->command_line = wcr_buf_detach(&line, NULL);
    wcr_strv_dispose(&p->args);
    return p->command_line ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
}

/* One -e or env-file entry: "K" alone takes K from wcr's environment, or
 * removes K when it is not set there. */
static int apply_user_env(wcr_strv *env, const char *kv, const wcr_spec_env_user *u, const char *what,
                          wcr_err *err)
{
    if (kv[0] == '=' || kv[0] == '\0')
        return wcr_err_set(err, WCR_E_INVALID, "%s \"%s\": no variable name", what, kv);
    if (strchr(kv, '='))
        return spec_env_apply(env, kv, u->nocase, err);
    char *value = u->getenv ? u->getenv(u->getenv_ud, kv) : wcr_os_getenv(kv);
    if (!value)
        return spec_env_apply(env, kv, u->nocase, err);
    char *full = wcr_asprintf("%s=%s", kv, value);
    free(value);
    int rc = full ? spec_env_apply(env, full, u->nocase, err) : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    free(full);
    return rc;
}

static int env_file(wcr_strv *env, const char *path, const wcr_spec_env_user *u, wcr_err *err)
{
    char *text = NULL;
    size_t len = 0;
    if (wcr_os_read_file(path, WCR_SPEC_ENV_FILE_MAX, &text, &len, err) < 0)
        return wcr_err_wrap(err, "--env-file %s", path);
    wcr_strv lines = { 0 };
    int rc = wcr_spec_env_file_parse(&lines, path, text, len, err);
    for (size_t i = 0; rc == 0 && i < lines.n; i++)
        rc = apply_user_env(env, lines.v[i], u, "--env-file", err);
    wcr_strv_dispose(&lines);
    free(text);
    return rc;
}

int wcr_spec_env_apply_user(wcr_strv *env, const wcr_spec_env_user *u, wcr_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < u->n_files; i++)
        rc = env_file(env, u->files[i], u, err);
    for (size_t i = 0; rc == 0 && i < u->n_vars; i++)
        rc = apply_user_env(env, u->vars[i], u, "-e", err);
    return rc;
}

static int resolve_env(wcr_spec_process *p, const wcr_spec_input *in, const spec_backend *be,
                       wcr_err *err)
{
    const wcr_image_config *img = in->image;
    int rc = 0;
    for (size_t i = 0; rc == 0 && img && i < img->n_env; i++)
        rc = spec_env_apply(&p->env, img->env[i], be->env_nocase, err);
    if (rc == 0 && be->env_defaults)
        rc = be->env_defaults(&p->env, in, err);
    wcr_spec_env_user u = { in->env_files, in->n_env_files, in->env, in->n_env, be->env_nocase,
                            in->getenv, in->getenv_ud };
    if (rc == 0)
        rc = wcr_spec_env_apply_user(&p->env, &u, err);
    return rc;
}

int wcr_spec_resolve(wcr_spec_process *out, const wcr_spec_input *in, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    if (!in || in->version != WCR_SPEC_INPUT_VERSION)
        return wcr_err_set(err, WCR_E_INTERNAL, "spec input: unknown version");
    const spec_backend *be = spec_backend_for(in->os);
    int rc = be->check(in, err);
    if (rc == 0)
        rc = resolve_args(out, in, be, err);
    if (rc == 0)
        rc = resolve_env(out, in, be, err);
    if (rc == 0) {
        const char *cwd = be->default_cwd;
        if (in->workdir && in->workdir[0]) {
            cwd = in->workdir;
            if (!be->abs_path(cwd))
                rc = wcr_err_set(err, WCR_E_INVALID,
                                 "-w %s: the working directory must be an absolute path", cwd);
        } else if (in->image && in->image->working_dir && in->image->working_dir[0]) {
            cwd = in->image->working_dir;
        }
        if (rc == 0 && !(out->cwd = wcr_strdup(cwd)))
            rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    }
    if (rc == 0) {
        const char *user = in->user && in->user[0] ? in->user : in->image ? in->image->user : NULL;
        rc = be->user(out, in, user, err);
    }
    if (rc < 0)
        wcr_spec_process_dispose(out);
    return rc;
}

int wcr_spec_build(wcr_buf *out, const wcr_spec_input *in, int flags, wcr_err *err)
{
    wcr_spec_process p;
    if (wcr_spec_resolve(&p, in, err) < 0)
        return -1;
    const spec_backend *be = spec_backend_for(in->os);
    size_t start = out->len;
    wcr_jsonw w;
    wcr_jsonw_init(&w, out, (flags & WCR_SPEC_PRETTY) ? WCR_JSONW_PRETTY : WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&w);
    wcr_jsonw_kv_string(&w, "ociVersion", WCR_SPEC_OCI_VERSION);
    wcr_jsonw_key(&w, "process");
    wcr_jsonw_object_begin(&w);
    wcr_jsonw_kv_bool(&w, "terminal", in->tty);
    be->write_user(&w, &p);
    if (p.command_line)
        wcr_jsonw_kv_string(&w, "commandLine", p.command_line);
    else
        spec_write_strings(&w, "args", (const char *const *)p.args.v, p.args.n);
    spec_write_strings(&w, "env", (const char *const *)p.env.v, p.env.n);
    wcr_jsonw_kv_string(&w, "cwd", p.cwd);
    be->write_process_extra(&w, in);
    wcr_jsonw_object_end(&w);
    int rc = be->write_rest(&w, in, err);
    if (rc == 0) {
        wcr_jsonw_object_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    }
    wcr_spec_process_dispose(&p);
    if (rc < 0) {
        wcr_buf_truncate(out, start);
        return wcr_err_wrap(err, "%s spec", wcr_spec_os_name(be->os));
    }
    return 0;
}
