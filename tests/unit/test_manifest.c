/* Tests of src/image/manifest.c, config.c and doc.c: image indexes,
 * manifests and configs shaped like real registries' documents, every
 * error path, media types and chain IDs. Documents are written with '
 * for " to stay readable; q() swaps them. */
#include <stdlib.h>
#include <string.h>

#include "image/manifest.h"
#include "test.h"

/* sha256 of "a".."g" (sha256sum), as stand-in digests. */
#define DA "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
#define DB "sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define DC "sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6"
#define DD "sha256:18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4"
#define DE "sha256:3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea"
#define DF "sha256:252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"

#define NAME "sha256:ab12"

/* The document with ' turned into ", malloc'd. */
static char *q(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    if (!out)
        abort();
    for (size_t i = 0;; i++) {
        out[i] = s[i] == '\'' ? '"' : s[i];
        if (!s[i])
            break;
    }
    return out;
}

static int index_q(wcr_index *idx, const char *mt, const char *doc, wcr_err *err)
{
    char *text = q(doc);
    int rc = wcr_index_parse(idx, NAME, mt, text, strlen(text), err);
    free(text);
    return rc;
}

static int manifest_q(wcr_manifest *m, const char *mt, const char *doc, wcr_err *err)
{
    char *text = q(doc);
    int rc = wcr_manifest_parse(m, NAME, mt, text, strlen(text), err);
    free(text);
    return rc;
}

static int config_q(wcr_image_config *c, const char *doc, wcr_err *err)
{
    char *text = q(doc);
    int rc = wcr_image_config_parse(c, NAME, text, strlen(text), err);
    free(text);
    return rc;
}

static wcr_doc_kind detect_q(const char *mt, const char *doc)
{
    char *text = q(doc);
    wcr_doc_kind kind = WCR_DOC_UNKNOWN;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_manifest_detect(&kind, NAME, mt, text, strlen(text), &err) < 0)
        kind = WCR_DOC_UNKNOWN;
    wcr_err_dispose(&err);
    free(text);
    return kind;
}

/* ---- real-world shapes ---------------------------------------------------- */

/* mcr.microsoft.com/windows/nanoserver style: a Docker manifest list of
 * Windows builds. */
static const char nanoserver_list[] =
    "{'manifests':["
    "{'digest':'" DA "','mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
    "'platform':{'architecture':'amd64','os':'windows','os.version':'10.0.17763.5576'},"
    "'size':1162},"
    "{'digest':'" DB "','mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
    "'platform':{'architecture':'amd64','os':'windows','os.version':'10.0.20348.2340'},"
    "'size':1162},"
    "{'digest':'" DC "','mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
    "'platform':{'architecture':'amd64','os':'windows','os.version':'10.0.26100.1742',"
    "'os.features':['win32k']},'size':1163}],"
    "'mediaType':'application/vnd.docker.distribution.manifest.list.v2+json',"
    "'schemaVersion':2}";

