/* Reading image documents (internal to src/image): the JSON with its size
 * cap, and typed member getters whose errors name the document and the
 * field ("manifest sha256:...: layers[2].size: not an integer"). Strings
 * are copied into the caller's arena. */
#ifndef WCR_IMAGE_DOC_H
#define WCR_IMAGE_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/json.h"
#include "image/manifest.h"
#include "wcr/err.h"

/* Longest field path kept in messages ("manifests[12].platform.os"). */
#define IMG_FIELD_MAX 128

typedef struct img_doc {
    char what[160];     /* "manifest sha256:..." */
    wcr_json_doc *json;
    const wcr_json *root;
    wcr_arena *arena;
    wcr_err *err;
} img_doc;

/* Parse data as the JSON object of a document: `word` says what it is
 * ("manifest", "image config"), name which one; limit is its size cap. */
int img_doc_open(img_doc *d, const char *word, const char *name, const char *data, size_t len,
                 size_t limit, wcr_arena *arena, wcr_err *err);
void img_doc_close(img_doc *d);

/* "<what>: <field>: <why>" (no field part when field is NULL or ""). */
int img_fail(img_doc *d, wcr_err_code code, const char *field, const char *fmt, ...)
    WCR_PRINTF(4, 5);

/* field + "." + key into out (IMG_FIELD_MAX bytes); key alone at the top. */
void img_field(char *out, const char *field, const char *key);
/* field + "[i]" into out. */
void img_field_index(char *out, const char *field, size_t i);

/* The member, or NULL when absent or null. */
const wcr_json *img_member(const wcr_json *obj, const char *key);

/* Members of obj (whose path is `field`). *out is NULL when the member is
 * absent; required ones fail then. */
int img_get_string(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const char **out);
int img_get_bool(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                 bool *out);
int img_get_object(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const wcr_json **out);
int img_get_array(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                  bool required, const wcr_json **out);
/* A list of strings; empty when absent. */
int img_get_strings(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                    const char *const **out, size_t *n);
/* An object of strings; empty when absent. */
int img_get_kv(img_doc *d, const wcr_json *obj, const char *field, const char *key,
               const wcr_kv **out, size_t *n);
/* The keys of an object (values ignored); empty when absent. */
int img_get_keys(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                 const char *const **out, size_t *n);
/* A digest (wcr_digest_check). */
int img_get_digest(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const char **out);

/* A descriptor at `field` (an object). with_platform reads "platform". */
int img_descriptor(img_doc *d, const wcr_json *v, const char *field, bool with_platform,
                   wcr_descriptor *out);

/* "schemaVersion" must be 2. */
int img_schema_version(img_doc *d);

#endif
