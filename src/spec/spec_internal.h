/* Inside src/spec: the per-OS part of a spec, behind a small vtable (the
 * target OS is a run-time choice: wcr spec --os windows runs on Linux). */
#ifndef WCR_SPEC_INTERNAL_H
#define WCR_SPEC_INTERNAL_H

#include "core/json.h"
#include "spec/spec.h"

typedef struct spec_backend {
    wcr_spec_os os;
    const char *default_cwd;
    bool env_nocase; /* Windows variable names match without case */
    /* Refuse what this OS cannot do (flags, bind paths). */
    int (*check)(const wcr_spec_input *in, wcr_err *err);
    /* Whether a path is absolute for this OS (-w). */
    bool (*abs_path)(const char *p);
    /* Resolve the user: -u, else the image's USER (may be NULL). */
    int (*user)(wcr_spec_process *p, const wcr_spec_input *in, const char *user, wcr_err *err);
    /* Variables the runtime environment adds unless the image has them. */
    int (*env_defaults)(wcr_strv *env, const wcr_spec_input *in, wcr_err *err);
    /* Inside "process": "user", then (after args, env, cwd) the rest. */
    void (*write_user)(wcr_jsonw *w, const wcr_spec_process *p);
    void (*write_process_extra)(wcr_jsonw *w, const wcr_spec_input *in);
    /* After "process": root, hostname, mounts and the OS section. */
    int (*write_rest)(wcr_jsonw *w, const wcr_spec_input *in, wcr_err *err);
} spec_backend;

extern const spec_backend spec_linux;
extern const spec_backend spec_windows;

const spec_backend *spec_backend_for(wcr_spec_os os);

/* Set (KEY=VALUE) or remove (KEY) a variable in env. */
int spec_env_apply(wcr_strv *env, const char *kv, bool nocase, wcr_err *err);
/* Whether env has KEY. */
bool spec_env_has(const wcr_strv *env, const char *key, bool nocase);

/* "key": [strings] inside an object. */
void spec_write_strings(wcr_jsonw *w, const char *key, const char *const *v, size_t n);

/* Windows path shapes: X:\... or X:/..., and \\.\pipe\name. */
bool spec_win_drive_path(const char *p);
bool spec_win_pipe(const char *p);

#endif
