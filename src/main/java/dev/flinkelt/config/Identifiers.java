package dev.flinkelt.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Quoting and splitting of SQL identifiers. Every identifier that goes into SQL goes through {@link
 * #quote}.
 */
public final class Identifiers {
    private Identifiers() {}

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * The first {@code bytes} bytes of the SHA-256 of {@code text}, in hex: short names that differ
     * when their texts do.
     */
    public static String digest(String text, int bytes) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** A string literal, for the few places where a name is compared as a value. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Splits {@code a.b} into parts; parts may be double-quoted to contain dots or quotes. */
    public static String[] splitQualified(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new ConfigException("unbalanced double quote in '" + text + "'");
        }
        parts.add(cur.toString());
        return parts.toArray(new String[0]);
    }
}
