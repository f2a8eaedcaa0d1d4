package dev.flinkelt.pg;

import dev.flinkelt.config.Identifiers;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An enum or domain a captured column uses; the warehouse needs the same type to keep the column's
 * type. Domains are created without their constraints: a raw table holds delete rows with NULLs,
 * and the source already enforced the constraint.
 */
public record UserType(
        String schema, String name, Kind kind, List<String> enumLabels, String domainBaseType)
        implements Serializable {

    public enum Kind {
        ENUM,
        DOMAIN
    }

    public String quotedName() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    public String createStatement() {
        if (kind == Kind.ENUM) {
            return "CREATE TYPE "
                    + quotedName()
                    + " AS ENUM ("
                    + enumLabels.stream()
                            .map(Identifiers::literal)
                            .collect(Collectors.joining(", "))
                    + ")";
        }
        return "CREATE DOMAIN " + quotedName() + " AS " + domainBaseType;
    }
}
