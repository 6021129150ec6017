/* The flags of wcr run and wcr spec, into a spec input (run_flags.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/run_flags.h"

void cli_run_spec_dispose(cli_run_spec *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n_binds; i++)
        wcr_spec_bind_dispose(&rs->binds[i]);
    free(rs->binds);
    memset(rs, 0, sizeof *rs);
}

static int parse_binds(cli_run_spec *rs, const cli_run_opts *o, const char *path, wcr_err *err)
{
    size_t n = o->volumes.len + o->mounts.len;
    if (n == 0)
        return 0;
    if (!(rs->binds = calloc(n, sizeof *rs->binds)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    wcr_err perr = WCR_ERR_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bool vol = i < o->volumes.len;
        rc = vol ? wcr_spec_parse_volume(o->volumes.items[i], &rs->binds[i], &perr)
                 : wcr_spec_parse_mount(o->mounts.items[i - o->volumes.len], &rs->binds[i], &perr);
        if (rc == 0)
            rs->n_binds++;
    }
    if (rc < 0)
        cli_usage_error(err, path, "%s", perr.msg ? perr.msg : "invalid bind");
    wcr_err_dispose(&perr);
    return rc;
}

static int parse_net(const char *text, wcr_spec_net *out, const char *path, wcr_err *err)
{
    if (!text)
        *out = WCR_SPEC_NET_DEFAULT;
    else if (strcmp(text, "none") == 0)
        *out = WCR_SPEC_NET_NONE;
    else if (strcmp(text, "host") == 0)
        *out = WCR_SPEC_NET_HOST;
    else
        return cli_usage_error(err, path, "--net takes none or host, not \"%s\"", text);
    return 0;
}

int cli_run_spec_init(cli_run_spec *rs, const cli_run_opts *o, int argc, char **argv,
                      const char *path, wcr_err *err)
{
    memset(rs, 0, sizeof *rs);
    wcr_spec_input *in = &rs->in;
    in->version = WCR_SPEC_INPUT_VERSION;
    in->entrypoint_set = o->entrypoint != NULL;
    in->entrypoint = o->entrypoint;
    in->args = (const char *const *)argv;
    in->n_args = argc > 0 ? (size_t)argc : 0;
    in->env = (const char *const *)o->env.items;
    in->n_env = o->env.len;
    in->env_files = (const char *const *)o->env_files.items;
    in->n_env_files = o->env_files.len;
    in->workdir = o->workdir;
    in->user = o->user;
    in->hostname = o->hostname;
    in->tty = o->tty;
    int rc = cli_parse_isolation(o->isolation, &in->isolation, path, err);
    if (rc == 0)
        rc = parse_net(o->net, &in->net, path, err);
    if (rc == 0 && o->platform) {
        wcr_err perr = WCR_ERR_INIT;
        if (wcr_platform_parse(&rs->platform, o->platform, &perr) < 0)
            rc = cli_usage_error(err, path, "--platform: %s", perr.msg ? perr.msg : "invalid");
        wcr_err_dispose(&perr);
        rs->have_platform = rc == 0;
        if (rc == 0 && wcr_spec_os_parse(rs->platform.os, &in->os) < 0)
            rc = cli_usage_error(err, path, "--platform %s: wcr runs linux and windows containers",
                                 o->platform);
    }
    if (rc == 0)
        rc = parse_binds(rs, o, path, err);
    in->binds = rs->binds;
    in->n_binds = rs->n_binds;
    if (rc < 0)
        cli_run_spec_dispose(rs);
    return rc;
}
