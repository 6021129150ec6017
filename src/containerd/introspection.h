/* containerd.services.introspection.v1.Introspection: which plugins
 * containerd loaded (and why others failed), and the server's identity. */
#ifndef WCR_CONTAINERD_INTROSPECTION_H
#define WCR_CONTAINERD_INTROSPECTION_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"

/* Plugin: type = 1, id = 2, requires = 3, platforms = 4, exports = 5,
 * capabilities = 6, init_err = 7 (google.rpc.Status: code = 1, message =
 * 2; its details = 3 are skipped). */
typedef struct wcr_plugin {
    char *type;                  /* "io.containerd.snapshotter.v1" */
    char *id;                    /* "windows", "overlayfs" */
    wcr_strv requires;
    wcr_ctd_platforms platforms;
    wcr_labels exports;
    wcr_strv capabilities;
    bool failed;                 /* init_err was sent: the plugin did not load */
    int32_t init_err_code;       /* a gRPC status code */
    char *init_err_message;
} wcr_plugin;

typedef struct wcr_plugins {
    wcr_plugin *items;
    size_t n;
} wcr_plugins;

void wcr_plugin_dispose(wcr_plugin *p);
void wcr_plugins_dispose(wcr_plugins *l);

/* DeprecationWarning (2.0+): id = 1, message = 2, last_occurrence = 3. */
typedef struct wcr_deprecation {
    char *id;
    char *message;
    wcr_pb_timestamp last_occurrence;
} wcr_deprecation;

typedef struct wcr_deprecations {
    wcr_deprecation *items;
    size_t n;
} wcr_deprecations;

/* ServerResponse: uuid = 1 (1.6 sends only this); pid = 2 and pidns = 3
 * came with 1.7, deprecations = 4 with 2.0 (and later 1.7 releases); they
 * stay 0 / empty with older versions. */
typedef struct wcr_ctd_server_info {
    char *uuid;
    uint64_t pid;
    uint64_t pidns;
    wcr_deprecations deprecations;
} wcr_ctd_server_info;

void wcr_ctd_server_info_dispose(wcr_ctd_server_info *s);

/* filters: containerd's filter syntax ("type==io.containerd.snapshotter.v1",
 * "id==windows"); none: every plugin. */
int wcr_introspection_plugins(wcr_ctd *c, const char *const *filters, size_t nfilters,
                              wcr_plugins *out, wcr_err *err);
int wcr_introspection_server(wcr_ctd *c, wcr_ctd_server_info *out, wcr_err *err);

/* Messages, for tests against protoc. */
/* PluginsRequest: filters = 1. */
void wcr_introspection_encode_plugins(wcr_buf *b, const char *const *filters, size_t nfilters);
/* PluginsResponse: plugins = 1. */
int wcr_introspection_decode_plugins(const void *data, size_t len, wcr_plugins *out,
                                     wcr_err *err);
int wcr_introspection_decode_server(const void *data, size_t len, wcr_ctd_server_info *out,
                                    wcr_err *err);

#endif
