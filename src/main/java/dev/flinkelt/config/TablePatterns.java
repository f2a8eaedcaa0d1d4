package dev.flinkelt.config;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tables {@code source.tables} names: each entry is {@code schema.table}, either part may hold
 * {@code *} for any characters; everything else matches itself (dots, {@code %}, {@code _} and
 * quotes included).
 */
public final class TablePatterns implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> patterns;
    private transient List<Pattern[]> compiled;

    public TablePatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public boolean matches(TableRef t) {
        if (compiled == null) {
            compiled =
                    patterns.stream()
                            .map(TableRef::parse)
                            .map(p -> new Pattern[] {glob(p.schema()), glob(p.table())})
                            .toList();
        }
        for (Pattern[] p : compiled) {
            if (p[0].matcher(t.schema()).matches() && p[1].matcher(t.table()).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String part) {
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int i = part.indexOf('*'); i >= 0; i = part.indexOf('*', from)) {
            sb.append(Pattern.quote(part.substring(from, i))).append(".*");
            from = i + 1;
        }
        sb.append(Pattern.quote(part.substring(from)));
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }
}
