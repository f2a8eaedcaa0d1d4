package dev.flinkelt.extract.pgoutput;

/**
 * A row of a pgoutput message: each column's text as the source's output function printed it (null
 * for SQL NULL), and which columns were not sent because they are TOASTed and unchanged.
 *
 * @param unchanged null when every column was sent
 */
public record Tuple(String[] values, boolean[] unchanged) {}
