/* Fuzz target for image documents: every input goes to kind detection,
 * the index, manifest and config parsers (with no media type, and with
 * one picked by the input's length). Failures must leave nothing behind
 * and name the document; successes must hold what the parsers promise
 * (valid digests, sizes >= 0, normalised platforms), and an index's
 * entries go through the platform chooser for a Windows and a Linux
 * host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image/manifest.h"

static const char *const media_types[] = {
    NULL,
    WCR_MT_OCI_INDEX,
    WCR_MT_DOCKER_LIST,
    WCR_MT_OCI_MANIFEST,
    WCR_MT_DOCKER_MANIFEST "; charset=utf-8",
    WCR_MT_DOCKER_SCHEMA1_SIGNED,
    "application/json",
};

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_manifest: %s\n", what);
    abort();
}

static void check_error(wcr_err *err, const char *prefix)
{
    if (err->code == WCR_E_NOMEM) {
        wcr_err_dispose(err);
        return;
    }
    if (err->code != WCR_E_PARSE && err->code != WCR_E_LIMIT && err->code != WCR_E_UNSUPPORTED)
        fail("unexpected error code");
    if (!err->msg || strncmp(err->msg, prefix, strlen(prefix)) != 0)
        fail("error does not name the document");
    wcr_err_dispose(err);
}

static void check_descriptor(const wcr_descriptor *d, bool platform_allowed)
{
    if (!d->media_type || !wcr_digest_valid(d->digest) || d->size < 0)
        fail("descriptor breaks its promises");
    for (size_t i = 0; i < d->n_urls; i++)
        if (!d->urls[i])
            fail("NULL url");
    for (size_t i = 0; i < d->n_annotations; i++)
        if (!d->annotations[i].key || !d->annotations[i].value)
            fail("NULL annotation");
    if (d->has_platform) {
        if (!platform_allowed)
            fail("platform outside an index");
        wcr_platform p = d->platform;
        wcr_platform_normalize(&p);
        if (!wcr_platform_equal(&p, &d->platform) || memcmp(&p, &d->platform, sizeof p) != 0)
            fail("platform not normalised");
    }
}

static void choose_for(const wcr_index *idx, const char *spec, wcr_isolation iso)
{
    wcr_platform want;
    if (wcr_platform_parse(&want, spec, NULL) < 0)
        fail("test platform does not parse");
    size_t chosen = (size_t)-1;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_index_choose(idx, &want, true, iso, &chosen, &err) == 0) {
        if (chosen >= idx->n_manifests || !idx->manifests[chosen].has_platform ||
            !wcr_platform_acceptable(&want, iso, &idx->manifests[chosen].platform))
            fail("chose an entry that does not fit");
    } else if (err.code != WCR_E_PLATFORM && err.code != WCR_E_NOMEM) {
        fail("choose failed without WCR_E_PLATFORM");
    }
    wcr_err_dispose(&err);
}

static void try_index(const char *data, size_t size, const char *mt)
{
    wcr_index idx;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_index_parse(&idx, "fuzz", mt, data, size, &err) < 0) {
        if (idx.manifests || idx.n_manifests)
            fail("failed index parse left entries");
        check_error(&err, "index fuzz: ");
        return;
    }
    if (!wcr_doc_kind_is_index(idx.kind))
        fail("index of a non-index kind");
    for (size_t i = 0; i < idx.n_manifests; i++)
        check_descriptor(&idx.manifests[i], true);
    choose_for(&idx, "windows/amd64:10.0.20348.2113", WCR_ISOLATION_PROCESS);
    choose_for(&idx, "windows/amd64:10.0.17763.1", WCR_ISOLATION_HYPERV);
    choose_for(&idx, "linux/arm/v7", WCR_ISOLATION_DEFAULT);
    wcr_index_dispose(&idx);
}

static void try_manifest(const char *data, size_t size, const char *mt)
{
    wcr_manifest m;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_manifest_parse(&m, "fuzz", mt, data, size, &err) < 0) {
        if (m.layers || m.n_layers)
            fail("failed manifest parse left layers");
        check_error(&err, "manifest fuzz: ");
        return;
    }
    if (wcr_doc_kind_is_index(m.kind) || m.kind == WCR_DOC_UNKNOWN)
        fail("manifest of a wrong kind");
    check_descriptor(&m.config, false);
    for (size_t i = 0; i < m.n_layers; i++)
        check_descriptor(&m.layers[i], false);
    if (m.has_subject)
        check_descriptor(&m.subject, false);
    if (wcr_manifest_check_image(&m, "fuzz", &err) < 0)
        wcr_err_dispose(&err);
    wcr_manifest_dispose(&m);
}

static void try_config(const char *data, size_t size)
{
    wcr_image_config c;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_image_config_parse(&c, "fuzz", data, size, &err) < 0) {
        if (c.diff_ids || c.env || c.n_diff_ids)
            fail("failed config parse left lists");
        check_error(&err, "image config fuzz: ");
        return;
    }
    for (size_t i = 0; i < c.n_diff_ids; i++)
        if (!wcr_digest_valid(c.diff_ids[i]))
            fail("invalid diff_id accepted");
    for (size_t i = 0; i < c.n_env; i++)
        if (!c.env[i])
            fail("NULL env entry");
    if (c.n_diff_ids > 0 && c.n_diff_ids <= 64) {
        char(*ids)[WCR_DIGEST_SHA256_LEN + 1] = malloc(c.n_diff_ids * sizeof *ids);
        if (ids && wcr_image_chain_ids(c.diff_ids, c.n_diff_ids, ids, &err) == 0 &&
            strcmp(ids[0], c.diff_ids[0]) != 0)
            fail("first chain ID is not the first diff ID");
        wcr_err_dispose(&err);
        free(ids);
    }
    wcr_image_config_dispose(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *mt = media_types[size % (sizeof media_types / sizeof media_types[0])];
    wcr_doc_kind kind;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_manifest_detect(&kind, "fuzz", mt, text, size, &err) < 0)
        check_error(&err, "manifest fuzz: ");
    else if (kind == WCR_DOC_UNKNOWN)
        fail("detect succeeded without a kind");
    try_index(text, size, NULL);
    try_manifest(text, size, NULL);
    if (mt) {
        try_index(text, size, mt);
        try_manifest(text, size, mt);
    }
    try_config(text, size);
    return 0;
}
