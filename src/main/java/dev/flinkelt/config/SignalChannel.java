package dev.flinkelt.config;

import java.io.Serializable;

/**
 * How a pipeline is told things in the order of its change stream (snapshot marks and requests, new
 * tables): by logical decoding messages (the default; nothing is written into source tables) or,
 * where a server cannot stream those ({@code source.signals: table}), by rows of a signal table.
 */
public record SignalChannel(boolean messages, TableRef table) implements Serializable {}
