/* wcr version: the client's version and the server's (containerd's). */
#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/version.h"
#include "core/platform.h"
#include "os/os.h"
#include "wcr/common.h"

static void write_json(wcr_buf *b, const wcr_ctd_version *server, wcr_err *err)
{
    wcr_jsonw w;
    cli_json_init(&w, b);
    wcr_jsonw_object_begin(&w);
    wcr_jsonw_key(&w, "client");
    wcr_jsonw_object_begin(&w);
    wcr_jsonw_kv_string(&w, "version", wcr_version());
    wcr_jsonw_kv_string(&w, "revision", wcr_revision());
    wcr_jsonw_kv_string(&w, "os", wcr_os_name());
    wcr_jsonw_kv_string(&w, "arch", wcr_platform_arch());
    wcr_jsonw_object_end(&w);
    if (server) {
        wcr_jsonw_key(&w, "server");
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_string(&w, "version", server->version ? server->version : "");
        wcr_jsonw_kv_string(&w, "revision", server->revision ? server->revision : "");
        wcr_jsonw_object_end(&w);
    }
    wcr_jsonw_object_end(&w);
    wcr_jsonw_finish(&w, err);
}

static int version_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_buf b = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    wcr_ctd_version server = { 0 };
    wcr_err server_err = WCR_ERR_INIT;
    wcr_ctd *c = cli_connect(g, &server_err);
    int have_server = c && wcr_ctd_version_get(c, &server, &server_err) == 0;
    wcr_ctd_close(c);

    if (g->format == CLI_FORMAT_JSON) {
        write_json(&b, have_server ? &server : NULL, err);
    } else {
        wcr_buf_printf(&b, "Client:\n  Version:   %s\n  Revision:  %s\n  OS/Arch:   %s/%s\n",
                       wcr_version(), wcr_revision(), wcr_os_name(), wcr_platform_arch());
        if (have_server)
            wcr_buf_printf(&b, "\nServer:\n  Version:   %s\n  Revision:  %s\n",
                           server.version ? server.version : "", server.revision ? server.revision : "");
    }
    /* The client part is printed even when the server cannot be reached. */
    int rc = cli_print(g, &b, err);
    if (rc == 0 && !have_server) {
        wcr_err_move(err, &server_err);
        rc = -1;
    }
    wcr_err_dispose(&server_err);
    wcr_ctd_version_dispose(&server);
    wcr_buf_dispose(&b);
    return rc;
}

const cli_command cmd_version = {
    .name = "version",
    .summary = "Show the client and server versions",
    .usage = "",
    .description = "Prints wcr's version, then containerd's (from its Version service). When\n"
                   "containerd cannot be reached, the client part is printed and the command\n"
                   "fails.\n",
    .min_args = 0,
    .max_args = 0,
    .run = version_run,
};
