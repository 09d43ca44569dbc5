package dev.waymark.auth;

import java.util.Optional;

/** Who sent a request: the SigV4 credential it was signed with, or nobody for an unsigned request. */
public record Caller(Optional<CredentialScope> credential) {
    public static final Caller ANONYMOUS = new Caller(Optional.empty());

    public Optional<String> accessKeyId() {
        return credential.map(CredentialScope::accessKeyId);
    }
}
