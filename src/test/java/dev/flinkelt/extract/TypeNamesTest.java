package dev.flinkelt.extract;

import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TypeNamesTest {
    @Test
    void typeNamesFromSnapshotAndStreamReadsCompareAsCatalogNames() {
        assertThat(TypeNames.normalize("INT4")).isEqualTo("int4");
        assertThat(TypeNames.normalize("SERIAL")).isEqualTo("int4");
        assertThat(TypeNames.normalize("BIGSERIAL")).isEqualTo("int8");
        assertThat(TypeNames.normalize("\"SALES\".\"MOOD\"")).isEqualTo("mood");
        assertThat(TypeNames.normalize("_INT4")).isEqualTo("_int4");
        assertThat(
                        TypeNames.of(
                                SchemaBuilder.string()
                                        .parameter(TypeNames.PARAMETER, "VARCHAR")
                                        .build()))
                .isEqualTo("varchar");
        assertThat(TypeNames.of(SchemaBuilder.string().build())).isNull();
    }
}