TEST(docker_manifest_list_of_windows_builds)
{
    wcr_index idx;
    wcr_err err = WCR_ERR_INIT;
    if (index_q(&idx, WCR_MT_DOCKER_LIST, nanoserver_list, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_INT(idx.kind, WCR_DOC_DOCKER_LIST);
    REQUIRE(idx.n_manifests == 3);
    const wcr_descriptor *m = &idx.manifests[2];
    CHECK_STR(m->digest, DC);
    CHECK_INT(m->size, 1163);
    CHECK_STR(m->media_type, WCR_MT_DOCKER_MANIFEST);
    CHECK(m->has_platform);
    CHECK_STR(m->platform.os, "windows");
    CHECK_STR(m->platform.arch, "amd64");
    CHECK_STR(m->platform.os_version, "10.0.26100.1742");
    REQUIRE(m->n_os_features == 1);
    CHECK_STR(m->os_features[0], "win32k");
    CHECK_INT(idx.manifests[0].n_os_features, 0);

    struct {
        const char *host;
        wcr_isolation iso;
        size_t got;
    } t[] = {
        { "windows/amd64:10.0.17763.5329", WCR_ISOLATION_PROCESS, 0 },
        { "windows/amd64:10.0.20348.2031", WCR_ISOLATION_PROCESS, 1 },
        { "windows/amd64:10.0.22631.3296", WCR_ISOLATION_PROCESS, 1 },
        { "windows/amd64:10.0.26100.2033", WCR_ISOLATION_PROCESS, 2 },
        { "windows/amd64:10.0.19045.1", WCR_ISOLATION_HYPERV, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        wcr_platform host;
        REQUIRE(wcr_platform_parse(&host, t[i].host, NULL) == 0);
        size_t got = 99;
        CHECK_INT(wcr_index_choose(&idx, &host, true, t[i].iso, &got, NULL), 0);
        CHECK_INT(got, t[i].got);
    }
    wcr_platform lin;
    REQUIRE(wcr_platform_parse(&lin, "linux/amd64", NULL) == 0);
    size_t got;
    CHECK_INT(wcr_index_choose(&idx, &lin, true, WCR_ISOLATION_DEFAULT, &got, &err), -1);
    CHECK_INT(err.code, WCR_E_PLATFORM);
    CHECK_STR(err.msg, "no image for linux/amd64 in the tag; it offers: windows/amd64 "
                       "10.0.17763.5576, windows/amd64 10.0.20348.2340, windows/amd64 "
                       "10.0.26100.1742; this is a Windows image; a Linux host cannot run it");
    wcr_err_dispose(&err);
    wcr_index_dispose(&idx);
    wcr_index_dispose(&idx);
    wcr_index_dispose(NULL);
}

/* A buildx index: no platform for the attestation is offered. */
static const char buildx_index[] =
    "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json','manifests':["
    "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" DA "','size':673,"
    "'platform':{'architecture':'amd64','os':'linux'}},"
    "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" DB "','size':673,"
    "'platform':{'architecture':'arm','os':'linux','variant':'v7'}},"
    "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" DC "','size':566,"
    "'annotations':{'vnd.docker.reference.digest':'" DA "',"
    "'vnd.docker.reference.type':'attestation-manifest'},"
    "'platform':{'architecture':'unknown','os':'unknown'}}],"
    "'annotations':{'org.opencontainers.image.created':'2024-05-01T00:00:00Z'}}";

TEST(oci_index_with_attestations)
{
    wcr_index idx;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(index_q(&idx, NULL, buildx_index, &err) == 0);
    CHECK_INT(idx.kind, WCR_DOC_OCI_INDEX);
    REQUIRE(idx.n_manifests == 3);
    CHECK_STR(wcr_descriptor_annotation(&idx.manifests[2], "vnd.docker.reference.type"),
              "attestation-manifest");
    CHECK(wcr_descriptor_annotation(&idx.manifests[0], "vnd.docker.reference.type") == NULL);
    REQUIRE(idx.n_annotations == 1);
    CHECK_STR(idx.annotations[0].key, "org.opencontainers.image.created");

    wcr_platform want;
    size_t got = 9;
    REQUIRE(wcr_platform_parse(&want, "linux/arm/v7", NULL) == 0);
    CHECK_INT(wcr_index_choose(&idx, &want, false, WCR_ISOLATION_DEFAULT, &got, NULL), 0);
    CHECK_INT(got, 1);
    REQUIRE(wcr_platform_parse(&want, "linux/arm64", NULL) == 0);
    CHECK_INT(wcr_index_choose(&idx, &want, true, WCR_ISOLATION_DEFAULT, &got, &err), -1);
    CHECK_STR(err.msg, "no image for linux/arm64 in the tag; it offers: linux/amd64, linux/arm/v7; "
                       "it has no Linux image for arm64");
    wcr_err_dispose(&err);
    wcr_index_dispose(&idx);
}

TEST(index_without_media_type_is_told_by_manifests)
{
    wcr_index idx;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(index_q(&idx, NULL,
                      "{'schemaVersion':2,'manifests':[{'mediaType':'application/"
                      "vnd.oci.image.manifest.v1+json','digest':'" DA "','size':1}]}",
                      &err),
              0);
    CHECK_INT(idx.kind, WCR_DOC_OCI_INDEX);
    CHECK(!idx.manifests[0].has_platform);
    /* An entry without a platform is not a candidate. */
    wcr_platform want;
    REQUIRE(wcr_platform_parse(&want, "linux/amd64", NULL) == 0);
    size_t got;
    CHECK_INT(wcr_index_choose(&idx, &want, true, WCR_ISOLATION_DEFAULT, &got, &err), -1);
    CHECK_STR(err.msg, "no image for linux/amd64 in the tag; it lists no runnable platform");
    wcr_err_dispose(&err);
    wcr_index_dispose(&idx);
}

/* A Windows Server Core image: the base layer is foreign, fetched from
 * its urls. */
static const char servercore_manifest[] =
    "{'schemaVersion':2,"
    "'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
    "'config':{'mediaType':'application/vnd.docker.container.image.v1+json','size':1127,"
    "'digest':'" DD "'},"
    "'layers':["
    "{'mediaType':'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',"
    "'size':1718332879,'digest':'" DE "',"
    "'urls':['https://mcr.microsoft.com/v2/windows/servercore/blobs/" DE "']},"
    "{'mediaType':'application/vnd.docker.image.rootfs.diff.tar.gzip','size':930483,"
    "'digest':'" DF "'}]}";

TEST(docker_manifest_with_foreign_layers)
{
    wcr_manifest m;
    wcr_err err = WCR_ERR_INIT;
    if (manifest_q(&m, WCR_MT_DOCKER_MANIFEST, servercore_manifest, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_INT(m.kind, WCR_DOC_DOCKER_MANIFEST);
    CHECK_STR(m.config.digest, DD);
    CHECK_INT(m.config.size, 1127);
    CHECK_STR(m.config.media_type, WCR_MT_DOCKER_CONFIG);
    REQUIRE(m.n_layers == 2);
    CHECK_INT(m.layers[0].size, 1718332879);
    REQUIRE(m.layers[0].n_urls == 1);
    CHECK_STR(m.layers[0].urls[0], "https://mcr.microsoft.com/v2/windows/servercore/blobs/" DE);
    CHECK(wcr_media_type_is_foreign_layer(m.layers[0].media_type));
    CHECK(!wcr_media_type_is_foreign_layer(m.layers[1].media_type));
    CHECK_INT(wcr_layer_compression(m.layers[0].media_type), WCR_COMPRESSION_GZIP);
    CHECK_INT(m.layers[1].n_urls, 0);
    CHECK(!m.has_subject);
    CHECK_INT(wcr_manifest_check_image(&m, NAME, NULL), 0);
    wcr_manifest_dispose(&m);
}

/* An OCI manifest as the image spec shows one: no mediaType member, an
 * uncompressed and a zstd layer, a subject and annotations. */
static const char oci_manifest[] =
    "{'schemaVersion':2,"
    "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" DA "',"
    "'size':7023},"
    "'layers':["
    "{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" DB "','size':32654},"
    "{'mediaType':'application/vnd.oci.image.layer.v1.tar+zstd','digest':'" DC "','size':16724},"
    "{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" DD "','size':73109,"
    "'annotations':{'org.opencontainers.image.title':'layer.tar'}}],"
    "'subject':{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" DE "',"
    "'size':7682},"
    "'annotations':{'com.example.key1':'value1','com.example.key2':'value2'}}";

TEST(oci_manifest_without_media_type)
{
    wcr_manifest m;
    wcr_err err = WCR_ERR_INIT;
    if (manifest_q(&m, NULL, oci_manifest, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_INT(m.kind, WCR_DOC_OCI_MANIFEST);
    REQUIRE(m.n_layers == 3);
    CHECK_INT(wcr_layer_compression(m.layers[0].media_type), WCR_COMPRESSION_GZIP);
    CHECK_INT(wcr_layer_compression(m.layers[1].media_type), WCR_COMPRESSION_ZSTD);
    CHECK_INT(wcr_layer_compression(m.layers[2].media_type), WCR_COMPRESSION_NONE);
    CHECK_STR(wcr_descriptor_annotation(&m.layers[2], "org.opencontainers.image.title"),
              "layer.tar");
    CHECK(m.has_subject);
    CHECK_STR(m.subject.digest, DE);
    REQUIRE(m.n_annotations == 2);
    CHECK_STR(m.annotations[1].value, "value2");
    wcr_manifest_dispose(&m);
    wcr_manifest_dispose(&m);
    wcr_manifest_dispose(NULL);
}

TEST(manifest_check_image_refuses_artifacts)
{
    wcr_manifest m;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(manifest_q(&m, NULL,
                       "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
                       "'artifactType':'application/vnd.example+type',"
                       "'config':{'mediaType':'application/vnd.oci.empty.v1+json','digest':'" DA
                       "','size':2},'layers':[]}",
                       &err) == 0);
    CHECK_STR(m.artifact_type, "application/vnd.example+type");
    CHECK_INT(wcr_manifest_check_image(&m, NAME, &err), -1);
    CHECK_INT(err.code, WCR_E_UNSUPPORTED);
    CHECK_STR(err.msg, "manifest " NAME ": not a container image: config.mediaType is "
                       "\"application/vnd.oci.empty.v1+json\"");
    wcr_manifest_dispose(&m);

    REQUIRE(manifest_q(&m, NULL,
                       "{'schemaVersion':2,'config':{'mediaType':'application/"
                       "vnd.oci.image.config.v1+json','digest':'" DA "','size':2},"
                       "'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" DB
                       "','size':1},{'mediaType':'application/x-tar','digest':'" DC "','size':1}]}",
                       &err) == 0);
    CHECK_INT(wcr_manifest_check_image(&m, NAME, &err), -1);
    CHECK_STR(err.msg, "manifest " NAME ": layers[1].mediaType: \"application/x-tar\" is not a "
                       "layer type wcr can unpack");
    wcr_manifest_dispose(&m);
    wcr_err_dispose(&err);
}

/* ---- kinds ---------------------------------------------------------------- */

TEST(kinds_come_from_the_document_then_the_registry_then_members)
{
    CHECK_INT(detect_q(NULL, nanoserver_list), WCR_DOC_DOCKER_LIST);
    CHECK_INT(detect_q(WCR_MT_OCI_MANIFEST, nanoserver_list), WCR_DOC_DOCKER_LIST);
    CHECK_INT(detect_q(NULL, servercore_manifest), WCR_DOC_DOCKER_MANIFEST);
    CHECK_INT(detect_q(NULL, oci_manifest), WCR_DOC_OCI_MANIFEST);
    CHECK_INT(detect_q(WCR_MT_DOCKER_MANIFEST, oci_manifest), WCR_DOC_DOCKER_MANIFEST);
    CHECK_INT(detect_q("application/vnd.oci.image.index.v1+json; charset=utf-8",
                       "{'schemaVersion':2,'manifests':[]}"),
              WCR_DOC_OCI_INDEX);
    CHECK_INT(detect_q(" Application/VND.oci.image.manifest.v1+json ", "{'schemaVersion':2}"),
              WCR_DOC_OCI_MANIFEST);
    CHECK_INT(detect_q("application/json", "{'schemaVersion':2,'manifests':[]}"),
              WCR_DOC_OCI_INDEX);
    CHECK_INT(detect_q("text/plain", "{'schemaVersion':2,'config':{}}"), WCR_DOC_OCI_MANIFEST);
    CHECK(wcr_doc_kind_is_index(WCR_DOC_DOCKER_LIST));
    CHECK(!wcr_doc_kind_is_index(WCR_DOC_OCI_MANIFEST));
    CHECK_STR(wcr_doc_kind_media_type(WCR_DOC_OCI_INDEX), WCR_MT_OCI_INDEX);
    CHECK_STR(wcr_doc_kind_media_type(WCR_DOC_UNKNOWN), "");
}

TEST(media_types)
{
    CHECK(wcr_media_type_is_index(WCR_MT_OCI_INDEX));
    CHECK(wcr_media_type_is_index(WCR_MT_DOCKER_LIST "; charset=utf-8"));
    CHECK(!wcr_media_type_is_index(WCR_MT_OCI_MANIFEST));
    CHECK(wcr_media_type_is_manifest(WCR_MT_DOCKER_MANIFEST));
    CHECK(wcr_media_type_is_config(WCR_MT_OCI_CONFIG));
    CHECK(wcr_media_type_is_config(WCR_MT_DOCKER_CONFIG));
    CHECK(!wcr_media_type_is_config(WCR_MT_OCI_EMPTY));
    CHECK(wcr_media_type_is_layer(WCR_MT_OCI_LAYER_ND_ZSTD));
    CHECK(wcr_media_type_is_foreign_layer(WCR_MT_OCI_LAYER_ND_GZIP));
    CHECK(wcr_media_type_is_foreign_layer(WCR_MT_DOCKER_FOREIGN_LAYER));
    CHECK(!wcr_media_type_is_foreign_layer(WCR_MT_OCI_LAYER_GZIP));
    CHECK_INT(wcr_layer_compression(WCR_MT_DOCKER_LAYER), WCR_COMPRESSION_NONE);
    CHECK_INT(wcr_layer_compression(WCR_MT_DOCKER_LAYER_ZSTD), WCR_COMPRESSION_ZSTD);
    CHECK_INT(wcr_layer_compression("application/octet-stream"), WCR_COMPRESSION_UNKNOWN);
    CHECK_INT(wcr_layer_compression(NULL), WCR_COMPRESSION_UNKNOWN);
    CHECK(strstr(WCR_MANIFEST_ACCEPT, WCR_MT_DOCKER_LIST) != NULL);
}

/* ---- errors ---------------------------------------------------------------- */

enum { AS_INDEX, AS_MANIFEST, AS_CONFIG };

typedef struct error_case {
    int as;
    const char *media_type;
    const char *doc;
    wcr_err_code code;
    const char *msg; /* whole message; NULL: check the prefix only */
} error_case;

#define CFG "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" DA "','size':1}"
#define LAYER(extra) "{'mediaType':'application/vnd.oci.image.layer.v1.tar'," extra "}"
#define L_OK LAYER("'digest':'" DB "','size':1")
#define MANIFEST_WITH(layers) "{'schemaVersion':2," CFG ",'layers':[" layers "]}"
#define INDEX_WITH(entries) "{'schemaVersion':2,'manifests':[" entries "]}"
#define ENTRY(platform)                                                                        \
    "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" DA "','size':1,"  \
    "'platform':" platform "}"
#define CONFIG_WITH(x) "{'architecture':'amd64','os':'linux'," x "}"
#define ROOTFS "'rootfs':{'type':'layers','diff_ids':['" DA "']}"

#define M "manifest " NAME ": "
#define I "index " NAME ": "
#define C "image config " NAME ": "
#define SCHEMA1 "unsupported: Docker schema 1 image; rebuild or re-push with a current client"

static const error_case errors[] = {
    /* kinds */
    { AS_MANIFEST, NULL, "{'schemaVersion':1,'name':'x','tag':'y','fsLayers':[]}",
      WCR_E_UNSUPPORTED, M SCHEMA1 },
    { AS_MANIFEST, NULL,
      "{'schemaVersion':1,'mediaType':'application/vnd.docker.distribution.manifest.v1+prettyjws'}",
      WCR_E_UNSUPPORTED, M SCHEMA1 },
    { AS_INDEX, WCR_MT_DOCKER_SCHEMA1_SIGNED, "{'schemaVersion':2,'layers':[]}", WCR_E_UNSUPPORTED,
      I SCHEMA1 },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'mediaType':'application/vnd.oci.artifact.manifest.v1+json'}",
      WCR_E_UNSUPPORTED,
      M "mediaType: unsupported media type \"application/vnd.oci.artifact.manifest.v1+json\"" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'mediaType':5}", WCR_E_PARSE,
      M "mediaType: must be a string, not a number" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'manifests':[]}", WCR_E_PARSE,
      M "is an index (application/vnd.oci.image.index.v1+json), not an image manifest" },
    { AS_INDEX, NULL, MANIFEST_WITH(L_OK), WCR_E_PARSE,
      I "is an image manifest (application/vnd.oci.image.manifest.v1+json), not an index" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'manifests':[],'layers':[]}", WCR_E_PARSE,
      M "has both \"manifests\" and \"layers\"/\"config\" and no mediaType: neither an index "
        "nor a manifest" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2}", WCR_E_PARSE,
      M "no mediaType, \"manifests\" or \"layers\": not an image index or manifest" },
    { AS_MANIFEST, NULL, "[]", WCR_E_PARSE, M "not a JSON object" },
    { AS_MANIFEST, NULL, "{", WCR_E_PARSE, NULL },
    { AS_MANIFEST, NULL, "{'a':1,'a':2}", WCR_E_PARSE, NULL },
    /* schemaVersion */
    { AS_MANIFEST, NULL, "{" CFG ",'layers':[]}", WCR_E_PARSE, M "schemaVersion: missing" },
    { AS_MANIFEST, NULL, "{'schemaVersion':3," CFG ",'layers':[]}", WCR_E_PARSE,
      M "schemaVersion: must be 2, not 3" },
    { AS_MANIFEST, NULL, "{'schemaVersion':'2'," CFG ",'layers':[]}", WCR_E_PARSE,
      M "schemaVersion: must be the number 2, not a string" },
    /* manifests */
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'layers':[]}", WCR_E_PARSE, M "config: missing" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2," CFG "}", WCR_E_PARSE, M "layers: missing" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2," CFG ",'layers':{}}", WCR_E_PARSE,
      M "layers: must be an array, not an object" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(L_OK "," L_OK "," LAYER("'digest':'sha256:xyz','size':1")),
      WCR_E_PARSE,
      M "layers[2].digest: invalid digest \"sha256:xyz\": sha256 needs 64 lower-case hex digits" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'md5:d41d8cd98f00b204e9800998ecf8427e','size':1")),
      WCR_E_PARSE,
      M "layers[0].digest: invalid digest \"md5:d41d8cd98f00b204e9800998ecf8427e\": unsupported "
        "algorithm \"md5\" (sha256 and sha512 are)" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'size':1")), WCR_E_PARSE,
      M "layers[0].digest: missing" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':-1")), WCR_E_PARSE,
      M "layers[0].size: -1 is not a size (a whole number >= 0)" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':1.5")), WCR_E_PARSE,
      M "layers[0].size: 1.5 is not a size (a whole number >= 0)" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':1e30")), WCR_E_PARSE,
      M "layers[0].size: 1e30 is not a size (a whole number >= 0)" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':'12'")), WCR_E_PARSE,
      M "layers[0].size: must be a number, not a string" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "'")), WCR_E_PARSE,
      M "layers[0].size: missing" },
    { AS_MANIFEST, NULL, MANIFEST_WITH("{'digest':'" DB "','size':1}"), WCR_E_PARSE,
      M "layers[0].mediaType: missing" },
    { AS_MANIFEST, NULL, MANIFEST_WITH("{'mediaType':'a\\u0000b','digest':'" DB "','size':1}"),
      WCR_E_PARSE, M "layers[0].mediaType: contains a NUL character" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':1,'urls':[1]")),
      WCR_E_PARSE, M "layers[0].urls[0]: must be a string, not a number" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':1,'urls':'x'")),
      WCR_E_PARSE, M "layers[0].urls: must be an array, not a string" },
    { AS_MANIFEST, NULL, MANIFEST_WITH(LAYER("'digest':'" DB "','size':1,'annotations':{'a':1}")),
      WCR_E_PARSE, M "layers[0].annotations.a: must be a string, not a number" },
    { AS_MANIFEST, NULL, MANIFEST_WITH("7"), WCR_E_PARSE,
      M "layers[0]: must be an object, not a number" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'config':[],'layers':[]}", WCR_E_PARSE,
      M "config: must be an object, not an array" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2,'config':{'mediaType':'x','size':1},'layers':[]}",
      WCR_E_PARSE, M "config.digest: missing" },
    { AS_MANIFEST, NULL, "{'schemaVersion':2," CFG ",'layers':[],'subject':{'size':1}}",
      WCR_E_PARSE, M "subject.mediaType: missing" },
    /* indexes */
    { AS_INDEX, NULL, "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json'}",
      WCR_E_PARSE, I "manifests: missing" },
    { AS_INDEX, NULL, INDEX_WITH("'x'"), WCR_E_PARSE, I "manifests[0]: must be an object, not a string" },
    { AS_INDEX, NULL, INDEX_WITH(ENTRY("{'architecture':'amd64','os':'linux'}") "," ENTRY("{'architecture':'amd64'}")),
      WCR_E_PARSE, I "manifests[1].platform.os: missing" },
    { AS_INDEX, NULL, INDEX_WITH(ENTRY("{'os':'linux'}")), WCR_E_PARSE,
      I "manifests[0].platform.architecture: missing" },
    { AS_INDEX, NULL, INDEX_WITH(ENTRY("'linux'")), WCR_E_PARSE,
      I "manifests[0].platform: must be an object, not a string" },
    { AS_INDEX, NULL,
      INDEX_WITH(ENTRY("{'architecture':'amd64','os':'windows','os.version':'10.0.20348.2340.1234567890.1234567890'}")),
      WCR_E_PARSE,
      I "manifests[0].platform: os.version: \"10.0.20348.2340.1234567890.1234567890\" is longer "
        "than 31 characters" },
    { AS_INDEX, NULL, INDEX_WITH(ENTRY("{'architecture':'amd64','os':'lin ux'}")), WCR_E_PARSE,
      I "manifests[0].platform: os: \"lin ux\" has characters outside [A-Za-z0-9_.+-]" },
    { AS_INDEX, NULL,
      INDEX_WITH(ENTRY("{'architecture':'amd64','os':'windows','os.features':'win32k'}")),
      WCR_E_PARSE, I "manifests[0].platform.os.features: must be an array, not a string" },
    { AS_INDEX, NULL, "{'schemaVersion':2,'manifests':[],'annotations':[]}", WCR_E_PARSE,
      I "annotations: must be an object, not an array" },
    /* configs */
    { AS_CONFIG, NULL, CONFIG_WITH("'config':{}"), WCR_E_PARSE, C "rootfs: missing" },
    { AS_CONFIG, NULL, "{'os':'linux'," ROOTFS "}", WCR_E_PARSE, C "architecture: missing" },
    { AS_CONFIG, NULL, "{'architecture':'amd64'," ROOTFS "}", WCR_E_PARSE, C "os: missing" },
    { AS_CONFIG, NULL, CONFIG_WITH("'rootfs':{'type':'foo','diff_ids':[]}"), WCR_E_PARSE,
      C "rootfs.type: \"foo\", not \"layers\"" },
    { AS_CONFIG, NULL, CONFIG_WITH("'rootfs':{'type':'layers'}"), WCR_E_PARSE,
      C "rootfs.diff_ids: missing" },
    { AS_CONFIG, NULL, CONFIG_WITH("'rootfs':{'type':'layers','diff_ids':['" DA "','sha256:0']}"),
      WCR_E_PARSE,
      C "rootfs.diff_ids[1]: invalid digest \"sha256:0\": sha256 needs 64 lower-case hex digits" },
    { AS_CONFIG, NULL, CONFIG_WITH("'rootfs':{'type':'layers','diff_ids':[1]}"), WCR_E_PARSE,
      C "rootfs.diff_ids[0]: must be a string, not a number" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':{'Env':'A=1'}"), WCR_E_PARSE,
      C "config.Env: must be an array, not a string" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':{'Labels':{'a':true}}"), WCR_E_PARSE,
      C "config.Labels.a: must be a string, not a boolean" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':{'ArgsEscaped':'yes'}"), WCR_E_PARSE,
      C "config.ArgsEscaped: must be a boolean, not a string" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':{'ExposedPorts':['80/tcp']}"), WCR_E_PARSE,
      C "config.ExposedPorts: must be an object, not an array" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':{'Cmd':['a','b\\u0000']}"), WCR_E_PARSE,
      C "config.Cmd[1]: contains a NUL character" },
    { AS_CONFIG, NULL, CONFIG_WITH(ROOTFS ",'config':'x'"), WCR_E_PARSE,
      C "config: must be an object, not a string" },
    { AS_CONFIG, NULL, "{'architecture':'amd64','os':'windows','os.version':7," ROOTFS "}",
      WCR_E_PARSE, C "os.version: must be a string, not a number" },
    { AS_CONFIG, NULL, "{'architecture':'a/b','os':'linux'," ROOTFS "}", WCR_E_PARSE,
      C "architecture: \"a/b\" has characters outside [A-Za-z0-9_.+-]" },
};

