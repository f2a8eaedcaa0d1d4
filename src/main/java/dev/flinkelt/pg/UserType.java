package dev.flinkelt.pg;

import dev.flinkelt.config.Identifiers;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A type of the source's that is not built in and that a captured column uses: the warehouse needs
 * the same type (same schema and name) to keep the column's type. Enums, domains, composite and
 * range types are made there from their definition; a base type comes from an extension, which the
 * warehouse must have installed. Domains are created without their constraints: a raw table holds
 * delete rows with NULLs, and the source already enforced the constraint.
 *
 * @param enumLabels an enum's labels, in order
 * @param definition what follows {@code AS} for a domain (its base type), a composite type (its
 *     attributes in parentheses) or a range type (its {@code RANGE (…)} clause); null otherwise
 * @param extension the extension a base type belongs to (null if none)
 * @param dependsOn the other user types its definition names (quoted), made first
 */
public record UserType(
        String schema,
        String name,
        Kind kind,
        List<String> enumLabels,
        String definition,
        String extension,
        List<String> dependsOn)
        implements Serializable {

    public enum Kind {
        ENUM,
        DOMAIN,
        COMPOSITE,
        RANGE,
        /** A base type of an extension's: it cannot be made from a definition. */
        BASE
    }

    public String quotedName() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /** Whether the warehouse can get the type from {@link #createStatement} alone. */
    public boolean creatable() {
        return kind != Kind.BASE;
    }

    public String createStatement() {
        return switch (kind) {
            case ENUM ->
                    "CREATE TYPE "
                            + quotedName()
                            + " AS ENUM ("
                            + enumLabels.stream()
                                    .map(Identifiers::literal)
                                    .collect(Collectors.joining(", "))
                            + ")";
            case DOMAIN -> "CREATE DOMAIN " + quotedName() + " AS " + definition;
            case COMPOSITE, RANGE -> "CREATE TYPE " + quotedName() + " AS " + definition;
            case BASE ->
                    throw new IllegalStateException(
                            "type " + quotedName() + " comes from an extension");
        };
    }

    /**
     * What a user of the warehouse must run to get the type there: the extension, with the schema
     * the source has it in.
     */
    public String fix() {
        return extension == null
                ? "create type " + quotedName() + " as the source defines it"
                : "CREATE EXTENSION IF NOT EXISTS "
                        + Identifiers.quote(extension)
                        + " WITH SCHEMA "
                        + Identifiers.quote(schema)
                        + ";";
    }
}
