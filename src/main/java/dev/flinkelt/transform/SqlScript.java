package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The statements of the transform SQL files, in file-name order, each with its file and first line.
 */
public final class SqlScript {
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    public record Statement(Path file, int line, String sql) {
        /** A statement-relative "line N" in Flink's message, made relative to the file. */
        public String locate(String flinkMessage) {
            Matcher m = LINE.matcher(flinkMessage == null ? "" : flinkMessage);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, "line " + (Integer.parseInt(m.group(1)) + line - 1));
            }
            m.appendTail(sb);
            return file.getFileName() + " line " + line + ": " + sb;
        }

        public String keyword() {
            String s = sql.stripLeading().toUpperCase(Locale.ROOT);
            int end = 0;
            while (end < s.length() && Character.isLetter(s.charAt(end))) {
                end++;
            }
            return s.substring(0, end);
        }
    }

    private SqlScript() {}

    /** Every {@code *.sql} file of {@code dir}, sorted by name. */
    public static List<Statement> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("transform.sql-dir " + dir + " is not a directory");
        }
        List<Statement> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().endsWith(".sql"))
                            .sorted()
                            .toList()) {
                out.addAll(split(f, Files.readString(f)));
            }
        } catch (IOException e) {
            throw new PipelineException(
                    "cannot read transform SQL in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Splits on semicolons outside quotes and comments; EXECUTE STATEMENT SET BEGIN ... END stays
     * one statement.
     */
    static List<Statement> split(Path file, String text) {
        List<Statement> raw = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1;
        int startLine = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int eol = text.indexOf('\n', i);
                i = (eol < 0 ? text.length() : eol) - 1;
                continue;
            }
            if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                int stop = end < 0 ? text.length() : end + 2;
                int lines = count(text, i, stop);
                if (startLine > 0) {
                    // a comment separates like whitespace, and its line breaks keep Flink's line
                    // numbers right
                    cur.append(lines == 0 ? " " : "\n".repeat(lines));
                }
                line += lines;
                i = stop - 1;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < text.length()
                        && !(text.charAt(end) == c
                                && (end + 1 >= text.length() || text.charAt(end + 1) != c))) {
                    end += text.charAt(end) == c ? 2 : 1;
                }
                if (startLine < 0) {
                    startLine = line;
                }
                int stop = Math.min(end + 1, text.length());
                cur.append(text, i, stop);
                line += count(text, i, stop);
                i = stop - 1;
                continue;
            }
            if (c == ';') {
                if (startLine > 0) {
                    raw.add(new Statement(file, startLine, cur.toString().strip()));
                }
                cur.setLength(0);
                startLine = -1;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (startLine < 0 && !Character.isWhitespace(c)) {
                startLine = line;
            }
            if (startLine > 0) {
                cur.append(c);
            }
        }
        if (startLine > 0 && !cur.toString().isBlank()) {
            raw.add(new Statement(file, startLine, cur.toString().strip()));
        }
        return mergeStatementSets(raw);
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static List<Statement> mergeStatementSets(List<Statement> raw) {
        List<Statement> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Statement s = raw.get(i);
            if (!s.sql()
                    .toUpperCase(Locale.ROOT)
                    .replaceAll("\\s+", " ")
                    .startsWith("EXECUTE STATEMENT SET")) {
                out.add(s);
                continue;
            }
            StringBuilder sb = new StringBuilder(s.sql());
            while (i + 1 < raw.size() && !raw.get(i).sql().equalsIgnoreCase("END")) {
                sb.append(";\n").append(raw.get(++i).sql());
            }
            out.add(new Statement(s.file(), s.line(), sb.toString()));
        }
        return out;
    }

    /** The INSERT statements inside {@code EXECUTE STATEMENT SET BEGIN ...; ...; END}. */
    static List<String> inserts(Statement set) {
        String body =
                set.sql()
                        .replaceFirst("(?is)^\\s*EXECUTE\\s+STATEMENT\\s+SET\\s+BEGIN", "")
                        .replaceFirst("(?is)END\\s*$", "");
        return split(set.file(), body).stream().map(Statement::sql).toList();
    }
}
