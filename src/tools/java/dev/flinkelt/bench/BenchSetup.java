package dev.flinkelt.bench;

import dev.flinkelt.demo.PgServer;

import java.io.PrintWriter;
import java.util.List;

/**
 * What every run of one invocation shares: the two servers, their postmaster pids (for the meter),
 * options, output.
 */
record BenchSetup(
        PgServer source,
        PgServer target,
        List<Long> postmasters,
        BenchOptions options,
        PrintWriter out) {}
