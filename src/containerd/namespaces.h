/* containerd.services.namespaces.v1.Namespaces. */
#ifndef WCR_CONTAINERD_NAMESPACES_H
#define WCR_CONTAINERD_NAMESPACES_H

#include "containerd/client.h"
#include "containerd/types.h"

typedef struct wcr_namespace {
    char *name;
    wcr_labels labels;
} wcr_namespace;

typedef struct wcr_namespaces {
    wcr_namespace *items;
    size_t n;
} wcr_namespaces;

void wcr_namespace_dispose(wcr_namespace *ns);
void wcr_namespaces_dispose(wcr_namespaces *l);

/* Every namespace (filter: containerd's filter syntax, NULL for all). */
int wcr_namespaces_list(wcr_ctd *c, const char *filter, wcr_namespaces *out, wcr_err *err);
/* containerd answers Get for any name (with no labels when the namespace
 * does not exist); List tells whether it does. */
int wcr_namespaces_get(wcr_ctd *c, const char *name, wcr_namespace *out, wcr_err *err);
/* labels may be NULL; out (may be NULL) gets the namespace as created. */
int wcr_namespaces_create(wcr_ctd *c, const char *name, const wcr_labels *labels,
                          wcr_namespace *out, wcr_err *err);
/* Update the labels named by paths ("labels.<key>"; none: replace them
 * all). containerd's answer is empty (1.6 to 2.x), so out, if given,
 * stays empty. */
int wcr_namespaces_update(wcr_ctd *c, const wcr_namespace *ns, const char *const *paths,
                          size_t npaths, wcr_namespace *out, wcr_err *err);
/* containerd refuses to delete a namespace that still holds anything
 * (FAILED_PRECONDITION). */
int wcr_namespaces_delete(wcr_ctd *c, const char *name, wcr_err *err);

/* Messages, for tests against protoc. */
/* GetNamespaceRequest, DeleteNamespaceRequest: name = 1. */
void wcr_namespaces_encode_name(wcr_buf *b, const char *name);
/* ListNamespacesRequest: filter = 1. */
void wcr_namespaces_encode_list(wcr_buf *b, const char *filter);
/* CreateNamespaceRequest: namespace = 1. */
void wcr_namespaces_encode_create(wcr_buf *b, const char *name, const wcr_labels *labels);
/* UpdateNamespaceRequest: namespace = 1, update_mask = 2. */
void wcr_namespaces_encode_update(wcr_buf *b, const wcr_namespace *ns,
                                  const char *const *paths, size_t npaths);
/* Get-, Create- and UpdateNamespaceResponse: namespace = 1. */
int wcr_namespaces_decode_namespace(const void *data, size_t len, wcr_namespace *out,
                                    wcr_err *err);
/* ListNamespacesResponse: namespaces = 1. */
int wcr_namespaces_decode_list(const void *data, size_t len, wcr_namespaces *out, wcr_err *err);

#endif
