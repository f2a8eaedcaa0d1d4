package dev.flinkelt.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The pipeline users write first: one {@code postgres-cdc} table, one {@code jdbc} table with the
 * same primary key (upsert, at-least-once), one INSERT ... SELECT. Connector defaults everywhere
 * except what it cannot run without: the slot, pgoutput, and a TIMESTAMP cast (the jdbc connector
 * cannot write TIMESTAMP_LTZ).
 */
final class FlinkSqlPipeline {
    private FlinkSqlPipeline() {}

    static void run(
            String host, int port, String database, String targetUrl, String slot, int parallelism)
            throws Exception {
        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(parallelism));
        conf.setString("execution.checkpointing.interval", "10s");
        conf.setString("table.local-time-zone", "UTC");
        TableEnvironment env =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inStreamingMode()
                                .withConfiguration(conf)
                                .build());
        String columns =
                "k BIGINT, b1 BIGINT, b2 BIGINT, i1 INT, d1 DOUBLE, d2 DOUBLE, v1 VARCHAR(64), v2 VARCHAR(64), dt DATE, ";
        env.executeSql(
                "CREATE TABLE src ("
                        + columns
                        + "ts TIMESTAMP_LTZ(6), PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + "'connector' = 'postgres-cdc', 'hostname' = '"
                        + host
                        + "', 'port' = '"
                        + port
                        + "', 'username' = 'postgres',"
                        + " 'password' = '', 'database-name' = '"
                        + database
                        + "', 'schema-name' = '"
                        + BenchTable.SCHEMA
                        + "',"
                        + " 'table-name' = '"
                        + BenchTable.NAME
                        + "', 'slot.name' = '"
                        + slot
                        + "', 'decoding.plugin.name' = 'pgoutput')");
        env.executeSql(
                "CREATE TABLE tgt ("
                        + columns
                        + "ts TIMESTAMP(6), PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + "'connector' = 'jdbc', 'url' = '"
                        + targetUrl
                        + "', 'table-name' = '"
                        + BenchTable.SCHEMA
                        + "."
                        + BenchTable.NAME
                        + "',"
                        + " 'username' = 'postgres', 'password' = '')");
        env.executeSql(
                        "INSERT INTO tgt SELECT k, b1, b2, i1, d1, d2, v1, v2, dt, CAST(ts AS TIMESTAMP(6)) FROM src")
                .await();
    }
}
