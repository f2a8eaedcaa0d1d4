package dev.flinkelt.extract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyTextRowTest {
    private final CopyTextRow rows = new CopyTextRow();

    private static byte[] row(String copyText) {
        return copyText.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainValuesNullsAndEmptyStrings() {
        assertThat(rows.split(row("1\tabc\t\\N\t\n"), 4)).containsExactly("1", "abc", null, "");
        assertThat(rows.split(row("\\N\n"), 1)).containsExactly((String) null);
        assertThat(rows.split(row("\n"), 1)).containsExactly("");
    }

    @Test
    void escapesAreUndoneAndABackslashedNIsText() {
        assertThat(rows.split(row("a\\tb\\nc\\rd\\\\e\t\\\\N\t\\b\\f\\v\n"), 3))
                .containsExactly("a\tb\nc\rd\\e", "\\N", "\b\f\u000b");
        assertThat(rows.split(row("\\101\\x42\\7\n"), 1)).containsExactly("AB\u0007");
    }

    @Test
    void multiByteTextIsDecodedWhetherEscapedOrNot() {
        assertThat(rows.split(row("grüße 日本\tü\\tß\n"), 2)).containsExactly("grüße 日本", "ü\tß");
    }

    @Test
    void onlyTheWantedValuesAreDecodedAndTheWidthIsStillChecked() {
        boolean[] key = {false, true, false};
        assertThat(rows.split(row("a\\\\b\\t7\\tx\t42\t\\N\n"), 3, key))
                .containsExactly(null, "42", null);
        assertThatThrownBy(() -> rows.split(row("1\t2\n"), 3, key))
                .hasMessageContaining("2 of the 3");
    }

    @Test
    void aTabInsideAnEscapeDoesNotSplit() {
        assertThat(rows.split(row("x\\\\\ty\n"), 2)).containsExactly("x\\", "y");
    }

    @Test
    void aRowOfTheWrongWidthIsRefusedWithoutItsValues() {
        assertThatThrownBy(() -> rows.split(row("secret\tvalue\n"), 3))
                .hasMessageNotContaining("secret")
                .hasMessageContaining("2 of the 3");
        assertThatThrownBy(() -> rows.split(row("secret\tvalue\n"), 1))
                .hasMessageNotContaining("secret");
    }
}
