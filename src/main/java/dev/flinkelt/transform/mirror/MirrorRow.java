package dev.flinkelt.transform.mirror;

/** One raw row as the mirror writer keeps it until its flush. */
record MirrorRow(char op, long lsn, long seq, String sourceTs, String[] values) {
    boolean delete() {
        return op == 'd';
    }

    boolean newerThan(MirrorRow o) {
        return lsn != o.lsn ? lsn > o.lsn : seq > o.seq;
    }
}