TEST(every_error_names_the_document_and_field)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        const error_case *c = &errors[i];
        wcr_err err = WCR_ERR_INIT;
        int rc;
        if (c->as == AS_INDEX) {
            wcr_index idx;
            rc = index_q(&idx, c->media_type, c->doc, &err);
            if (rc == 0)
                wcr_index_dispose(&idx);
            else
                CHECK(idx.manifests == NULL && idx.n_manifests == 0);
        } else if (c->as == AS_MANIFEST) {
            wcr_manifest m;
            rc = manifest_q(&m, c->media_type, c->doc, &err);
            if (rc == 0)
                wcr_manifest_dispose(&m);
            else
                CHECK(m.layers == NULL && m.n_layers == 0);
        } else {
            wcr_image_config cfg;
            rc = config_q(&cfg, c->doc, &err);
            if (rc == 0)
                wcr_image_config_dispose(&cfg);
            else
                CHECK(cfg.diff_ids == NULL && cfg.env == NULL);
        }
        if (rc == 0) {
            test_fail(__FILE__, __LINE__, "case %zu accepted: %s", i, c->doc);
            continue;
        }
        if (err.code != c->code)
            test_fail(__FILE__, __LINE__, "case %zu: code %s: %s", i,
                      wcr_err_code_name(err.code), err.msg);
        const char *prefix = c->as == AS_INDEX ? I : c->as == AS_MANIFEST ? M : C;
        if (c->msg && (!err.msg || strcmp(err.msg, c->msg) != 0))
            test_fail(__FILE__, __LINE__, "case %zu:\n  got  %s\n  want %s", i, err.msg, c->msg);
        else if (!c->msg && (!err.msg || strncmp(err.msg, prefix, strlen(prefix)) != 0))
            test_fail(__FILE__, __LINE__, "case %zu: %s", i, err.msg);
        wcr_err_dispose(&err);
    }
}

