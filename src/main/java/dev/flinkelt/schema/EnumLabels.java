package dev.flinkelt.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The labels the warehouse has for one enum type, and how to find the labels in a column's text
 * value.
 */
final class EnumLabels {
    final String schema;
    final String name;
    final boolean array;
    final Set<String> labels = new HashSet<>();

    EnumLabels(String schema, String name, boolean array) {
        this.schema = schema;
        this.name = name;
        this.array = array;
    }

    /** The first label of {@code value} the warehouse lacks, or null. */
    String missing(String value) {
        if (value == null) {
            return null;
        }
        if (!array) {
            return labels.contains(value) ? null : value;
        }
        for (String label : elements(value)) {
            if (!labels.contains(label)) {
                return label;
            }
        }
        return null;
    }

    /**
     * The elements of an array literal such as {@code {happy,"very sad",NULL}} (NULLs left out),
     * any nesting.
     */
    static List<String> elements(String literal) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < literal.length()) {
                    cur.append(literal.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '{' || c == '}' || c == ',') {
                if (cur.length() > 0 || wasQuoted) {
                    String s = cur.toString();
                    if (wasQuoted || !s.equals("NULL")) {
                        out.add(s);
                    }
                }
                cur.setLength(0);
                wasQuoted = false;
            } else if (!Character.isWhitespace(c) || cur.length() > 0) {
                cur.append(c);
            }
        }
        return out;
    }
}
