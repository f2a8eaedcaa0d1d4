package dev.flinkelt.extract;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TablePatterns;

import java.io.Serializable;
import java.util.List;

/**
 * What the change stream reads: the slot, the publications (the pipeline's, and the insert-only one
 * for tables without a replica identity), which tables' changes go on, the prefix of logical
 * decoding messages meant for the pipeline, the signal table (dotted; its rows are signals where
 * messages cannot be written) and how often an idle stream reports its position.
 */
public record StreamSettings(
        PgEndpoint source,
        String slot,
        List<String> publications,
        TablePatterns captured,
        String messagePrefix,
        String signalTable,
        long heartbeatMillis)
        implements Serializable {}
