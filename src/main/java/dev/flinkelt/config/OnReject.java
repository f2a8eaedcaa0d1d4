package dev.flinkelt.config;

/** What the raw sink does with a row the warehouse refuses ({@code pipeline.on-reject}). */
public enum OnReject {
    /**
     * Write it to {@code <raw-schema>._rejected} in the same transaction and keep loading
     * (default).
     */
    QUARANTINE,
    /**
     * Fail the job, naming the table and the row's position; nothing after it loads until the cause
     * is fixed.
     */
    FAIL
}
