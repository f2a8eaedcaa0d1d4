package dev.flinkelt.bench;

/**
 * The rates of a ceiling search: from a start, doubling while the contender sustains them (up to
 * {@link #MAX}), then two bisections between the highest sustained and the lowest not sustained
 * (rounded to 500 changes/s). With a start it does not sustain, it halves instead.
 */
final class RateSearch {
    static final int MAX = 160_000;
    private static final int BISECTIONS = 2;
    private static final int STEP = 500;

    private int sustained;
    private int failed;
    private int next;
    private int bisections;

    RateSearch(int from) {
        this.next = from;
    }

    /** The next rate to try, or 0 when the search is done. */
    int next() {
        return next;
    }

    void result(int rate, boolean ok) {
        if (ok) {
            sustained = Math.max(sustained, rate);
        } else {
            failed = failed == 0 ? rate : Math.min(failed, rate);
        }
        if (failed == 0) {
            next = rate * 2 <= MAX ? rate * 2 : 0;
            return;
        }
        if (sustained == 0) {
            next = rate / 2 >= STEP ? rate / 2 : 0;
            return;
        }
        int mid = (sustained + failed) / 2 / STEP * STEP;
        next = bisections++ < BISECTIONS && mid > sustained && mid < failed ? mid : 0;
    }
}
