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
    private final boolean severalHosts;

    private PgEndpoint(
            String key,
            String url,
            String host,
            int port,
            String database,
            String username,
            String password,
            boolean severalHosts) {
        this.key = key;
        this.url = url;
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
        this.severalHosts = severalHosts;
    }

    /**
     * Parses {@code url}; {@code key} names the config key in error messages (e.g. "source.url").
     * Several hosts ({@code jdbc:postgresql://a:5432,b:5432/db?targetServerType=primary}) are the
     * driver's failover list: a connection goes to the first that answers as asked; {@link #host}
     * and {@link #port} are the first.
     */
    public static PgEndpoint parse(String key, String url, String username, String password) {
        String prefix = "jdbc:postgresql://";
        if (url == null || !url.startsWith(prefix)) {
            throw new ConfigException(
                    key
                            + " must look like jdbc:postgresql://host:5432/database, got a value that does not start with "
                            + prefix);
        }
        String rest = url.substring(prefix.length());
        int slash = rest.indexOf('/');
        // credentials in the URL (user:password@host) are not the driver's syntax, and never shown
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
        String path = slash < 0 ? "" : rest.substring(slash + 1).split("[?#]", 2)[0];
        if (hosts.isEmpty()) {
            throw new ConfigException(
                    key + " has no host; expected jdbc:postgresql://host:5432/database");
        }
        if (path.isEmpty()) {
            throw new ConfigException(
                    key + " has no database name; expected jdbc:postgresql://host:5432/database");
        }
        URI first;
        String database;
        try {
            database = URI.create("postgresql://h/" + path).getPath().substring(1);
            for (String h : hosts.split(",", -1)) {
                URI uri = URI.create("postgresql://" + h + "/");
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host in '" + h + "'");
                }
            }
            first = URI.create("postgresql://" + hosts.split(",")[0] + "/");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    key
                            + " is not a valid JDBC URL: expected jdbc:postgresql://host:5432/database, or"
                            + " several host:port separated by commas, in '"
                            + hosts
                            + "'");
        }
        int port = first.getPort() < 0 ? 5432 : first.getPort();
        return new PgEndpoint(
                key, url, first.getHost(), port, database, username, password, hosts.contains(","));
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
        return username + "@" + host + ":" + port + (severalHosts ? ",..." : "") + "/" + database;
    }
}
