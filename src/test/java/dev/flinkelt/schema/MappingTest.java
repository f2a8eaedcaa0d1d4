package dev.flinkelt.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a snapshot row's COPY text may be loaded as it was read. */
class MappingTest {
    @Test
    void onlyColumnForColumnWithoutCastOrEnumIsPlain() {
        assertThat(Mapping.identity(3).plain()).isTrue();
        // a raw table wider than the layout (columns the source dropped): padded by the sink
        assertThat(new Mapping(new int[] {0, 1}, 4, new EnumLabels[2]).plain()).isTrue();
        assertThat(new Mapping(new int[] {1, 0}, 2, new EnumLabels[2]).plain())
                .as("reordered")
                .isFalse();
        assertThat(new Mapping(new int[] {0, 2}, 3, new EnumLabels[2]).plain())
                .as("a raw column skipped")
                .isFalse();
        assertThat(
                        new Mapping(
                                        new int[] {0, 1},
                                        2,
                                        new EnumLabels[2],
                                        new String[] {null, "CAST(? AS numeric(6,1))"})
                                .plain())
                .as("a value to convert")
                .isFalse();
        EnumLabels[] mood = {null, new EnumLabels("public", "mood", false)};
        assertThat(new Mapping(new int[] {0, 1}, 2, mood).plain())
                .as("an enum label the warehouse may lack")
                .isFalse();
    }
}
