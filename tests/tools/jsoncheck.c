/* jsoncheck FILE: exit 0 when FILE holds valid JSON, 1 when it does not
 * (the reason goes to stderr), 2 when it cannot be read. Used by checks
 * outside the unit tests (shell and bats). */
#include <stdio.h>
#include <stdlib.h>

#include "core/json.h"
#include "os/os.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: jsoncheck FILE\n");
        return 2;
    }
    wcr_err err = WCR_ERR_INIT;
    char *text = NULL;
    size_t len = 0;
    if (wcr_os_read_file(argv[1], WCR_JSON_DEFAULT_MAX_SIZE, &text, &len, &err) < 0) {
        char *msg = wcr_err_format(&err, false);
        fprintf(stderr, "jsoncheck: %s\n", msg ? msg : "cannot read the file");
        free(msg);
        wcr_err_dispose(&err);
        return 2;
    }
    wcr_json_doc *doc = NULL;
    int rc = wcr_json_parse(&doc, text, len, NULL, &err);
    free(text);
    if (rc < 0) {
        char *msg = wcr_err_format(&err, false);
        fprintf(stderr, "jsoncheck: %s: %s\n", argv[1], msg ? msg : "invalid JSON");
        free(msg);
        wcr_err_dispose(&err);
        return 1;
    }
    wcr_json_doc_free(doc);
    return 0;
}
