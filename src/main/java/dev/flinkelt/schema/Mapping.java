package dev.flinkelt.schema;

import dev.flinkelt.extract.ChangeEvent;

/**
 * Maps the values of one source row layout onto a raw table's source columns ({@code positions[i]}
 * is where layout column {@code i} goes). {@code enums} holds, per layout column, the enum labels
 * the warehouse has for its type (null for other columns), so that a label added in the source is
 * added to the warehouse before a row uses it.
 */
public final class Mapping {
    private final int[] positions;
    private final int width;
    final EnumLabels[] enums;

    /**
     * Per layout column, null or the casts its values go through to the raw column's type: the
     * types the column had after this layout's, in order (an older layout met after the raw column
     * followed later type changes; see SchemaChanges#finish).
     */
    final String[] casts;

    Mapping(int[] positions, int width, EnumLabels[] enums) {
        this(positions, width, enums, new String[positions.length]);
    }

    /** Whether some value goes through casts; whether values go as they are (see plain()). */
    private final boolean anyCast;

    private final boolean plain;

    Mapping(int[] positions, int width, EnumLabels[] enums, String[] casts) {
        this.positions = positions;
        this.width = width;
        this.enums = enums;
        this.casts = casts;
        boolean anyCast = false;
        boolean plain = true;
        for (int i = 0; i < positions.length; i++) {
            anyCast |= casts[i] != null;
            plain &= positions[i] == i && casts[i] == null && enums[i] == null;
        }
        this.anyCast = anyCast;
        this.plain = plain;
    }

    /**
     * Column {@code i} of the layout to raw column {@code i}, for a raw table of {@code width}
     * source columns.
     */
    public static Mapping identity(int width) {
        int[] positions = new int[width];
        for (int i = 0; i < width; i++) {
            positions[i] = i;
        }
        return new Mapping(positions, width, new EnumLabels[width]);
    }

    /**
     * The event with its values moved to the raw table's column positions (missing columns NULL).
     */
    public ChangeEvent apply(ChangeEvent e) {
        String[] values = new String[width];
        boolean[] unchanged = e.unchanged == null ? null : new boolean[width];
        for (int i = 0; i < positions.length; i++) {
            values[positions[i]] = e.values[i];
            if (unchanged != null) {
                unchanged[positions[i]] = e.unchanged[i];
            }
        }
        e.values = values;
        e.copyText = null;
        e.unchanged = unchanged;
        e.columns = null;
        e.types = null;
        e.layout = 0;
        return e;
    }

    /**
     * Whether values go to the raw columns as they are, in the same order (no cast, no enum to
     * check): a row's COPY text from the source can then be loaded as it is.
     */
    public boolean plain() {
        return plain;
    }

    /** Whether some value goes through casts (a layout older than its raw columns' types). */
    boolean casts() {
        return anyCast;
    }

    int position(int layoutColumn) {
        return positions[layoutColumn];
    }
}
