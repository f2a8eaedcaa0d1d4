package dev.flinkelt.catalog;

import java.io.Serializable;

/**
 * One captured column: its name and its PostgreSQL type exactly as {@code format_type()} prints it
 * (e.g. {@code numeric(12,2)}, {@code character varying(40)}, {@code public.mood[]}).
 */
public record ColumnSpec(String name, String type) implements Serializable {}
