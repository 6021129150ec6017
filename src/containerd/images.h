/* containerd.services.images.v1.Images: the image records (name ->
 * target descriptor). */
#ifndef WCR_CONTAINERD_IMAGES_H
#define WCR_CONTAINERD_IMAGES_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"

typedef struct wcr_image {
    char *name;
    wcr_labels labels;
    wcr_ctd_descriptor target;
    wcr_pb_timestamp created_at, updated_at;
} wcr_image;

typedef struct wcr_images {
    wcr_image *items;
    size_t n;
} wcr_images;

void wcr_image_dispose(wcr_image *im);
void wcr_images_dispose(wcr_images *l);

int wcr_images_get(wcr_ctd *c, const char *name, wcr_image *out, wcr_err *err);
int wcr_images_list(wcr_ctd *c, const char *const *filters, size_t nfilters, wcr_images *out,
                    wcr_err *err);
/* Create the record (ALREADY_EXISTS, WCR_E_EXISTS, when the name is
 * taken: update it instead). out (may be NULL) gets the stored record. */
int wcr_images_create(wcr_ctd *c, const wcr_image *image, wcr_image *out, wcr_err *err);
/* Update the fields named by paths ("labels", "labels.<key>", "target";
 * none: all). */
int wcr_images_update(wcr_ctd *c, const wcr_image *image, const char *const *paths,
                      size_t npaths, wcr_image *out, wcr_err *err);
/* sync: return only after the garbage collection the delete triggers. */
int wcr_images_delete(wcr_ctd *c, const char *name, bool sync, wcr_err *err);

/* Messages, for tests against protoc. Image: name = 1, labels = 2,
 * target = 3, created_at = 7, updated_at = 8 (4-6 unused in every
 * version). containerd 1.7 added CreateImageRequest.source_date_epoch = 2
 * and UpdateImageRequest.source_date_epoch = 3, 2.0 added
 * DeleteImageRequest.target = 3 (delete only if the target matches); wcr
 * sends none of them, as older versions would ignore them silently. */
/* GetImageRequest: name = 1. */
void wcr_images_encode_get(wcr_buf *b, const char *name);
/* ListImagesRequest: filters = 1. */
void wcr_images_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters);
/* CreateImageRequest: image = 1. */
void wcr_images_encode_create(wcr_buf *b, const wcr_image *image);
/* UpdateImageRequest: image = 1, update_mask = 2. */
void wcr_images_encode_update(wcr_buf *b, const wcr_image *image, const char *const *paths,
                              size_t npaths);
/* DeleteImageRequest: name = 1, sync = 2. */
void wcr_images_encode_delete(wcr_buf *b, const char *name, bool sync);
/* Get-, Create- and UpdateImageResponse: image = 1. */
int wcr_images_decode_image(const void *data, size_t len, wcr_image *out, wcr_err *err);
/* ListImagesResponse: images = 1. */
int wcr_images_decode_list(const void *data, size_t len, wcr_images *out, wcr_err *err);

#endif
