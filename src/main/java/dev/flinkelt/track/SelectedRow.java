package dev.flinkelt.track;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.CopyTextRow;

import java.util.ArrayList;
import java.util.List;

/**
 * A row a snapshot window holds until its high mark. It keeps the row's COPY text as read (one byte
 * array) and becomes a change event when it leaves: a window's rows outlive many young collections,
 * and a row held as an event (an object per value) costs the garbage collector several times as
 * much to copy.
 */
final class SelectedRow {
    /**
     * What the rows of one chunk share; {@code toastFree}: the table had no TOAST relation when the
     * chunk was read (see {@link ChangeEvent#toastFree}).
     */
    record Shape(
            String table,
            String[] columns,
            String[] types,
            int layout,
            SnapshotProgress.Request request,
            boolean toastFree) {}

    final String table;
    final String key;
    private final byte[] text;
    private final Shape shape;

    /** Set only for a row restored from a checkpoint. */
    private final ChangeEvent event;

    /**
     * The next row of the same key: configured {@code key-columns} need not be unique (nor
     * non-NULL).
     */
    private SelectedRow sameKey;

    SelectedRow(String key, byte[] text, Shape shape) {
        this.table = shape.table();
        this.key = key;
        this.text = text;
        this.shape = shape;
        this.event = null;
    }

    /** A row restored from a checkpoint, already an event. */
    SelectedRow(ChangeEvent event) {
        this.table = event.table;
        this.key = event.key;
        this.text = null;
        this.shape = null;
        this.event = event;
    }

    /** The COPY text as read, or null for a row restored as an event. */
    byte[] text() {
        return text;
    }

    /** What the row shares with its chunk, or null for a row restored as an event. */
    Shape shape() {
        return shape;
    }

    /** Chains {@code other}, a row of the same key, after this one (and those already chained). */
    void add(SelectedRow other) {
        SelectedRow last = this;
        while (last.sameKey != null) {
            last = last.sameKey;
        }
        last.sameKey = other;
    }

    /** The rows chained after this one, or null. */
    SelectedRow rest() {
        return sameKey;
    }

    /** Whether other rows share this row's key. */
    boolean shared() {
        return sameKey != null;
    }

    /** This row and the rows chained after it. */
    List<SelectedRow> all() {
        List<SelectedRow> out = new ArrayList<>(1);
        for (SelectedRow r = this; r != null; r = r.sameKey) {
            out.add(r);
        }
        return out;
    }

    /**
     * The row as it leaves its window: as {@link #event}, but a row that needs no keyed state
     * ({@code toastFree}) keeps its COPY text unsplit (see ChangeEvent#copyText).
     */
    ChangeEvent leaving(CopyTextRow split) {
        if (event != null || !shape.toastFree()) {
            return event(split);
        }
        ChangeEvent e = event(null);
        e.keepCopyText(text, shape.columns().length);
        return e;
    }

    /**
     * The row as an {@code r} event of its request's generation, its floor in {@code seq}; made
     * anew at each call. {@code split} null: without its values.
     */
    ChangeEvent event(CopyTextRow split) {
        if (event == null) {
            ChangeEvent e = new ChangeEvent();
            e.table = table;
            e.key = key;
            e.op = ChangeEvent.READ;
            e.columns = shape.columns();
            e.types = shape.types();
            e.layout = shape.layout();
            e.values = split == null ? null : split.split(text, shape.columns().length);
            e.txId = shape.request().txId();
            e.sourceTsMicros = shape.request().sourceTsMicros();
            e.seq = shape.request().floor();
            e.toastFree = shape.toastFree();
            return e;
        }
        return event;
    }
}
