package dev.flinkelt.support;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The shared test MiniCluster: one TaskManager with four slots, small managed memory (2-core CI
 * machine).
 */
public final class FlinkCluster {
    private FlinkCluster() {}

    public static MiniClusterExtension extension() {
        return extension(new Configuration());
    }

    /** The same cluster with {@code conf}'s settings added (e.g. a metric reporter). */
    public static MiniClusterExtension extension(Configuration conf) {
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m"));
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(4)
                        .build());
    }
}
