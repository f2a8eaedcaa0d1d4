package dev.flinkelt.load;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.monitor.SlotLag;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed stage. Per key it keeps the last version of the row (RocksDB) and a sequence number, so that
 * (1) an UPDATE that left a TOASTed column out gets that column's real value, never a placeholder, and
 * (2) every event of a key gets a {@code _seq} that, with {@code _lsn}, orders the key's events totally.
 * Events of every table leave through the one output, to the one raw sink.
 */
public class RowStateFunction extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RowStateFunction.class);

    private final SlotLag slotLag;
    private transient ValueState<RowState> state;
    private transient Counter toastFilled;
    private transient Counter toastMissing;

    /** {@code slotLag} (may be null) is reported as a metric by the first subtask. */
    public RowStateFunction(SlotLag slotLag) {
        this.slotLag = slotLag;
    }

    /** State per key: the last row version (null after a delete) and the last sequence number. */
    public static class RowState {
        public long seq;
        public String[] values;

        public RowState() {}
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("row", TypeInformation.of(RowState.class)));
        toastFilled = getRuntimeContext().getMetricGroup().counter("toastValuesFilled");
        toastMissing = getRuntimeContext().getMetricGroup().counter("toastValuesMissing");
        if (slotLag != null && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            slotLag.register(getRuntimeContext().getMetricGroup());
        }
    }

    @Override
    public void close() throws Exception {
        if (slotLag != null) {
            slotLag.close();
        }
        super.close();
    }

    @Override
    public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out) throws Exception {
        RowState s = state.value();
        if (s == null) {
            s = new RowState();
        }
        if (e.hasUnchanged()) {
            for (int i = 0; i < e.unchanged.length; i++) {
                if (!e.unchanged[i]) {
                    continue;
                }
                if (s.values != null && i < s.values.length) {
                    e.values[i] = s.values[i];
                    toastFilled.inc();
                } else {
                    // cannot happen after a snapshot; written as NULL (never the placeholder) and counted
                    toastMissing.inc();
                    // the key is a row value: the log names the table and column only
                    LOG.warn("no earlier version of a row of {} to fill unchanged TOAST column #{} from; writing NULL", e.table, i);
                }
            }
            e.unchanged = null;
        }
        s.seq++;
        e.seq = s.seq;
        s.values = e.op == ChangeEvent.DELETE ? null : e.values;
        state.update(s);
        out.collect(e);
    }
}
