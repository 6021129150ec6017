/* Types shared by containerd's services: labels (map<string,string>),
 * mounts (containerd.types.Mount), descriptors, platforms, Any values, and
 * the helpers every service file uses to read its messages. */
#ifndef WCR_CONTAINERD_TYPES_H
#define WCR_CONTAINERD_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/pb.h"
#include "wcr/err.h"

/* Labels, owned; keys are unique. */
typedef struct wcr_labels {
    char **keys;
    char **values;
    size_t n;
} wcr_labels;

/* Set key to value (replacing an existing value). */
int wcr_labels_set(wcr_labels *l, const char *key, const char *value, wcr_err *err);
/* The value of key, or NULL. Borrowed. */
const char *wcr_labels_get(const wcr_labels *l, const char *key);
void wcr_labels_dispose(wcr_labels *l);
/* Write as map entries of `field`, in key order (so encodings are stable). */
void wcr_labels_put(wcr_buf *b, uint32_t field, const wcr_labels *l);
/* Read one map entry field into l. */
int wcr_labels_add_entry(wcr_labels *l, const wcr_pb_field *f, wcr_err *err);

/* containerd.types.Mount: type = 1, source = 2, target = 3, options = 4. */
typedef struct wcr_mount {
    char *type;
    char *source;
    char *target;
    char **options;
    size_t noptions;
} wcr_mount;

typedef struct wcr_mounts {
    wcr_mount *items;
    size_t n;
} wcr_mounts;

void wcr_mounts_dispose(wcr_mounts *m);
/* Read one Mount message field and append it. */
int wcr_mounts_add(wcr_mounts *m, const wcr_pb_field *f, wcr_err *err);
/* Write every mount as a repeated Mount field. */
void wcr_mounts_put(wcr_buf *b, uint32_t field, const wcr_mounts *m);
/* Append a mount (copies the strings). */
int wcr_mounts_push(wcr_mounts *m, const char *type, const char *source, const char *target,
                    const char *const *options, size_t noptions, wcr_err *err);

/* A repeated string field's values, owned and NULL-terminated. */
typedef struct wcr_strv {
    char **v;
    size_t n;
} wcr_strv;

int wcr_strv_push(wcr_strv *s, const char *value, wcr_err *err);
int wcr_strv_add_field(wcr_strv *s, const wcr_pb_field *f, wcr_err *err);
void wcr_strv_dispose(wcr_strv *s);
/* Write each of v[0..n) as one element of a repeated string field (the
 * `filters` of List calls). */
void wcr_ctd_put_strings(wcr_buf *b, uint32_t field, const char *const *v, size_t n);

/* A Timestamp field, left out when it is zero (unset). */
void wcr_ctd_put_timestamp_opt(wcr_buf *b, uint32_t field, const wcr_pb_timestamp *ts);

/* --- reading messages into structs -------------------------------------------
 * Each struct a service decodes has a type record: its size, a reader that
 * fills a zeroed struct (or one an earlier occurrence of the same field
 * filled: protobuf merges a message field sent twice) and a dispose. The
 * helpers below dispose the struct when reading fails, so callers are left
 * with nothing allocated. */
typedef struct wcr_ctd_type {
    const char *name;   /* for errors: "image" */
    size_t size;
    int (*read)(wcr_pb_reader *r, void *out, wcr_err *err);
    void (*dispose)(void *p);
} wcr_ctd_type;

/* Read the rest of r as a message of type t. */
int wcr_ctd_read(wcr_pb_reader *r, const wcr_ctd_type *t, void *out, wcr_err *err);
/* Read message field f as type t. */
int wcr_ctd_get(const wcr_pb_field *f, const wcr_ctd_type *t, void *out, wcr_err *err);
/* A response whose content is message field `number` (GetImageResponse's
 * image = 1): every occurrence is read into out, other fields skipped. */
int wcr_ctd_decode_field(const void *data, size_t len, uint32_t number, const wcr_ctd_type *t,
                         void *out, wcr_err *err);

/* Lists are structs {T *items; size_t n;}. */
/* Room for one more element: the (moved) array with element n zeroed, or
 * NULL with err set (the old array is untouched). */
void *wcr_ctd_list_grow(void *items, size_t n, size_t size, wcr_err *err);
/* Dispose every element and free the array. */
void wcr_ctd_list_free(void *items, size_t n, const wcr_ctd_type *t);

/* Define `static int fn(void *list, const wcr_pb_field *f, wcr_err *err)`,
 * appending an element read from message field f as type t (a
 * wcr_ctd_type) to a list of type list_t. */
