/* Image configs (OCI image config, Docker's container image v1) and chain
 * IDs. */
#include <string.h>

#include "image/doc.h"
#include "image/manifest.h"
#include "os/os.h"

/* The platform fields at the top of the config. */
static int config_platform(img_doc *d, wcr_image_config *c)
{
    const char *os, *arch, *variant, *osv;
    if (img_get_string(d, d->root, "", "architecture", true, &arch) < 0 ||
        img_get_string(d, d->root, "", "os", true, &os) < 0 ||
        img_get_string(d, d->root, "", "variant", false, &variant) < 0 ||
        img_get_string(d, d->root, "", "os.version", false, &osv) < 0 ||
        img_get_strings(d, d->root, "", "os.features", &c->os_features, &c->n_os_features) < 0)
        return -1;
    wcr_err perr = WCR_ERR_INIT;
    if (wcr_platform_set(&c->platform, os, arch, variant, osv, &perr) < 0) {
        int rc = img_fail(d, WCR_E_PARSE, NULL, "%s", perr.msg ? perr.msg : "invalid platform");
        wcr_err_dispose(&perr);
        return rc;
    }
    return 0;
}

/* "config": what a container of this image runs (all optional). */
static int config_exec(img_doc *d, wcr_image_config *c)
{
    const wcr_json *x;
    const char *f = "config";
    if (img_get_object(d, d->root, "", "config", false, &x) < 0)
        return -1;
    if (!x)
        return 0;
    if (img_get_string(d, x, f, "User", false, &c->user) < 0 ||
        img_get_string(d, x, f, "WorkingDir", false, &c->working_dir) < 0 ||
        img_get_string(d, x, f, "StopSignal", false, &c->stop_signal) < 0 ||
        img_get_strings(d, x, f, "Env", &c->env, &c->n_env) < 0 ||
        img_get_strings(d, x, f, "Entrypoint", &c->entrypoint, &c->n_entrypoint) < 0 ||
        img_get_strings(d, x, f, "Cmd", &c->cmd, &c->n_cmd) < 0 ||
        img_get_bool(d, x, f, "ArgsEscaped", &c->args_escaped) < 0 ||
        img_get_kv(d, x, f, "Labels", &c->labels, &c->n_labels) < 0 ||
        img_get_keys(d, x, f, "ExposedPorts", &c->exposed_ports, &c->n_exposed_ports) < 0 ||
        img_get_keys(d, x, f, "Volumes", &c->volumes, &c->n_volumes) < 0)
        return -1;
    return 0;
}

/* "rootfs": {"type": "layers", "diff_ids": [digests]}. */
static int config_rootfs(img_doc *d, wcr_image_config *c)
{
    const wcr_json *r;
    const char *type;
    if (img_get_object(d, d->root, "", "rootfs", true, &r) < 0 ||
        img_get_string(d, r, "rootfs", "type", true, &type) < 0)
        return -1;
    if (strcmp(type, "layers") != 0)
        return img_fail(d, WCR_E_PARSE, "rootfs.type", "\"%.40s\", not \"layers\"", type);
    const wcr_json *ids;
    if (img_get_array(d, r, "rootfs", "diff_ids", true, &ids) < 0 ||
        img_get_strings(d, r, "rootfs", "diff_ids", &c->diff_ids, &c->n_diff_ids) < 0)
        return -1;
    for (size_t i = 0; i < c->n_diff_ids; i++) {
        wcr_err derr = WCR_ERR_INIT;
        if (wcr_digest_check(c->diff_ids[i], &derr) < 0) {
            char f[IMG_FIELD_MAX];
            img_field_index(f, "rootfs.diff_ids", i);
            int rc = img_fail(d, WCR_E_PARSE, f, "%s", derr.msg ? derr.msg : "invalid digest");
            wcr_err_dispose(&derr);
            return rc;
        }
    }
    return 0;
}

int wcr_image_config_parse(wcr_image_config *out, const char *name, const char *data, size_t len,
                           wcr_err *err)
{
    wcr_image_config c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    wcr_arena_init(&c.arena, 8192);
    img_doc d;
    if (img_doc_open(&d, "image config", name, data, len, WCR_CONFIG_MAX_SIZE, &c.arena, err) <
        0) {
        wcr_arena_dispose(&c.arena);
        return -1;
    }
    int rc = 0;
    if (config_platform(&d, &c) < 0 || config_exec(&d, &c) < 0 || config_rootfs(&d, &c) < 0)
        rc = -1;
    img_doc_close(&d);
    if (rc < 0) {
        wcr_arena_dispose(&c.arena);
        return -1;
    }
    *out = c;
    return 0;
}

void wcr_image_config_dispose(wcr_image_config *c)
{
    if (!c)
        return;
    wcr_arena_dispose(&c->arena);
    memset(c, 0, sizeof *c);
}

int wcr_image_check(const wcr_manifest *m, const wcr_image_config *c, const char *name,
                    wcr_err *err)
{
    if (m->n_layers != c->n_diff_ids)
        return wcr_err_set(err, WCR_E_PARSE,
                           "image %s: the manifest has %zu layers but the config's "
                           "rootfs.diff_ids lists %zu",
                           name, m->n_layers, c->n_diff_ids);
    return 0;
}

/* ---- chain IDs ------------------------------------------------------------ */

int wcr_image_chain_ids(const char *const *diff_ids, size_t n,
                        char (*out)[WCR_DIGEST_SHA256_LEN + 1], wcr_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!wcr_digest_valid(diff_ids[i]) || strncmp(diff_ids[i], "sha256:", 7) != 0)
            return wcr_err_set(err, WCR_E_INVALID,
                               "chain IDs: diff_ids[%zu] is not a sha256 digest", i);
    if (n == 0)
        return 0;
    wcr_os_sha256 *h = wcr_os_sha256_new(err);
    if (!h)
        return wcr_err_wrap(err, "chain IDs");
    memcpy(out[0], diff_ids[0], WCR_DIGEST_SHA256_LEN + 1);
    for (size_t i = 1; i < n; i++) {
        uint8_t sum[32];
        wcr_os_sha256_reset(h);
        wcr_os_sha256_update(h, out[i - 1], WCR_DIGEST_SHA256_LEN);
        wcr_os_sha256_update(h, " ", 1);
        wcr_os_sha256_update(h, diff_ids[i], WCR_DIGEST_SHA256_LEN);
        wcr_os_sha256_final(h, sum);
        wcr_digest_sha256_format(sum, out[i]);
    }
    wcr_os_sha256_free(h);
    return 0;
}
