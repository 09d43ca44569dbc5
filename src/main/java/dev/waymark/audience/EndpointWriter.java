package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.ShapeReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Applies a list of endpoint updates inside the caller's transaction, with a fixed number of statements whatever the
 * list's length: one read of the endpoints it names (and of the users it touches), the rules and merges in memory,
 * then one batched upsert and, only when needed, the statements for names, users and addresses.
 *
 * <p>Each item is checked against the state the items before it leave (two items may name one endpoint), so an
 * item refused changes nothing and the others go on as if it had not been sent.
 */
final class EndpointWriter {
    private final Dialect dialect;
    private final EndpointRules rules;
    private final AttributeRegistry registry;

    EndpointWriter(Dialect dialect, EndpointRules rules, AttributeRegistry registry) {
        this.dialect = dialect;
        this.rules = rules;
        this.registry = registry;
    }

    /** What a refusal does: refuse the item alone, or the whole list (naming the item), or the one endpoint. */
    enum Mode { EACH, ALL, ONE }

    /** A user as this request sees it: its endpoints, its (synchronised) attributes and whether they change. */
    private static final class UserState {
        final Map<String, UserRules.Member> members = new LinkedHashMap<>();
        ObjectNode attributes = Endpoint.emptyObject();
        boolean attributesChanged;
    }

    /**
     * Applies the items; the reason each refused item was refused (empty for those applied). Unless the mode is
     * EACH, the first refusal is thrown instead and nothing is written.
     */
    List<Optional<String>> apply(Handle handle, String appId, List<ObjectNode> items, Mode mode) {
        return apply(handle, appId, prepare(handle, appId, items, mode), mode);
    }

    /** Items read and checked on their own, before the transaction that applies them. */
    record Prepared(List<ObjectNode> items, List<ObjectNode> sent, List<Optional<String>> reasons, Set<String> keys,
                    Set<String> names, Set<String> userIds) {}