#define WCR_CTD_DEFINE_LIST_ADD(fn, list_t, t)                                      \
    static int fn(void *list, const wcr_pb_field *f, wcr_err *err)                  \
    {                                                                               \
        list_t *l_ = list;                                                          \
        void *items_ = wcr_ctd_list_grow(l_->items, l_->n, sizeof *l_->items, err); \
        if (!items_)                                                                \
            return -1;                                                              \
        l_->items = items_;                                                         \
        if (wcr_ctd_get(f, &(t), &l_->items[l_->n], err) < 0)                       \
            return -1;                                                              \
        l_->n++;                                                                    \
        return 0;                                                                   \
    }

/* Hand every occurrence of field `number` in a message to add(). */
typedef int (*wcr_ctd_add_fn)(void *list, const wcr_pb_field *f, wcr_err *err);
int wcr_ctd_decode_each(const void *data, size_t len, uint32_t number, wcr_ctd_add_fn add,
                        void *list, wcr_err *err);

/* --- google.protobuf.Any, owned ----------------------------------------------
 * The runtime spec, runtime and task options, events. Set when type_url is
 * not NULL; an unset Any is not written at all. */
typedef struct wcr_ctd_any {
    char *type_url;
    uint8_t *value; /* NULL when empty */
    size_t len;
} wcr_ctd_any;

int wcr_ctd_any_set(wcr_ctd_any *a, const char *type_url, const void *value, size_t len,
                    wcr_err *err);
void wcr_ctd_any_dispose(wcr_ctd_any *a);
void wcr_ctd_any_put(wcr_buf *b, uint32_t field, const wcr_ctd_any *a);
/* Read an Any field (replacing what a holds). */
int wcr_ctd_any_get(const wcr_pb_field *f, wcr_ctd_any *a, wcr_err *err);

/* map<string, google.protobuf.Any>: container extensions, diff payloads. */
typedef struct wcr_ctd_any_map {
    char **keys;
    wcr_ctd_any *values;
    size_t n;
} wcr_ctd_any_map;

/* Set key (replacing an existing value); copies everything. */
int wcr_ctd_any_map_set(wcr_ctd_any_map *m, const char *key, const char *type_url,
                        const void *value, size_t len, wcr_err *err);
/* Borrowed, or NULL. */
const wcr_ctd_any *wcr_ctd_any_map_get(const wcr_ctd_any_map *m, const char *key);
void wcr_ctd_any_map_dispose(wcr_ctd_any_map *m);
/* Write as map entries of `field`, in key order. */
void wcr_ctd_any_map_put(wcr_buf *b, uint32_t field, const wcr_ctd_any_map *m);
/* Read one map entry field into m. */
int wcr_ctd_any_map_add_entry(wcr_ctd_any_map *m, const wcr_pb_field *f, wcr_err *err);

/* --- containerd.types.Descriptor ----------------------------------------------
 * media_type = 1, digest = 2, size = 3, annotations = 5 (4 is unused in
 * every version). Named wcr_ctd_ to keep it apart from OCI's descriptor. */
typedef struct wcr_ctd_descriptor {
    char *media_type;
    char *digest;
    int64_t size;
    wcr_labels annotations;
} wcr_ctd_descriptor;

extern const wcr_ctd_type wcr_ctd_descriptor_type;
void wcr_ctd_descriptor_dispose(wcr_ctd_descriptor *d);
/* Copy the strings (annotations are left alone). */
int wcr_ctd_descriptor_set(wcr_ctd_descriptor *d, const char *media_type, const char *digest,
                           int64_t size, wcr_err *err);
/* The message body, and a field holding it (always written: 1.6 treats an
 * image's target as a required value). */
void wcr_ctd_descriptor_write(wcr_buf *b, const wcr_ctd_descriptor *d);
void wcr_ctd_descriptor_put(wcr_buf *b, uint32_t field, const wcr_ctd_descriptor *d);

/* --- containerd.types.Platform ------------------------------------------------
 * os = 1, architecture = 2, variant = 3 in every version; os_version = 4
 * came with containerd 2.0 and os_features = 5 with the 2.4 API: older
 * versions never send them, so they stay empty there. wcr only reads
 * platforms. */
typedef struct wcr_ctd_platform {
    char *os;
    char *architecture;
    char *variant;
    char *os_version;     /* 2.0+ */
    wcr_strv os_features; /* 2.4+ */
} wcr_ctd_platform;

typedef struct wcr_ctd_platforms {
    wcr_ctd_platform *items;
    size_t n;
} wcr_ctd_platforms;

extern const wcr_ctd_type wcr_ctd_platform_type;
void wcr_ctd_platform_dispose(wcr_ctd_platform *p);
void wcr_ctd_platforms_dispose(wcr_ctd_platforms *l);
/* Append the Platform in message field f. */
int wcr_ctd_platforms_add(wcr_ctd_platforms *l, const wcr_pb_field *f, wcr_err *err);

#endif
