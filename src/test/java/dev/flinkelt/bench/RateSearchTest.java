package dev.flinkelt.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class RateSearchTest {
    static List<Integer> tried(int from, IntPredicate sustains) {
        RateSearch s = new RateSearch(from);
        List<Integer> out = new ArrayList<>();
        for (int r = s.next(); r > 0; r = s.next()) {
            out.add(r);
            s.result(r, sustains.test(r));
        }
        return out;
    }

    @Test
    void doublesUntilARateIsNotSustainedThenBisectsTwice() {
        assertThat(tried(5_000, r -> r <= 27_000))
                .containsExactly(5_000, 10_000, 20_000, 40_000, 30_000, 25_000);
    }

    @Test
    void halvesFromAStartThatIsNotSustained() {
        assertThat(tried(8_000, r -> r <= 3_000))
                .containsExactly(8_000, 4_000, 2_000, 3_000, 3_500);
    }

    @Test
    void stopsAtTheCapWhenEveryRateIsSustained() {
        assertThat(tried(40_000, r -> true)).containsExactly(40_000, 80_000, 160_000);
    }
}
