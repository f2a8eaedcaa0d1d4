package dev.flinkelt.config;

import java.io.Serializable;
import java.net.URI;
import java.util.Properties;

/**
 * A PostgreSQL server and database from a {@code jdbc:postgresql://host:port/db} URL plus
 * credentials. {@link #toString()} never shows the password or URL parameters, so it is safe to
 * log.
 */
public final class PgEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String url;
    private final String host;
    private final int port;
    private final String database;
    private final String username;
    private final String password;

    private PgEndpoint(
            String key,
            String url,
            String host,
            int port,
            String database,
            String username,
            String password) {
        this.key = key;
        this.url = url;
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
    }

    /**
     * Parses {@code url}; {@code key} names the config key in error messages (e.g. "source.url").
     */
    public static PgEndpoint parse(String key, String url, String username, String password) {
        String prefix = "jdbc:postgresql://";
        if (url == null || !url.startsWith(prefix)) {
            throw new ConfigException(
                    key
                            + " must look like jdbc:postgresql://host:5432/database, got a value that does not start with "
                            + prefix);
        }
        URI uri;
        try {
            uri = URI.create("postgresql://" + url.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " is not a valid JDBC URL: " + e.getMessage());
        }
        if (uri.getHost() == null) {
            throw new ConfigException(
                    key + " has no host; expected jdbc:postgresql://host:5432/database");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw new ConfigException(
                    key + " has no database name; expected jdbc:postgresql://host:5432/database");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new PgEndpoint(key, url, uri.getHost(), port, path, username, password);
    }

    public String url() {
        return url;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String key() {
        return key;
    }

    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", username);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "flink-elt");
        return p;
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port + "/" + database;
    }
}
