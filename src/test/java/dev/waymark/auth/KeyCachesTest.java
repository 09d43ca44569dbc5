package dev.waymark.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What key ids and regions from unauthenticated clients may cost: bounded look-ups and bounded caches. */
class KeyCachesTest {
    @Test
    void keyIdsOfTheWrongFormAreNeverLookedUpAndMissesAreBoundedByWeight() {
        AtomicInteger lookups = new AtomicInteger();
        AccessKey known = new AccessKey("AKIDEXAMPLE", "secret", true, Set.of(), false, Instant.EPOCH, Optional.empty());
        KeyRing keys = new KeyRing(id -> {
            lookups.incrementAndGet();
            return id.equals(known.id()) ? Optional.of(known) : Optional.empty();
        });
        assertThat(keys.find("K".repeat(5000))).isEmpty();
        assertThat(keys.find("WMK/../x")).isEmpty();
        assertThat(lookups).hasValue(0);
        for (int i = 0; i < 50_000; i++) {
            keys.find(String.format("%0128d", i));
        }
        assertThat(keys.rememberedMisses()).isLessThan(10_000);
        assertThat(keys.find("AKIDEXAMPLE")).contains(known);
    }

    @Test
    void theSigningKeyCacheIsBoundedWhateverRegionsClientsName() {
        SignatureV4 signatures = new SignatureV4();
        for (int i = 0; i < 30_000; i++) {
            signatures.sign("secret", "20260101", "region-" + "x".repeat(20) + i, "mobiletargeting", "text");
        }
        assertThat(signatures.cachedKeys()).isLessThan(10_000);
    }
}
