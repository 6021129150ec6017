/* containerd.services.images.v1.Images: field numbers from
 * api/services/images/v1/images.proto. */
#include <stdlib.h>
#include <string.h>

#include "containerd/images.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.images.v1.Images/"

void wcr_image_dispose(wcr_image *im)
{
    if (!im)
        return;
    free(im->name);
    wcr_labels_dispose(&im->labels);
    wcr_ctd_descriptor_dispose(&im->target);
    memset(im, 0, sizeof *im);
}

static void write_image(wcr_buf *b, uint32_t field, const wcr_image *im)
{
    size_t m = wcr_pb_begin(b, field);
    wcr_pb_put_string_opt(b, 1, im->name);
    wcr_labels_put(b, 2, &im->labels);
    wcr_ctd_descriptor_put(b, 3, &im->target);
    wcr_ctd_put_timestamp_opt(b, 7, &im->created_at);
    wcr_ctd_put_timestamp_opt(b, 8, &im->updated_at);
    wcr_pb_end(b, m);
}

static int read_image(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_image *im = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &im->name, err); break;
        case 2: rc = wcr_labels_add_entry(&im->labels, &f, err); break;
        case 3: rc = wcr_ctd_get(&f, &wcr_ctd_descriptor_type, &im->target, err); break;
        case 7: rc = wcr_pb_get_timestamp(&f, &im->created_at, err); break;
        case 8: rc = wcr_pb_get_timestamp(&f, &im->updated_at, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_image(void *p)
{
    wcr_image_dispose(p);
}

static const wcr_ctd_type image_type = { "image", sizeof(wcr_image), read_image, dispose_image };

void wcr_images_dispose(wcr_images *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &image_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_image, wcr_images, image_type)

void wcr_images_encode_get(wcr_buf *b, const char *name)
{
    wcr_pb_put_string_opt(b, 1, name);
}

void wcr_images_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

void wcr_images_encode_create(wcr_buf *b, const wcr_image *image)
{
    write_image(b, 1, image);
}

void wcr_images_encode_update(wcr_buf *b, const wcr_image *image, const char *const *paths,
                              size_t npaths)
{
    write_image(b, 1, image);
    wcr_pb_put_field_mask(b, 2, paths, npaths);
}

void wcr_images_encode_delete(wcr_buf *b, const char *name, bool sync)
{
    wcr_pb_put_string_opt(b, 1, name);
    wcr_pb_put_bool_opt(b, 2, sync);
}

int wcr_images_decode_image(const void *data, size_t len, wcr_image *out, wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &image_type, out, err);
}

int wcr_images_decode_list(const void *data, size_t len, wcr_images *out, wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_image, out, err) < 0) {
        wcr_images_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_image(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_images_decode_image(data, len, out, err);
}

static int decode_list(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_images_decode_list(data, len, out, err);
}

int wcr_images_get(wcr_ctd *c, const char *name, wcr_image *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_images_encode_get(&req, name);
    if (wcr_ctd_rpc(c, SVC "Get", &req, decode_image, out, err) < 0)
        return wcr_err_wrap(err, "get image %s", name);
    return 0;
}

int wcr_images_list(wcr_ctd *c, const char *const *filters, size_t nfilters, wcr_images *out,
                    wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_images_encode_list(&req, filters, nfilters);
    if (wcr_ctd_rpc(c, SVC "List", &req, decode_list, out, err) < 0)
        return wcr_err_wrap(err, "list images");
    return 0;
}

int wcr_images_create(wcr_ctd *c, const wcr_image *image, wcr_image *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_images_encode_create(&req, image);
    if (wcr_ctd_rpc(c, SVC "Create", &req, out ? decode_image : NULL, out, err) < 0)
        return wcr_err_wrap(err, "create image %s", image->name ? image->name : "");
    return 0;
}

int wcr_images_update(wcr_ctd *c, const wcr_image *image, const char *const *paths,
                      size_t npaths, wcr_image *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_images_encode_update(&req, image, paths, npaths);
    if (wcr_ctd_rpc(c, SVC "Update", &req, out ? decode_image : NULL, out, err) < 0)
        return wcr_err_wrap(err, "update image %s", image->name ? image->name : "");
    return 0;
}

int wcr_images_delete(wcr_ctd *c, const char *name, bool sync, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_images_encode_delete(&req, name, sync);
    if (wcr_ctd_rpc(c, SVC "Delete", &req, NULL, NULL, err) < 0) {
        /* containerd's not-found text names the image already. */
        return err && err->code == WCR_E_NOT_FOUND ? -1 : wcr_err_wrap(err, "delete image %s", name);
    }
    return 0;
}
