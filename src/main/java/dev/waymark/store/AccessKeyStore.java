package dev.waymark.store;

import dev.waymark.auth.AccessKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Access keys. */
public interface AccessKeyStore {
    void insert(AccessKey key);

    /** Inserts the key, or replaces the secret and scope of the key with the same id. */
    void upsert(AccessKey key);

    Optional<AccessKey> find(String id);

    /** Every key, revoked ones included, oldest first. */
    List<AccessKey> list();

    /** Revokes the key; false when there is no such key or it was revoked already. */
    boolean revoke(String id, Instant at);

    /** Creates {@code key} only if there is no key at all yet; true when it did. */
    boolean insertIfNone(AccessKey key);
}
