package dev.flinkelt.pg;

import java.io.Serializable;

/**
 * One captured column: its name, its PostgreSQL type exactly as {@code format_type()} prints it
 * (e.g. {@code numeric(12,2)}, {@code character varying(40)}, {@code public.mood[]}), and whether
 * it is {@code bytea} (or a domain over it), whose text form needs decoding rather than a cast.
 */
public record ColumnSpec(String name, String type, boolean binary) implements Serializable {}