    /**
     * Reads and checks each item on its own (what needs no other endpoint): done outside the writing transaction
     * when the caller can, so that the single writer of SQLite holds its lock only for the rest.
     */
    Prepared prepare(Handle handle, String appId, List<ObjectNode> items, Mode mode) {
        Map<String, List<AttributeRules.Glob>> blacklist = registry.blacklist(handle, appId);
        List<ObjectNode> sent = new ArrayList<>(items.size());
        List<Optional<String>> reasons = new ArrayList<>(items.size());
        Set<String> keys = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        Set<String> userIds = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                ObjectNode item = read(items.get(i), blacklist);
                keys.add(EndpointRules.key(item.path("Id").textValue()));
                names.addAll(names(item));
                JsonNode userId = item.path("User").path("UserId");
                if (userId.isTextual()) {
                    userIds.add(userId.textValue());
                }
                sent.add(item);
                reasons.add(Optional.empty());
            } catch (RuleViolation e) {
                sent.add(null);
                reasons.add(Optional.of(e.getMessage()));
                if (mode != Mode.EACH) {
                    throw mode == Mode.ALL ? refusal(i, items.get(i), e.getMessage()) : e;
                }
            }
        }
        return new Prepared(items, sent, reasons, keys, names, userIds);
    }

    /** Applies prepared items inside the caller's transaction; the reasons of refused items. */
    List<Optional<String>> apply(Handle handle, String appId, Prepared prepared, Mode mode) {
        lock(dialect, handle, appId);
        if (dialect == Dialect.POSTGRESQL) {
            // The statements below take lists of 100 ids, users or addresses. After five executions PostgreSQL
            // switches a prepared statement to a generic plan, which for the address update scanned every endpoint of
            // the app through the app-only prefix of an index (73 ms for 33,000 endpoints, and growing with the app).
            handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        List<ObjectNode> items = prepared.items();
        List<ObjectNode> sent = prepared.sent();
        List<Optional<String>> reasons = new ArrayList<>(prepared.reasons());
        Set<String> userIds = new HashSet<>(prepared.userIds());
        Map<String, Endpoint> current = existing(handle, appId, prepared.keys());
        for (Endpoint endpoint : current.values()) {
            if (endpoint.userId() != null) {
                userIds.add(endpoint.userId());
            }
        }
        Map<String, UserState> users = users(handle, appId, userIds);
        // Rows of users' other endpoints, read only when an item changes the attributes of a user that has some.
        Map<String, Endpoint> memberRows = new HashMap<>();
        Set<String> registered = registry.known(handle, appId, prepared.names());
        Set<String> addedNames = new LinkedHashSet<>();
        Set<String> joined = new HashSet<>();
        Set<String> evicted = new HashSet<>();
        Set<String> addresses = new LinkedHashSet<>();
        Map<String, Endpoint> written = new TreeMap<>();
        for (int i = 0; i < sent.size(); i++) {
            ObjectNode item = sent.get(i);
            if (item == null) {
                continue;
            }
            try {
                String id = item.path("Id").textValue();
                String key = EndpointRules.key(id);
                Set<String> newNames = new LinkedHashSet<>(names(item));
                newNames.removeAll(registered);
                newNames.removeAll(addedNames);
                AttributeRules.checkCount(registered.size() + addedNames.size(), newNames.size());
                Optional<Endpoint> before = Optional.ofNullable(current.get(key));
                Endpoint merged = rules.merge(appId, id, item, before);
                String oldUser = before.map(Endpoint::userId).orElse(null);
                Optional<String> evict = Optional.empty();
                UserState user = null;
                JsonNode sentUser = item.path("User").path("UserAttributes");
                ObjectNode sentUserAttributes = sentUser.isObject() ? (ObjectNode) sentUser : Endpoint.emptyObject();
                if (merged.userId() != null) {
                    user = users.computeIfAbsent(merged.userId(), u -> new UserState());
                    ObjectNode base;
                    if (merged.userId().equals(oldUser)) {
                        base = user.attributes;
                    } else {
                        Map<String, UserRules.Member> others = new LinkedHashMap<>(user.members);
                        others.remove(key);
                        evict = UserRules.admit(merged.userId(), others.values(),
                                new UserRules.Member(key, merged.channelType(), merged.effectiveMs()), joined);
                        base = others.isEmpty() ? before.map(Endpoint::userAttributes).orElse(Endpoint.emptyObject())
                                : user.attributes;
                    }
                    ObjectNode attributes = base.deepCopy();
                    attributes.setAll(sentUserAttributes);
                    merged = merged.withUser(merged.userId(), attributes);
                    EndpointRules.checkSize(merged);
                    if (!sentUserAttributes.isEmpty()) {
                        checkMembersSize(handle, appId, user, key, evict, attributes, current, memberRows);
                    }
                }
                // Every check passed: the item is applied to the request's state.
                addedNames.addAll(newNames);
                if (user != null) {
                    if (!merged.userId().equals(oldUser)) {
                        if (oldUser != null && users.containsKey(oldUser)) {
                            users.get(oldUser).members.remove(key);
                        }
                        joined.add(key);
                    }
                    user.members.put(key, new UserRules.Member(key, merged.channelType(), merged.effectiveMs()));
                    user.attributes = merged.userAttributes();
                    user.attributesChanged |= !sentUserAttributes.isEmpty();
                    if (evict.isPresent()) {
                        String out = evict.get();
                        user.members.remove(out);
                        Endpoint evictedEndpoint = current.get(out);
                        if (evictedEndpoint != null) {
                            // One this request reads or writes: it is written with the rest.
                            Endpoint pushedOut = evictedEndpoint.withUser(null, Endpoint.emptyObject())
                                    .withStatus("INACTIVE");
                            written.put(out, pushedOut);
                            current.put(out, pushedOut);
                        } else {
                            evicted.add(out);
                        }
                    }
                }
                if (item.path("Address").isTextual()) {
                    addresses.add(merged.address());
                    // The endpoints this request holds lose the address now, so that a later item that updates one
                    // of them makes it ACTIVE again, as the same updates sent one by one would.
                    String address = merged.address();
                    List<String> losers = new ArrayList<>();
                    current.forEach((otherKey, other) -> {
                        if (!otherKey.equals(key) && address.equals(other.address())
                                && !"INACTIVE".equals(other.status())) {
                            losers.add(otherKey);
                        }
                    });
                    for (String loser : losers) {
                        Endpoint inactive = current.get(loser).withStatus("INACTIVE");
                        current.put(loser, inactive);
                        written.put(loser, inactive);
                    }
                }
                current.put(key, merged);
                written.put(key, merged);
            } catch (RuleViolation e) {
                reasons.set(i, Optional.of(e.getMessage()));
                if (mode != Mode.EACH) {
                    throw mode == Mode.ALL ? refusal(i, items.get(i), e.getMessage()) : e;
                }
            }
        }
        write(handle, appId, written, users, evicted, addedNames, addresses);
        return reasons;
    }

    /**
     * Refuses user attributes that would take another endpoint of the user past 15 KB: they are synchronised onto
     * every endpoint of the user, not only the one the item names.
     */
    private static void checkMembersSize(Handle handle, String appId, UserState user, String key,
                                         Optional<String> evict, ObjectNode attributes, Map<String, Endpoint> current,
                                         Map<String, Endpoint> memberRows) {
        List<String> unread = new ArrayList<>();
        for (String member : user.members.keySet()) {
            if (!member.equals(key) && !current.containsKey(member) && !memberRows.containsKey(member)) {
                unread.add(member);
            }
        }
        if (!unread.isEmpty()) {
            handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key IN (<keys>)")
                    .bind("app", appId).bindList("keys", unread).map(EndpointRows.MAPPER)
                    .forEach(endpoint -> memberRows.put(endpoint.key(), endpoint));
        }
        for (String member : user.members.keySet()) {
            Endpoint other = current.containsKey(member) ? current.get(member) : memberRows.get(member);
            if (member.equals(key) || evict.filter(member::equals).isPresent() || other == null) {
                continue;
            }
            try {
                EndpointRules.checkSize(other.withUser(other.userId(), attributes));
            } catch (RuleViolation e) {
                throw new RuleViolation("User.UserAttributes are shared by every endpoint of the user, and endpoint '"
                        + EndpointRules.shorten(other.id()) + "' would pass its limit: " + e.getMessage());
            }
        }
    }

    private void write(Handle handle, String appId, Map<String, Endpoint> written, Map<String, UserState> users,
                       Set<String> evicted, Set<String> addedNames, Set<String> addresses) {
        registry.insert(handle, appId, addedNames);
        // A user whose attributes changed: every endpoint of it written here carries them already.
        for (Map.Entry<String, Endpoint> entry : written.entrySet()) {
            Endpoint endpoint = entry.getValue();
            UserState user = endpoint.userId() == null ? null : users.get(endpoint.userId());
            if (user != null && user.attributesChanged) {
                entry.setValue(endpoint.withUser(endpoint.userId(), user.attributes));
            }
        }
        if (!written.isEmpty()) {
            EndpointRows.upsertAll(handle, dialect, appId, written.values());
        }
        long now = written.values().stream().mapToLong(Endpoint::modifiedMs).max().orElse(0);
        if (!evicted.isEmpty()) {
            handle.createUpdate("UPDATE endpoints SET user_id = NULL, user_attributes = NULL, "
                            + "endpoint_status = 'INACTIVE', modified_ms = :now WHERE app_id = :app AND id_key IN (<keys>)")
                    .bind("now", now).bind("app", appId).bindList("keys", List.copyOf(evicted)).execute();
        }
        for (Map.Entry<String, UserState> entry : users.entrySet()) {
            if (entry.getValue().attributesChanged) {
                handle.createUpdate("UPDATE endpoints SET user_attributes = "
                                + EndpointRows.json(dialect, ":attributes") + ", modified_ms = :now "
                                + "WHERE app_id = :app AND user_id = :user")
                        .bind("attributes", EndpointRows.write(entry.getValue().attributes)).bind("now", now)
                        .bind("app", appId).bind("user", entry.getKey()).execute();
            }
        }
        if (!addresses.isEmpty()) {
            // Endpoints this request did not hold lose an address sent to another endpoint: INACTIVE. Those it wrote
            // have their status from the items in order already.
            handle.createUpdate("UPDATE endpoints SET endpoint_status = 'INACTIVE', modified_ms = :now "
                            + "WHERE app_id = :app AND address IN (<addresses>) AND id_key NOT IN (<written>) "
                            + "AND endpoint_status <> 'INACTIVE'")
                    .bind("now", now).bind("app", appId)
                    .bindList("addresses", List.copyOf(addresses))
                    .bindList("written", List.copyOf(written.keySet())).execute();
        }
    }

    /** An item read against EndpointBatchItem and checked, with its blacklisted names left out. */
    private ObjectNode read(ObjectNode raw, Map<String, List<AttributeRules.Glob>> blacklist) {
        ObjectNode item;
        try {
            item = ShapeReader.read(raw, EndpointShapes.BATCH_ITEM);
        } catch (ApiException e) {
            throw new RuleViolation(e.getMessage());
        }
        EndpointRules.checkId(item.path("Id").textValue());
        rules.check(item);
        drop(item.path("Attributes"), blacklist.get("A"));
        drop(item.path("Metrics"), blacklist.get("M"));
        drop(item.path("User").path("UserAttributes"), blacklist.get("U"));
        return item;
    }

    private static void drop(JsonNode map, List<AttributeRules.Glob> globs) {
        if (globs != null && map instanceof ObjectNode object) {
            object.properties().removeIf(entry -> AttributeRules.matchesAny(entry.getKey(), globs));
        }
    }

    /** The kind-qualified attribute names an item sends. */
    private static Set<String> names(ObjectNode item) {
        Set<String> names = new HashSet<>();
        item.path("Attributes").fieldNames().forEachRemaining(name -> names.add("A:" + name));
        item.path("Metrics").fieldNames().forEachRemaining(name -> names.add("M:" + name));
        item.path("User").path("UserAttributes").fieldNames().forEachRemaining(name -> names.add("U:" + name));
        return names;
    }

    /**
     * Writes of one app's endpoints one after the other (SQLite's writer lock does it already; on PostgreSQL an
     * advisory lock until commit): users, addresses and the name count span many rows, and concurrent batches that
     * share them would otherwise deadlock or lose an update.
     */
    static void lock(Dialect dialect, Handle handle, String appId) {
        dialect.lockForTransaction(handle, "endpoints:" + appId);
    }

    private Map<String, Endpoint> existing(Handle handle, String appId, Set<String> keys) {
        Map<String, Endpoint> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key IN (<keys>) ORDER BY id_key"
                        + dialect.lockRowSuffix())
                .bind("app", appId).bindList("keys", List.copyOf(keys)).map(EndpointRows.MAPPER)
                .forEach(endpoint -> found.put(endpoint.key(), endpoint));
        return found;
    }

    private Map<String, UserState> users(Handle handle, String appId, Set<String> userIds) {
        Map<String, UserState> users = new HashMap<>();
        if (userIds.isEmpty()) {
            return users;
        }
        handle.createQuery("SELECT id_key, channel_type, effective_ms, user_id, user_attributes FROM endpoints "
                        + "WHERE app_id = :app AND user_id IN (<users>)")
                .bind("app", appId).bindList("users", List.copyOf(userIds))
                .map((rs, ctx) -> {
                    UserState user = users.computeIfAbsent(rs.getString("user_id"), u -> new UserState());
                    String key = rs.getString("id_key");
                    user.members.put(key, new UserRules.Member(key, rs.getString("channel_type"),
                            rs.getLong("effective_ms")));
                    if (user.attributes.isEmpty()) {
                        user.attributes = EndpointRows.object(rs.getString("user_attributes"));
                    }
                    return key;
                }).list();
        return users;
    }

    private static RuleViolation refusal(int index, ObjectNode raw, String reason) {
        JsonNode id = raw.path("Id");
        return new RuleViolation("Item[" + index + "]" + (id.isTextual()
                ? " (Id '" + EndpointRules.shorten(id.textValue()) + "')" : "") + ": " + reason);
    }
}
