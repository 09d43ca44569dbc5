package dev.waymark.audience;

import dev.waymark.rules.RuleViolation;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Pinpoint's limit of 15 endpoints per user. A 16th endpoint on a push channel pushes out the user's push endpoint
 * with the oldest EffectiveDate (it becomes INACTIVE and loses its UserId); on any other channel it is refused.
 */
final class UserRules {
    static final int MAX_ENDPOINTS_PER_USER = 15;
    static final Set<String> PUSH_CHANNELS =
            Set.of("ADM", "GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU");

    /** An endpoint of a user as the limit sees it. */
    record Member(String key, String channelType, long effectiveMs) {}

    private UserRules() {}

    /**
     * Whether {@code joining} may join a user whose endpoints are {@code members} (not including it): empty when there
     * is room, else the key of the push endpoint to push out; a RuleViolation when it may not join.
     * {@code kept} are keys that may not be pushed out (those joining in the same request).
     */
    static Optional<String> admit(String userId, Collection<Member> members, Member joining, Set<String> kept) {
        if (members.size() < MAX_ENDPOINTS_PER_USER) {
            return Optional.empty();
        }
        String refused = "User '" + userId + "' already has " + members.size() + " endpoints; the limit is "
                + MAX_ENDPOINTS_PER_USER + " endpoints per user";
        if (joining.channelType() == null || !PUSH_CHANNELS.contains(joining.channelType())) {
            throw new RuleViolation(refused);
        }
        return Optional.of(members.stream()
                .filter(member -> member.channelType() != null && PUSH_CHANNELS.contains(member.channelType()))
                .filter(member -> !kept.contains(member.key()))
                .min(Comparator.comparingLong(Member::effectiveMs).thenComparing(Member::key))
                .map(Member::key)
                .orElseThrow(() -> new RuleViolation(refused + ", and none of them is a push endpoint to replace")));
    }
}
