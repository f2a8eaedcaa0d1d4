package dev.flinkelt.pg;

import java.io.Serializable;

/**
 * One captured column: its name and its PostgreSQL type as SQL text, exactly as the source has it:
 * built-in types as {@code format_type()} prints them (e.g. {@code numeric(12,2)}, {@code character
 * varying(40)}), other types schema-qualified and quoted ({@code "public"."mood"[]}).
 */
public record ColumnSpec(String name, String type) implements Serializable {}