TEST(size_caps_apply_before_parsing)
{
    /* A valid document padded with blanks up to the cap, then one more. */
    size_t cap = WCR_MANIFEST_MAX_SIZE, big_len = WCR_CONFIG_MAX_SIZE + 1;
    char *big = malloc(big_len);
    REQUIRE(big);
    memset(big, ' ', big_len);
    char *doc = q(oci_manifest);
    memcpy(big, doc, strlen(doc));
    free(doc);
    wcr_manifest m;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_manifest_parse(&m, NAME, NULL, big, cap, &err), 0);
    wcr_manifest_dispose(&m);
    CHECK_INT(wcr_manifest_parse(&m, NAME, NULL, big, (size_t)5 << 20, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    CHECK_STR(err.msg, M "5.0 MiB is more than the limit of 4.0 MiB");
    wcr_index idx;
    CHECK_INT(wcr_index_parse(&idx, NAME, NULL, big, cap + 1, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    wcr_doc_kind kind;
    CHECK_INT(wcr_manifest_detect(&kind, NAME, NULL, big, cap + 1, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);

    memset(big, ' ', big_len);
    doc = q("{'architecture':'amd64','os':'linux'," ROOTFS "}");
    memcpy(big, doc, strlen(doc));
    free(doc);
    wcr_image_config c;
    CHECK_INT(wcr_image_config_parse(&c, NAME, big, WCR_CONFIG_MAX_SIZE, &err), 0);
    wcr_image_config_dispose(&c);
    CHECK_INT(wcr_image_config_parse(&c, NAME, big, WCR_CONFIG_MAX_SIZE + 1, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    CHECK_STR(err.msg, C "8.0 MiB is more than the limit of 8.0 MiB");
    free(big);
    wcr_err_dispose(&err);
}

/* ---- image configs --------------------------------------------------------- */

/* What a Windows base image's config looks like (Docker format). */
static const char nanoserver_config[] =
    "{'architecture':'amd64','config':{'Env':null,'Cmd':['c:\\\\windows\\\\system32\\\\cmd.exe'],"
    "'Image':'','Volumes':null,'WorkingDir':'','Entrypoint':null,'OnBuild':null,'Labels':null,"
    "'User':'ContainerUser'},'created':'2024-03-08T03:27:45.0932227Z',"
    "'history':[{'created':'2024-03-05T00:00:00Z','created_by':'Apply image 10.0.20348.2340'}],"
    "'os':'windows','os.version':'10.0.20348.2340',"
    "'rootfs':{'type':'layers','diff_ids':['" DA "']}}";

TEST(windows_config_with_nulls)
{
    wcr_image_config c;
    wcr_err err = WCR_ERR_INIT;
    if (config_q(&c, nanoserver_config, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_STR(c.platform.os, "windows");
    CHECK_STR(c.platform.arch, "amd64");
    CHECK_STR(c.platform.os_version, "10.0.20348.2340");
    CHECK_STR(c.user, "ContainerUser");
    CHECK_STR(c.working_dir, "");
    CHECK_INT(c.n_env, 0);
    CHECK_INT(c.n_entrypoint, 0);
    REQUIRE(c.n_cmd == 1);
    CHECK_STR(c.cmd[0], "c:\\windows\\system32\\cmd.exe");
    CHECK_INT(c.n_labels, 0);
    CHECK_INT(c.n_volumes, 0);
    CHECK(!c.args_escaped);
    CHECK(c.stop_signal == NULL);
    REQUIRE(c.n_diff_ids == 1);
    CHECK_STR(c.diff_ids[0], DA);
    wcr_image_config_dispose(&c);
    wcr_image_config_dispose(&c);
    wcr_image_config_dispose(NULL);
}

/* The image spec's example config, on arm64. */
static const char oci_config[] =
    "{'created':'2015-10-31T22:22:56.015925234Z',"
    "'author':'Alyssa P. Hacker <alyspdev@example.com>',"
    "'architecture':'arm64','variant':'v8','os':'linux',"
    "'config':{'User':'alice','ExposedPorts':{'8080/tcp':{},'53/udp':{}},"
    "'Env':['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin','FOO=oci_is_a'],"
    "'Entrypoint':['/bin/my-app-binary'],"
    "'Cmd':['--foreground','--config','/etc/my-app.d/default.cfg'],"
    "'Volumes':{'/var/job-result-data':{},'/var/log/my-app-logs':{}},"
    "'WorkingDir':'/home/alice',"
    "'Labels':{'com.example.project.git.url':'https://example.com/project.git',"
    "'com.example.project.git.commit':'45a939b2999782a3f005621a8d0f29aa387e1d6b'},"
    "'StopSignal':'SIGTERM','ArgsEscaped':true},"
    "'rootfs':{'diff_ids':['" DA "','" DB "'],'type':'layers'},"
    "'history':[{'created':'2015-10-31T22:22:54.690851953Z','created_by':'/bin/sh -c #(nop) "
    "ADD file:a3bc1e842b69636f9df5256c49c5374fb4eef1e281fe3f282c65fb853ee171c5 in /'}]}";

TEST(oci_config_with_everything)
{
    wcr_image_config c;
    wcr_err err = WCR_ERR_INIT;
    if (config_q(&c, oci_config, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    CHECK_STR(c.platform.os, "linux");
    CHECK_STR(c.platform.arch, "arm64");
    CHECK_STR(c.platform.variant, ""); /* v8 is arm64's default */
    CHECK_STR(c.user, "alice");
    REQUIRE(c.n_exposed_ports == 2);
    CHECK_STR(c.exposed_ports[0], "8080/tcp");
    CHECK_STR(c.exposed_ports[1], "53/udp");
    REQUIRE(c.n_env == 2);
    CHECK_STR(c.env[1], "FOO=oci_is_a");
    REQUIRE(c.n_entrypoint == 1);
    CHECK_STR(c.entrypoint[0], "/bin/my-app-binary");
    REQUIRE(c.n_cmd == 3);
    CHECK_STR(c.cmd[2], "/etc/my-app.d/default.cfg");
    REQUIRE(c.n_volumes == 2);
    CHECK_STR(c.volumes[1], "/var/log/my-app-logs");
    CHECK_STR(c.working_dir, "/home/alice");
    REQUIRE(c.n_labels == 2);
    CHECK_STR(c.labels[0].key, "com.example.project.git.url");
    CHECK_STR(c.labels[0].value, "https://example.com/project.git");
    CHECK_STR(c.stop_signal, "SIGTERM");
    CHECK(c.args_escaped);
    REQUIRE(c.n_diff_ids == 2);
    CHECK_STR(c.diff_ids[1], DB);

    /* The manifest above has three layers, this config two. */
    wcr_manifest m;
    REQUIRE(manifest_q(&m, NULL, oci_manifest, NULL) == 0);
    CHECK_INT(wcr_image_check(&m, &c, NAME, &err), -1);
    CHECK_STR(err.msg, "image " NAME ": the manifest has 3 layers but the config's "
                       "rootfs.diff_ids lists 2");
    wcr_manifest_dispose(&m);
    REQUIRE(manifest_q(&m, NULL, MANIFEST_WITH(L_OK "," L_OK), NULL) == 0);
    CHECK_INT(wcr_image_check(&m, &c, NAME, NULL), 0);
    wcr_manifest_dispose(&m);
    wcr_image_config_dispose(&c);
    wcr_err_dispose(&err);
}

/* ---- chain IDs ---------------------------------------------------------------- */

TEST(chain_ids_follow_the_image_spec)
{
    /* Expected values computed with sha256sum:
     *   printf '%s %s' "$chain_prev" "$diff" | sha256sum */
    const char *diffs[] = { DA, DB, DC, DD };
    static const char *const want[] = {
        DA,
        "sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676",
        "sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106",
        "sha256:06fbcbb60fe359170a9d90b2d31086f6677f54d88742cc992bff6403e12d943b",
    };
    char out[4][WCR_DIGEST_SHA256_LEN + 1];
    wcr_err err = WCR_ERR_INIT;
    if (wcr_image_chain_ids(diffs, 4, out, &err) < 0) {
        test_fail(__FILE__, __LINE__, "%s", err.msg);
        wcr_err_dispose(&err);
        return;
    }
    for (size_t i = 0; i < 4; i++)
        CHECK_STR(out[i], want[i]);
    /* A prefix of the layers has a prefix of the chain. */
    char two[2][WCR_DIGEST_SHA256_LEN + 1];
    REQUIRE(wcr_image_chain_ids(diffs, 2, two, NULL) == 0);
    CHECK_STR(two[1], want[1]);
    CHECK_INT(wcr_image_chain_ids(diffs, 0, out, NULL), 0);

    const char *bad[] = { DA, "sha512:" "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                              "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" };
    CHECK_INT(wcr_image_chain_ids(bad, 2, out, &err), -1);
    CHECK_STR(err.msg, "chain IDs: diff_ids[1] is not a sha256 digest");
    wcr_err_dispose(&err);
}

TEST_MAIN()
