package dev.flinkelt.k8s;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key of a {@code flinkConfiguration} must be a config option Flink knows (declared in
 * Flink's *Options classes, current or deprecated key), an option of the Kubernetes operator
 * (listed below from its 1.10 documentation, "Operator Configuration Reference", as the operator's
 * own classes are not published), or an option of a metrics reporter.
 */
final class FlinkOptionKeys {
    static final Set<String> OPERATOR =
            Set.of(
                    "kubernetes.operator.periodic.savepoint.interval",
                    "kubernetes.operator.savepoint.history.max.count",
                    "kubernetes.operator.savepoint.history.max.age",
                    "kubernetes.operator.job.restart.failed",
                    "kubernetes.operator.cluster.health-check.enabled",
                    "kubernetes.operator.cluster.health-check.restarts.threshold",
                    "kubernetes.operator.cluster.health-check.restarts.window",
                    "kubernetes.operator.job.upgrade.last-state-fallback.enabled");
    static final Pattern REPORTER =
            Pattern.compile(
                    "metrics\\.reporter\\.[a-z0-9_]+\\.(factory\\.class|port|interval|scope\\.delimiter|filter\\.(includes|excludes)|filterLabelValueCharacters)");
    private static volatile Set<String> flink;

    private FlinkOptionKeys() {}

    static void assertAllKnown(Map<String, String> conf, String where) throws Exception {
        Set<String> known = flinkKeys();
        assertThat(known)
                .as("options found on the classpath")
                .hasSizeGreaterThan(300)
                .contains("high-availability.type", "state.backend.type");
        for (String key : conf.keySet()) {
            assertThat(
                            known.contains(key)
                                    || OPERATOR.contains(key)
                                    || REPORTER.matcher(key).matches())
                    .as(
                            "%s: flinkConfiguration key '%s' is a known Flink or operator option",
                            where, key)
                    .isTrue();
        }
    }

    static synchronized Set<String> flinkKeys() throws IOException, URISyntaxException {
        if (flink != null) {
            return flink;
        }
        Set<String> keys = new TreeSet<>();
        for (Class<?> anchor :
                List.of(
                        CheckpointingOptions.class,
                        HighAvailabilityOptions.class,
                        RocksDBOptions.class)) {
            Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.startsWith("org/apache/flink/")
                            && n.endsWith("Options.class")
                            && !n.contains("$")) {
                        addKeys(
                                n.replace('/', '.').substring(0, n.length() - ".class".length()),
                                keys);
                    }
                }
            }
        }
        flink = keys;
        return keys;
    }

    private static void addKeys(String className, Set<String> keys) {
        try {
            for (Field f :
                    Class.forName(className, false, FlinkOptionKeys.class.getClassLoader())
                            .getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                }
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // a class that cannot load here (optional dependencies) declares nothing we use
        }
    }
}
