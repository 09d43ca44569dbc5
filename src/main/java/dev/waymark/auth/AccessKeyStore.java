package dev.waymark.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Access keys. */
public interface AccessKeyStore {
    void insert(AccessKey key);

    /**
     * Seeds a configured key atomically: inserts it, or gives a key with the same id that is not revoked the
     * configured secret and scope. A revoked key stays revoked: seeding never brings it back.
     */
    void seed(AccessKey key);

    Optional<AccessKey> find(String id);

    /** Every key, revoked ones included, oldest first. */
    List<AccessKey> list();

    /** Revokes the key; false when there is no such key or it was revoked already. */
    boolean revoke(String id, Instant at);

    /**
     * Creates {@code key} only if there is no key at all yet; true when it did. Atomic across nodes: of several
     * started together, exactly one creates a key.
     */
    boolean insertIfNone(AccessKey key);
}
