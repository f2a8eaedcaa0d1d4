package dev.flinkelt.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineConfigTest {
    static final String VALID =
            String.join(
                    "\n",
                    "source: { url: 'jdbc:postgresql://db.internal:6543/shop?sslmode=require', username: elt, password: '${SOURCE_PASSWORD}',",
                    "          tables: [public.customers, 'sales.*'], slot: shop_elt, publication: shop_elt }",
                    "target: { url: 'jdbc:postgresql://wh:5432/warehouse', username: loader, password: '${TARGET_PASSWORD}', raw-schema: landing }",
                    "pipeline: { parallelism: 3, checkpoint-interval: 30s, checkpoint-dir: 'file:///var/lib/elt/cp' }");
    static final Map<String, String> ENV =
            Map.of("SOURCE_PASSWORD", "src-secret", "TARGET_PASSWORD", "tgt-secret");

    @Test
    void readsEveryKeyAndInterpolatesSecretsFromTheEnvironment() {
        PipelineConfig c = PipelineConfig.parse(VALID, ENV);
        assertThat(c.source.host()).isEqualTo("db.internal");
        assertThat(c.source.port()).isEqualTo(6543);
        assertThat(c.source.database()).isEqualTo("shop");
        assertThat(c.source.password()).isEqualTo("src-secret");
        assertThat(c.target.password()).isEqualTo("tgt-secret");
        assertThat(c.tables).containsExactly("public.customers", "sales.*");
        assertThat(c.rawSchema).isEqualTo("landing");
        assertThat(c.parallelism).isEqualTo(3);
        assertThat(c.checkpointInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(PipelineConfig.parse(VALID.replace("30s", "2min"), ENV).checkpointInterval)
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(PipelineConfig.parse(VALID.replace("30s", "500 ms"), ENV).checkpointInterval)
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void describeNeverShowsPasswordsOrUrlParameters() {
        String shown = PipelineConfig.parse(VALID, ENV).describe().toString();
        assertThat(shown)
                .doesNotContain("src-secret")
                .doesNotContain("tgt-secret")
                .doesNotContain("sslmode")
                .contains("elt@db.internal:6543/shop");
    }

    /** The driver's failover list: a primary and its standby, the first primary that answers. */
    @Test
    void aUrlWithSeveralHostsIsTheDriversFailoverList() {
        PipelineConfig c =
                PipelineConfig.parse(
                        VALID.replace(
                                "db.internal:6543/shop?sslmode=require",
                                "pg-a:5432,pg-b:5433/shop?targetServerType=primary"),
                        ENV);
        assertThat(c.source.host()).isEqualTo("pg-a");
        assertThat(c.source.port()).isEqualTo(5432);
        assertThat(c.source.database()).isEqualTo("shop");
        assertThat(c.source.url()).contains("pg-a:5432,pg-b:5433");
        assertThat(c.source.toString()).isEqualTo("elt@pg-a:5432,.../shop");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace(
                                                "db.internal:6543/shop", "db.internal:6543,/shop"),
                                        ENV))
                .hasMessageContaining("source.url is not a valid JDBC URL");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace(
                                                "db.internal:6543/shop",
                                                "elt:url-secret@db internal/shop"),
                                        ENV))
                .hasMessageContaining("source.url is not a valid JDBC URL")
                .hasMessageNotContaining("url-secret");
    }

    @Test
    void defaultsApplyWhenPipelineSectionIsLeftOut() {
        PipelineConfig c =
                PipelineConfig.parse(VALID.substring(0, VALID.indexOf("pipeline:")), ENV);
        assertThat(c.parallelism).isEqualTo(1);
        assertThat(c.checkpointInterval).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.rawSchema).isEqualTo("landing");
        assertThat(c.snapshotChunkSize).as("auto").isZero();
    }

    @Test
    void transformSlotAndPublicationOfEarlierVersionsAreRefusedWithTheWayOut() {
        for (String gone : new String[] {"slot", "publication"}) {
            assertThatThrownBy(
                            () ->
                                    PipelineConfig.parse(
                                            VALID
                                                    + "\ntransform: { sql-dir: sql, "
                                                    + gone
                                                    + ": old_transform }",
                                            ENV))
                    .hasMessageContaining("transform." + gone + " is no longer used")
                    .hasMessageContaining(
                            "no replication slot, publication or wal_level = logical on the warehouse")
                    .hasMessageContaining("pg_drop_replication_slot");
        }
    }

    @Test
    void aTransformStateBackendOtherThanRocksdbOrHashmapIsRefusedNamingBoth() {
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID + "\ntransform: { state-backend: memory }", ENV))
                .hasMessageContaining("transform.state-backend")
                .hasMessageContaining("rocksdb, hashmap")
                .hasMessageContaining("'memory'");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID + "\ntransform: { checkpoint-interval: 10ms }", ENV))
                .hasMessageContaining("transform.checkpoint-interval must be at least 100ms");
    }

    @Test
    void onRejectIsQuarantineByDefaultOrFail() {
        assertThat(PipelineConfig.parse(VALID, ENV).onReject).isEqualTo(OnReject.QUARANTINE);
        String base =
                VALID.replace(
                        "checkpoint-interval: 30s,", "checkpoint-interval: 30s, on-reject: %s,");
        assertThat(PipelineConfig.parse(base.formatted("fail"), ENV).onReject)
                .isEqualTo(OnReject.FAIL);
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("ignore"), ENV))
                .hasMessageContaining(
                        "pipeline.on-reject must be one of quarantine, fail; got 'ignore'");
    }

    @Test
    void snapshotChunkSizeIsAutoOrAPositiveNumber() {
        String base =
                VALID.replace(
                        "checkpoint-interval: 30s,",
                        "checkpoint-interval: 30s, snapshot-chunk-size: %s,");
        assertThat(PipelineConfig.parse(base.formatted("auto"), ENV).snapshotChunkSize).isZero();
        assertThat(PipelineConfig.parse(base.formatted("20000"), ENV).snapshotChunkSize)
                .isEqualTo(20000);
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("big"), ENV))
                .hasMessageContaining(
                        "pipeline.snapshot-chunk-size must be a positive whole number or 'auto', got 'big'");
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("0"), ENV))
                .hasMessageContaining("snapshot-chunk-size");
    }

    @Test
    void snapshotReadersAreOneByDefaultOrAPositiveNumber() {
        String base =
                VALID.replace(
                        "checkpoint-interval: 30s,",
                        "checkpoint-interval: 30s, snapshot-readers: %s,");
        assertThat(PipelineConfig.parse(VALID, ENV).snapshotReaders).isEqualTo(1);
        assertThat(PipelineConfig.parse(base.formatted("4"), ENV).snapshotReaders).isEqualTo(4);
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("0"), ENV))
                .hasMessageContaining("pipeline.snapshot-readers");
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("many"), ENV))
                .hasMessageContaining("pipeline.snapshot-readers");
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("33"), ENV))
                .hasMessageContaining("pipeline.snapshot-readers is 33, more than 32");
    }

    @Test
    void metricsPortIsOffByDefaultOrAPortWithRoomForNineMore() {
        String base =
                VALID.replace(
                        "checkpoint-interval: 30s,", "checkpoint-interval: 30s, metrics-port: %s,");
        assertThat(PipelineConfig.parse(VALID, ENV).metricsPort).isZero();
        assertThat(PipelineConfig.parse(base.formatted("off"), ENV).metricsPort).isZero();
        assertThat(PipelineConfig.parse(base.formatted("9249"), ENV).metricsPort).isEqualTo(9249);
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("65530"), ENV))
                .hasMessageContaining(
                        "pipeline.metrics-port must be a port up to 65526 or off, got '65530'");
        assertThatThrownBy(() -> PipelineConfig.parse(base.formatted("on"), ENV))
                .hasMessageContaining(
                        "pipeline.metrics-port must be a port up to 65526 or off, got 'true'");
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> PipelineConfig.parse(VALID.replace("username: loader,", ""), ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing key 'target.username'");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace("parallelism: 3", "paralelism: 3"), ENV))
                .hasMessageContaining("unknown key 'pipeline.paralelism'")
                .hasMessageContaining("parallelism");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace("parallelism: 3", "parallelism: many"), ENV))
                .hasMessageContaining(
                        "pipeline.parallelism must be a positive whole number, got 'many'");
        assertThatThrownBy(() -> PipelineConfig.parse(VALID.replace("30s", "30 parsecs"), ENV))
                .hasMessageContaining("pipeline.checkpoint-interval")
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> PipelineConfig.parse(VALID.replace("30s", "30"), ENV))
                .hasMessageContaining("pipeline.checkpoint-interval")
                .hasMessageContaining("has no unit");
        assertThatThrownBy(() -> PipelineConfig.parse(VALID, Map.of("SOURCE_PASSWORD", "x")))
                .hasMessage(
                        "target.password refers to environment variable TARGET_PASSWORD, which is not set");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace(
                                                "jdbc:postgresql://wh:5432/warehouse",
                                                "postgres://wh/warehouse"),
                                        ENV))
                .hasMessageContaining(
                        "target.url must look like jdbc:postgresql://host:5432/database");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace(
                                                "tables: [public.customers, 'sales.*']",
                                                "tables: []"),
                                        ENV))
                .hasMessageContaining("source.tables must name at least one entry");
        assertThatThrownBy(() -> PipelineConfig.parse("source: [1, 2]", ENV))
                .hasMessageContaining("source must be a mapping");
        assertThatThrownBy(() -> PipelineConfig.parse("", ENV)).hasMessageContaining("empty");
    }

    @Test
    void slotAndPublicationNamesTheCdcSourceCannotUseAreRefused() {
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace("slot: shop_elt", "slot: ShopElt"), ENV))
                .hasMessageContaining("source.slot 'ShopElt' is not a usable replication slot name")
                .hasMessageContaining("shopelt");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace(
                                                "publication: shop_elt", "publication: shop-elt"),
                                        ENV))
                .hasMessageContaining("source.publication 'shop-elt'")
                .hasMessageContaining("shop_elt");
        assertThatThrownBy(
                        () ->
                                PipelineConfig.parse(
                                        VALID.replace("slot: shop_elt", "slot: " + "s".repeat(60)),
                                        ENV))
                .hasMessageContaining("longer than 56");
    }

    @Test
    void tableNamesKeepCaseAndMayBeQuoted() {
        assertThat(TableRef.parse("Sales.\"Order Items\""))
                .isEqualTo(new TableRef("Sales", "Order Items"));
        assertThat(TableRef.parse("\"my.schema\".t").schema()).isEqualTo("my.schema");
        assertThat(new TableRef("a\"b", "t").quoted()).isEqualTo("\"a\"\"b\".\"t\"");
        assertThatThrownBy(() -> TableRef.parse("customers"))
                .hasMessageContaining("schema-qualified");
    }
}
