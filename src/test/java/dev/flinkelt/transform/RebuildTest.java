package dev.flinkelt.transform;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildTest {

    @Test
    void stagingNamesAreUniqueAndFitInBytesEvenForShortMultibyteNames() {
        // 16 four-byte characters: 69 bytes in 37 Java chars (the cut used to assume at least 40
        // characters)
        String wide = "\uD83D\uDE00".repeat(16);
        String name = Rebuild.stagingName(new String[] {"out", wide});
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(Rebuild.stagingName(new String[] {"a__b", "c"}))
                .isNotEqualTo(Rebuild.stagingName(new String[] {"a", "b__c"}));
        assertThat(Rebuild.stagingName(new String[] {"analytics", "daily"}))
                .isEqualTo("analytics__daily");
    }
}
