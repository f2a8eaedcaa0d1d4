package dev.flinkelt.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.transaction.xa.Xid;
import org.apache.flink.connector.jdbc.datasource.connections.xa.XaConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.domain.TransactionId;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.exceptions.TransientXaException;

/**
 * Gives one sink's XA transactions a format id of their own. The JDBC sink builds transaction ids from the job
 * id, subtask and checkpoint only, so two exactly-once sinks in one job (one per raw table) would prepare
 * transactions with the same global id and collide; tagging the format id keeps them apart, and
 * {@link #recover()} hands back only this sink's transactions, re-tagged as the sink made them.
 */
public final class TaggedXaConnectionProvider implements XaConnectionProvider {
    private static final long serialVersionUID = 1L;
    /** The format id the JDBC connector gives its transaction ids. */
    static final int CONNECTOR_FORMAT_ID = 202;

    private final XaConnectionProvider delegate;
    private final int formatId;

    public TaggedXaConnectionProvider(XaConnectionProvider delegate, int formatId) {
        if (formatId == CONNECTOR_FORMAT_ID || formatId <= 0) {
            throw new IllegalArgumentException("format id must be positive and not " + CONNECTOR_FORMAT_ID);
        }
        this.delegate = delegate;
        this.formatId = formatId;
    }

    /** A stable format id for a sink name (stable across restarts and added tables). */
    public static int formatIdFor(String sinkName) {
        int h = (sinkName.hashCode() & 0x3fffffff) | 0x10000;
        return h == CONNECTOR_FORMAT_ID ? h + 1 : h;
    }

    private Xid tag(Xid xid) {
        return new TaggedXid(formatId, xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    @Override
    public void open() throws Exception {
        delegate.open();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void start(Xid xid) throws Exception {
        delegate.start(tag(xid));
    }

    @Override
    public void endAndPrepare(Xid xid) throws Exception {
        delegate.endAndPrepare(tag(xid));
    }

    @Override
    public void commit(Xid xid, boolean ignoreUnknown) throws TransientXaException {
        delegate.commit(tag(xid), ignoreUnknown);
    }

    @Override
    public void rollback(Xid xid) throws TransientXaException {
        delegate.rollback(tag(xid));
    }

    @Override
    public void failAndRollback(Xid xid) throws TransientXaException {
        delegate.failAndRollback(tag(xid));
    }

    @Override
    public Collection<Xid> recover() throws TransientXaException {
        List<Xid> mine = new ArrayList<>();
        for (Xid x : delegate.recover()) {
            if (x.getFormatId() == formatId) {
                try {
                    mine.add(TransactionId.restoreFromXid(CONNECTOR_FORMAT_ID, x.getGlobalTransactionId(), x.getBranchQualifier()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("unreadable prepared transaction id " + x, e);
                }
            }
        }
        return mine;
    }

    @Override
    public Connection getConnection() {
        return delegate.getConnection();
    }

    @Override
    public boolean isConnectionValid() throws SQLException {
        return delegate.isConnectionValid();
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException, ClassNotFoundException {
        return delegate.getOrEstablishConnection();
    }

    @Override
    public void closeConnection() {
        delegate.closeConnection();
    }

    @Override
    public Connection reestablishConnection() throws SQLException, ClassNotFoundException {
        return delegate.reestablishConnection();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    /** A plain Xid with value equality, as the pooling provider keys connections by Xid. */
    record TaggedXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid, java.io.Serializable {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid;
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaggedXid x && x.formatId == formatId
                    && java.util.Arrays.equals(x.gtrid, gtrid) && java.util.Arrays.equals(x.bqual, bqual);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * formatId + java.util.Arrays.hashCode(gtrid)) + java.util.Arrays.hashCode(bqual);
        }
    }
}
