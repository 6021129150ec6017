/* Registry authentication: the WWW-Authenticate challenge, credentials
 * from -u and from ~/.docker/config.json. */
#ifndef WCR_IMAGE_AUTH_H
#define WCR_IMAGE_AUTH_H

#include <stdbool.h>

#include "wcr/err.h"

typedef enum wcr_auth_scheme { WCR_AUTH_NONE, WCR_AUTH_BASIC, WCR_AUTH_BEARER } wcr_auth_scheme;

typedef struct wcr_challenge {
    wcr_auth_scheme scheme;
    char *realm;    /* Bearer: the token server's URL */
    char *service;
    char *scope;
} wcr_challenge;

/* Parse a WWW-Authenticate value (RFC 7235: scheme, then comma-separated
 * name=value or name="quoted value"). When several challenges are given,
 * Bearer wins over Basic. Unknown schemes are an error (WCR_E_AUTH). */
int wcr_challenge_parse(const char *header, wcr_challenge *out, wcr_err *err);
void wcr_challenge_dispose(wcr_challenge *c);

typedef struct wcr_creds {
    char *username;
    char *password;
    /* An OAuth2 refresh token instead of a password ("identitytoken" in
     * config.json, or a helper's Username "<token>", as `az acr login`
     * stores them): traded at the token server with a POST. */
    char *identity_token;
} wcr_creds;

void wcr_creds_dispose(wcr_creds *c);

/* "USER:PASSWORD" as given to -u. */
int wcr_creds_parse(const char *user_pass, wcr_creds *out, wcr_err *err);

/* Credentials for `host` (as in the reference: docker.io, 127.0.0.1:5000)
 * from $DOCKER_CONFIG/config.json or ~/.docker/config.json: its "auths"
 * entry ("auth": base64 of user:password, "username"/"password", or
 * "identitytoken"), keyed
 * by the host, https://host, http://host, or for Docker Hub
 * https://index.docker.io/v1/. A credential helper named for the host in
 * "credHelpers", or for all in "credsStore", is asked instead, as Docker
 * does (`docker-credential-NAME get` on PATH). Returns 1 and fills out
 * when found, 0 when there is no file, no entry or nothing stored, -1 on a
 * malformed file or a helper that cannot be run or fails. `config_path`
 * overrides the file (tests). */
int wcr_creds_from_docker_config(const char *host, const char *config_path, wcr_creds *out,
                                 wcr_err *err);

#endif
