-- =====================================================================================================================
-- Peer fixture: Debezium PostgreSQL connector -- SETUP (DDL + initial rows, loaded before the pipeline starts)
--
-- Origin     : https://github.com/debezium/debezium  (module debezium-connector-postgres)
-- Commit     : aad5519902997a3627fe296f77ea6d3452e9acce (HEAD of main as fetched; last change to src/test there:
--              0edcd7eb3fef624400d7b4a8dc42973a13cd1e1a)
-- Licence    : Apache License 2.0 (Copyright Debezium Authors). This file is a derived work; changes listed below.
-- Read from  :
--   src/test/resources/init_database.ddl                          (extensions)
--   src/test/resources/postgres_create_tables.ddl                 (the type zoo in schema public, verbatim)
--   src/test/resources/postgres_create_multiple_tables.ddl        (s1.a, s2.b, s2.c, s3.a)
--   src/test/resources/postgres_create_role_specific_tables.ddl   (s1.a, s2.a -- roles/publication removed)
--   src/test/resources/postgis_create_tables.ddl                  (only public.dummy_table kept, see "Left out")
--   src/test/java/io/debezium/connector/postgresql/AbstractRecordsProducerTest.java  (INSERT_*_STMT constants = rows)
--   src/test/java/io/debezium/connector/postgresql/RecordsStreamProducerIT.java      (@BeforeEach tables + tables
--                                                                                    created before the connector starts)
--   src/test/java/io/debezium/connector/postgresql/RecordsSnapshotProducerIT.java    (partitioned, zero-column table,
--                                                                                    pre-1582, macaddr8, mat. view)
--   src/test/java/io/debezium/connector/postgresql/PostgresConnectorIT.java          (odd names, partitions, enum order,
--                                                                                    changepk, default_change)
--   src/test/java/io/debezium/connector/postgresql/PostgresEnumIT.java               (enum public.test_type next to
--                                                                                    domain test.test_type, "bug.status")
--   src/test/java/io/debezium/connector/postgresql/DomainTypesIT.java
--   src/test/java/io/debezium/connector/postgresql/PostgresMoneyIT.java
--   src/test/java/io/debezium/connector/postgresql/TablesWithoutPrimaryKeyIT.java
--   src/test/java/io/debezium/connector/postgresql/TsVectorDataTypeIT.java (+ src/test/resources/init_tsvector.ddl)
--   src/test/java/io/debezium/connector/postgresql/PostgresTemporalPrecisionHandlingIT.java
--
-- What was changed and why:
--   * All of it goes into ONE database: every DROP DATABASE / DROP SCHEMA ... CASCADE / DROP TABLE|TYPE|DOMAIN IF
--     EXISTS reset statement was removed (each IT starts from an empty database; here the database is fresh, and a
--     stray DROP ... CASCADE would silently destroy the other peer's objects). init_database.ddl's
--     "DROP SCHEMA public CASCADE; CREATE SCHEMA public" was removed for the same reason.
--   * Roles, GRANTs, SET ROLE, CREATE/DROP PUBLICATION and replication slot handling were removed
--     (postgres_create_role_specific_tables.ddl, PostgresConnectorIT); the tables they touched are kept.
--   * Java string constants were unescaped by hand/script (\\ -> \, \" -> ", \u017E\u0161 -> žš); SQL text is
--     otherwise as in the peer.
--   * Each IT starts from an empty database, so several ITs reuse the same table name with a different shape
--     (test_table, alias_table, enum_table, test_toast_table, t1, s1.a, s2.a, public.test_type ...). Where the
--     shapes differ, the copies get a suffix naming their scenario (test_table_pk_ri, alias_table_money,
--     test_toast_table_int_array, ...). The enum RecordsStreamProducerIT calls public.test_type is renamed
--     test_type_rsp(_added) because PostgresEnumIT needs public.test_type to be ITS enum next to the domain
--     test.test_type (the DBZ type-registry duplicate-name bug). Same-shaped duplicates (s1.a, money2,
--     varbit2) are created once. See ../MANIFEST.md for the full table list.
--   * Values the peers generate randomly (RandomStringUtils, UUID.randomUUID, RANDOM()) are replaced by
--     deterministic expressions of the same size/shape (md5 strings, generate_series) so two loads give the
--     same rows and TOAST still kicks in (md5 hex does not compress away below the TOAST threshold).
--   * Nothing here needs superuser except CREATE EXTENSION (ltree, isn, citext, hstore: all in the zonky
--     PostgreSQL 14 binaries).
--   * No psql meta-commands: the file also runs as ONE JDBC Statement.execute (one implicit transaction).
--
-- Left out (and why):
--   * postgis_create_tables.ddl / init_postgis.ddl / PublicGeometryIT: public.postgis_table and
--     public.postgis_array_table need the postgis extension, which the zonky binaries do not ship.
--     public.dummy_table from the same file does not need PostGIS and is kept.
--   * init_pgvector.ddl / VectorDatabaseIT: need the pgvector extension (not in the binaries).
--   * timescaledb transforms tests: need TimescaleDB.
--   * Replication-origin tests (test_origin*, pg_replication_origin_* need superuser at stream time),
--     logical decoding messages (pg_logical_emit_message), heartbeat/signal tables: connector plumbing, not data.
-- =====================================================================================================================

SET search_path TO public;

-- ---------------------------------------------------------------------------------------------------------------------
-- init_database.ddl: contrib extensions for non-builtin types (DROP SCHEMA public CASCADE / CREATE SCHEMA removed)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE EXTENSION IF NOT EXISTS ltree SCHEMA public;
CREATE EXTENSION IF NOT EXISTS isn SCHEMA public;
CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE EXTENSION IF NOT EXISTS hstore SCHEMA public;

-- ---------------------------------------------------------------------------------------------------------------------
-- postgres_create_tables.ddl (verbatim except the DROP SCHEMA IF EXISTS "Quoted_"" . Schema" CASCADE line)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE TABLE numeric_table (pk SERIAL, si SMALLINT, i INTEGER, bi BIGINT,
    r REAL, db DOUBLE PRECISION,
    r_int REAL, db_int DOUBLE PRECISION,
    r_nan REAL, db_nan DOUBLE PRECISION,
    r_pinf REAL, db_pinf DOUBLE PRECISION,
    r_ninf REAL, db_ninf DOUBLE PRECISION,
    ss SMALLSERIAL, bs BIGSERIAL, b BOOLEAN, o OID, PRIMARY KEY(pk));

-- no suffix -fixed scale, zs - zero scale, vs - variable scale
CREATE TABLE numeric_decimal_table (pk SERIAL,
    d DECIMAL(3,2), dzs DECIMAL(4), dvs DECIMAL, d_nn DECIMAL(3,2) NOT NULL, n NUMERIC(6,4), nzs NUMERIC(4), nvs NUMERIC,
    d_int DECIMAL(3,2), dzs_int DECIMAL(4), dvs_int DECIMAL, n_int NUMERIC(6,4), nzs_int NUMERIC(4), nvs_int NUMERIC,
    d_nan DECIMAL(3,2), dzs_nan DECIMAL(4), dvs_nan DECIMAL, n_nan NUMERIC(6,4), nzs_nan NUMERIC(4), nvs_nan NUMERIC,
    PRIMARY KEY(pk));

CREATE TABLE string_table (pk SERIAL, vc VARCHAR(2), vcv CHARACTER VARYING(2), ch CHARACTER(4), c CHAR(3), t TEXT, b BYTEA, bnn BYTEA NOT NULL, ct CITEXT, PRIMARY KEY(pk));
CREATE TABLE network_address_table (pk SERIAL, i INET, PRIMARY KEY(pk));
CREATE TABLE cidr_network_address_table (pk SERIAL, i CIDR, PRIMARY KEY(pk));
CREATE TABLE macaddr_table(pk SERIAL, m MACADDR, PRIMARY KEY(pk));
CREATE TABLE cash_table (pk SERIAL, csh MONEY, PRIMARY KEY(pk));
CREATE TABLE bitbin_table (pk SERIAL, ba BYTEA, bol BIT(1), bol2 BIT, bs BIT(2), bs7 BIT(7), bv1 BIT VARYING(1), bv BIT VARYING(2), bv2 BIT VARYING(24), bvl BIT VARYING(64), bvunlimited1 BIT VARYING, bvunlimited2 BIT VARYING, PRIMARY KEY(pk));
CREATE TABLE bytea_binmode_table (pk SERIAL, ba BYTEA, bytea_array BYTEA[], PRIMARY KEY(pk));

CREATE TABLE time_table (pk SERIAL, ts TIMESTAMP, tsneg TIMESTAMP(6) WITHOUT TIME ZONE, ts_ms TIMESTAMP(3), ts_us TIMESTAMP(6), tz TIMESTAMPTZ, date DATE,
    date_pinf DATE,
    date_ninf DATE,
    ti TIME, tip TIME(3), ttf TIME,
    ttz TIME WITH TIME ZONE, tptz TIME(3) WITH TIME ZONE,
    it INTERVAL, tsp TIMESTAMP (0) WITH TIME ZONE,
    ts_large TIMESTAMP,
    ts_large_us TIMESTAMP(6),
    ts_large_ms TIMESTAMP(3),
    tz_large TIMESTAMPTZ,
    ts_max TIMESTAMP(6),
    ts_min TIMESTAMP(6),
    tz_max TIMESTAMPTZ,
    tz_min TIMESTAMPTZ,
    ts_pinf TIMESTAMP(6),
    ts_ninf TIMESTAMP(6),
    tz_pinf TIMESTAMPTZ,
    tz_ninf TIMESTAMPTZ,
    tz_zero TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY(pk));

CREATE TABLE text_table (pk SERIAL, j JSON, jb JSONB, x XML, u Uuid, PRIMARY KEY(pk));
CREATE TABLE geom_table (pk SERIAL, p POINT, PRIMARY KEY(pk));
CREATE TABLE range_table (pk SERIAL, unbounded_exclusive_tsrange TSRANGE, bounded_inclusive_tsrange TSRANGE, unbounded_exclusive_tstzrange TSTZRANGE, bounded_inclusive_tstzrange TSTZRANGE, unbounded_exclusive_daterange DATERANGE, bounded_exclusive_daterange DATERANGE, int4_number_range INT4RANGE, numerange NUMRANGE, int8_number_range INT8RANGE, PRIMARY KEY(pk));
CREATE TABLE array_table (pk SERIAL, int_array INT[], bigint_array BIGINT[], text_array TEXT[], char_array CHAR(10)[], varchar_array VARCHAR(10)[], date_array DATE[], numeric_array NUMERIC(10, 2)[], varnumeric_array NUMERIC[3], citext_array CITEXT[], inet_array INET[], cidr_array CIDR[], macaddr_array MACADDR[], tsrange_array TSRANGE[], tstzrange_array TSTZRANGE[], daterange_array DATERANGE[], int4range_array INT4RANGE[],numerange_array NUMRANGE[], int8range_array INT8RANGE[], uuid_array UUID[], json_array json[], jsonb_array jsonb[], oid_array OID[], PRIMARY KEY(pk));
CREATE TABLE array_table_with_nulls (pk SERIAL, int_array INT[], bigint_array BIGINT[], text_array TEXT[], char_array CHAR(10)[], varchar_array VARCHAR(10)[], date_array DATE[], numeric_array NUMERIC(10, 2)[], varnumeric_array NUMERIC[3], citext_array CITEXT[], inet_array INET[], cidr_array CIDR[], macaddr_array MACADDR[], tsrange_array TSRANGE[], tstzrange_array TSTZRANGE[], daterange_array DATERANGE[], int4range_array INT4RANGE[], numerange_array NUMRANGE[], int8range_array INT8RANGE[], uuid_array UUID[], json_array json[], jsonb_array jsonb[], PRIMARY KEY(pk));
CREATE TABLE custom_table (pk serial, lt ltree, i isbn NOT NULL, n TEXT, lt_array ltree[], PRIMARY KEY(pk));
CREATE TABLE hstore_table (pk serial, hs hstore, PRIMARY KEY(pk));
CREATE TABLE hstore_table_mul (pk serial, hs hstore, hsarr hstore[], PRIMARY KEY(pk));
CREATE TABLE hstore_table_with_null (pk serial, hs hstore, PRIMARY KEY(pk));
CREATE TABLE hstore_table_with_special (pk serial, hs hstore, PRIMARY KEY(pk));
CREATE TABLE unknown_type_table (pk serial, tsq tsquery, PRIMARY KEY(pk));

CREATE TABLE not_null_table (pk serial,
    val numeric(20,8), created_at timestamp not null, created_at_tz timestamptz not null, ctime time not null,
    ctime_tz timetz not null, cdate date not null, cmoney money not null, cbits bit(3) not null,
    csmallint smallint not null, cinteger integer not null, cbigint bigint not null, creal real not null,
    cbool bool not null, cfloat8 float8 not null, cnumeric numeric(6,2) not null, cvarchar varchar(5) not null,
    cbox box not null, ccircle circle not null, cinterval interval not null, cline line not null, clseg lseg not null,
    cpath path not null, cpoint point not null, cpolygon polygon not null, cchar char not null, ctext text not null,
    cjson json not null, cxml xml not null, cuuid uuid not null, cvarbit varbit(3) not null, cinet inet not null,
    ccidr cidr not null, cmacaddr macaddr not null,
    PRIMARY KEY(pk));

CREATE TABLE table_without_pk(id serial, val INTEGER);
CREATE SCHEMA "Quoted_"" . Schema";
-- GRANT ALL ON ALL TABLES IN SCHEMA "Quoted_Schema" TO postgres;
CREATE TABLE "Quoted_"" . Schema"."Quoted_"" . Table" (pk SERIAL, "Quoted_"" . Text_Column" TEXT, PRIMARY KEY(pk));

-- RecordsSnapshotProducerIT.shouldGenerateSnapshotForMacaddr8Datatype / PostgresSchemaIT (PG10+ type)
CREATE TABLE macaddr8_table(pk SERIAL, m MACADDR8, PRIMARY KEY(pk));

-- postgis_create_tables.ddl: the one table that does not need PostGIS (used by PublicGeometryIT as a trigger table)
CREATE TABLE public.dummy_table (pk SERIAL, PRIMARY KEY(pk));

-- ---------------------------------------------------------------------------------------------------------------------
-- Initial rows: AbstractRecordsProducerTest.ALL_STMTS (what RecordsSnapshotProducerIT.shouldGenerateSnapshotsFor
-- DefaultDatatypes inserts before the snapshot) plus the other INSERT_*_STMT constants the snapshot tests run.
-- PostGIS statements left out (no postgis).
-- ---------------------------------------------------------------------------------------------------------------------
-- INSERT_NUMERIC_TYPES_STMT (real/double NaN, Infinity, -Infinity; oid 4000000000 > int4 max)
INSERT INTO numeric_table (si, i, bi, r, db, r_int, db_int, r_nan, db_nan, r_pinf, db_pinf, r_ninf, db_ninf, ss, bs, b, o) VALUES (1, 123456, 1234567890123, 3.3, 4.44, 3, 4, 'NaN', 'NaN', 'Infinity', 'Infinity', '-Infinity', '-Infinity', 1, 123, true, 4000000000);
-- INSERT_NUMERIC_DECIMAL_TYPES_STMT_NO_NAN
INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dzs_int, dvs_int, n_int, nzs_int, nvs_int, d_nan, dzs_nan, dvs_nan, n_nan, nzs_nan, nvs_nan) VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 10, 22, 22, 22, null, null, null, null, null, null);
-- INSERT_NUMERIC_DECIMAL_TYPES_STMT (numeric NaN; RecordsSnapshotProducerIT.shouldGenerateSnapshotsForDecimalDatatypesUsingStringEncoding)
INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dzs_int, dvs_int, n_int, nzs_int, nvs_int, d_nan, dzs_nan, dvs_nan, n_nan, nzs_nan, nvs_nan) VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 10, 22, 22, 22, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN');
-- INSERT_DATE_TIME_TYPES_STMT (24:00 time, year 21016, 294247 AD, 4713/4714 BC, +/-infinity dates and timestamps)
INSERT INTO time_table(ts, tsneg, ts_ms, ts_us, tz, date, date_pinf, date_ninf, ti, tip, ttf, ttz, tptz, it, ts_large, ts_large_us, ts_large_ms, tz_large, ts_max, ts_min, tz_max, tz_min, ts_pinf, ts_ninf, tz_pinf, tz_ninf, tz_zero) VALUES ('2016-11-04T13:51:30.123456'::TIMESTAMP, '1936-10-25T22:10:12.608'::TIMESTAMP, '2016-11-04T13:51:30.123456'::TIMESTAMP, '2016-11-04T13:51:30.123456'::TIMESTAMP, '2016-11-04T13:51:30.123456+02:00'::TIMESTAMPTZ, '2016-11-04'::DATE, 'infinity'::DATE, '-infinity'::DATE, '13:51:30'::TIME, '13:51:30.123'::TIME, '24:00:00'::TIME, '13:51:30.123789+02:00'::TIMETZ, '13:51:30.123+02:00'::TIMETZ, 'P1Y2M3DT4H5M6.78S'::INTERVAL,'21016-11-04T13:51:30.123456'::TIMESTAMP, '21016-11-04T13:51:30.123457'::TIMESTAMP, '21016-11-04T13:51:30.124'::TIMESTAMP,'21016-11-04T13:51:30.123456+07:00'::TIMESTAMPTZ,'294247-01-01T23:59:59.999999'::TIMESTAMP,'4713-12-31T23:59:59.999999 BC'::TIMESTAMP,'294247-01-01T23:59:59.999999+00:00'::TIMESTAMPTZ,'4714-12-31T23:59:59.999999Z BC'::TIMESTAMPTZ,'infinity'::TIMESTAMP,'-infinity'::TIMESTAMP,'infinity'::TIMESTAMPTZ,'-infinity'::TIMESTAMPTZ,'21016-11-04T13:51:30.000000+07:00'::TIMESTAMPTZ);
-- INSERT_BIN_TYPES_STMT
INSERT INTO bitbin_table (ba, bol, bol2, bs, bs7, bv1, bv, bv2, bvl, bvunlimited1, bvunlimited2) VALUES (E'\\001\\002\\003'::bytea, '0'::bit(1), '1'::bit(1), '11'::bit(2), '1'::bit(7), '1'::bit varying(1), '00'::bit(2), '000000110000001000000001'::bit(24),'1000000000000000000000000000000000000000000000000000000000000000'::bit(64), '101', '111011010001000110000001000000001');
-- INSERT_GEOM_TYPES_STMT
INSERT INTO geom_table(p) VALUES ('(1,1)'::point);
-- INSERT_TEXT_TYPES_STMT
INSERT INTO text_table(j, jb, x, u) VALUES ('{"bar": "baz"}'::json, '{"bar": "baz"}'::jsonb, '<foo>bar</foo><foo>bar</foo>'::xml, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID);
-- INSERT_CASH_TYPES_STMT, INSERT_NEGATIVE_CASH_TYPES_STMT, INSERT_NULL_CASH_TYPES_STMT (RecordsSnapshotProducerIT)
INSERT INTO cash_table (csh) VALUES ('$1234.11');
INSERT INTO cash_table (csh) VALUES ('($1234.11)');
INSERT INTO cash_table (csh) VALUES (NULL);
-- INSERT_STRING_TYPES_STMT
INSERT INTO string_table (vc, vcv, ch, c, t, b, bnn, ct) VALUES ('žš', 'bb', 'cdef', 'abc', 'some text', E'\\000\\001\\002'::bytea, E'\\003\\004\\005'::bytea, 'Hello World');
-- INSERT_CIDR_NETWORK_ADDRESS_TYPE_STMT, INSERT_NETWORK_ADDRESS_TYPES_STMT, INSERT_MACADDR_TYPE_STMT, INSERT_MACADDR8_TYPE_STMT
INSERT INTO cidr_network_address_table (i) VALUES ('192.168.100.128/25');
INSERT INTO network_address_table (i) VALUES ('192.168.2.0/12');
INSERT INTO macaddr_table (m) VALUES ('08:00:2b:01:02:03');
INSERT INTO macaddr8_table (m) VALUES ('08:00:2b:01:02:03:04:05');
-- INSERT_ARRAY_TYPES_STMT (citext[], inet[], cidr[], macaddr[], range arrays, uuid[], json[], jsonb[], oid[])
INSERT INTO array_table (int_array, bigint_array, text_array, char_array, varchar_array, date_array, numeric_array, varnumeric_array, citext_array, inet_array, cidr_array, macaddr_array, tsrange_array, tstzrange_array, daterange_array, int4range_array, numerange_array, int8range_array, uuid_array, json_array, jsonb_array, oid_array) VALUES ('{1,2,3}', '{1550166368505037572}', '{"one","two","three"}', '{"cone","ctwo","cthree"}', '{"vcone","vctwo","vcthree"}', '{2016-11-04,2016-11-05,2016-11-06}', '{1.2,3.4,5.6}', '{1.1,2.22,3.333}', '{"four","five","six"}', '{"192.168.2.0/12","192.168.1.1","192.168.0.2/1"}', '{"192.168.100.128/25", "192.168.0.0/25", "192.168.1.0/24"}', '{"08:00:2b:01:02:03", "08-00-2b-01-02-03", "08002b:010203"}','{"[2019-03-31 15:30:00, infinity)", "[2019-03-31 15:30:00, 2019-04-30 15:30:00]"}', '{"[2017-06-05 11:29:12.549426+00,)", "[2017-06-05 11:29:12.549426+00, 2017-06-05 12:34:56.789012+00]"}', '{"[2019-03-31, infinity)", "[2019-03-31, 2019-04-30)"}', '{"[1,6)", "[1,4)"}', '{"[5.3,6.3)", "[10.0,20.0)"}', '{"[1000000,6000000)", "[5000,9000)"}', '{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}',array['{"bar": "baz"}','{"foo": "qux"}']::json[], array['{"bar": "baz"}','{"foo": "qux"}']::jsonb[], '{3,4000000000}');
-- INSERT_ARRAY_TYPES_WITH_NULL_VALUES_STMT
INSERT INTO array_table_with_nulls (int_array, bigint_array, text_array, date_array, numeric_array, varnumeric_array, citext_array, inet_array, cidr_array, macaddr_array, tsrange_array, tstzrange_array, daterange_array, int4range_array, numerange_array, int8range_array, uuid_array, json_array, jsonb_array) VALUES (null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
-- INSERT_QUOTED_TYPES_STMT
INSERT INTO "Quoted_"" . Schema"."Quoted_"" . Table" ("Quoted_"" . Text_Column") VALUES ('some text');
-- INSERT_CUSTOM_TYPES_STMT (ltree, isbn, ltree[])
INSERT INTO custom_table (lt, i, n, lt_array) VALUES ('Top.Collections.Pictures.Astronomy.Galaxies', '978-0-393-04002-9', NULL, '{"Ship.Frigate","Ship.Destroyer"}');
-- INSERT_HSTORE_TYPE_STMT and variants
INSERT INTO hstore_table (hs) VALUES ('"key" => "val"'::hstore);
INSERT INTO hstore_table_mul (hs, hsarr) VALUES ('"key1" => "val1","key2" => "val2","key3" => "val3"', array['"key4" => "val4","key5" => NULL'::hstore, '"key6" => "val6"']);
INSERT INTO hstore_table_with_null (hs) VALUES ('"key1" => "val1","key2" => NULL');
INSERT INTO hstore_table_with_special (hs) VALUES ('"key_#1" => "val 1","key 2" =>" ##123 78"');
-- INSERT_RANGE_TYPES_STMT
INSERT INTO range_table (unbounded_exclusive_tsrange, bounded_inclusive_tsrange, unbounded_exclusive_tstzrange, bounded_inclusive_tstzrange, unbounded_exclusive_daterange, bounded_exclusive_daterange, int4_number_range, numerange, int8_number_range) VALUES ('[2019-03-31 15:30:00, infinity)', '[2019-03-31 15:30:00, 2019-04-30 15:30:00]', '[2017-06-05 11:29:12.549426+00,)', '[2017-06-05 11:29:12.549426+00, 2017-06-05 12:34:56.789012+00]', '[2019-03-31, infinity)', '[2019-03-31, 2019-04-30)', '[1000,6000)', '[5.3,6.3)', '[1000000,6000000)');
-- INSERT_BYTEA_BINMODE_STMT, INSERT_UNKNOWN_TYPE_STMT (tsquery)
INSERT INTO bytea_binmode_table (ba, bytea_array) VALUES (E'\\001\\002\\003'::bytea, array[E'\\000\\001\\002'::bytea, E'\\003\\004\\005'::bytea]);
INSERT INTO unknown_type_table (tsq) VALUES ('fat <-> cat'::tsquery);
-- RecordsSnapshotProducerIT.shouldGenerateSnapshotForATableWithoutPrimaryKey
insert into table_without_pk values(1, 1000);

-- ---------------------------------------------------------------------------------------------------------------------
-- RecordsStreamProducerIT @BeforeEach (public.test_table + table_with_interval + one row) and the copies of
-- test_table the other stream scenarios need (each IT starts from its own fresh test_table; see header)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE TABLE test_table (pk SERIAL, text TEXT, PRIMARY KEY(pk));
CREATE TABLE table_with_interval (id SERIAL PRIMARY KEY, title VARCHAR(512) NOT NULL, time_limit INTERVAL DEFAULT '60 days'::INTERVAL NOT NULL);
INSERT INTO test_table(text) VALUES ('insert');

-- shouldReceiveChangesForInsertsIndependentOfReplicaIdentity / shouldReceiveChangesForUpdates /
-- shouldReceiveChangesForDeletesDependingOnReplicaIdentity (the PK is dropped mid-stream there)
CREATE TABLE test_table_pk_ri (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_pk_ri(text) VALUES ('insert');
-- shouldReceiveChangesForDeletes / shouldReceiveChangesForDeletesDependingOnReplicaIdentity (first part)
CREATE TABLE test_table_deletes (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_deletes(text) VALUES ('insert');
-- shouldProcessLargerTx (1000 inserts in one transaction)
CREATE TABLE test_table_large_tx (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_large_tx(text) VALUES ('insert');
-- shouldReceiveChangesForDefaultValues
CREATE TABLE test_table_defaults (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_defaults(text) VALUES ('insert');
-- shouldReceiveChangesForTypeConstraints (num_val NUMERIC(5,2) -> NUMERIC(6,1) -> NUMERIC -> DECIMAL(12,4) ... mid-stream)
CREATE TABLE test_table_num_val (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_num_val(text) VALUES ('insert');
-- shouldReceiveChangesForUpdatesWithPKChanges (UPDATE ... SET pk = 2)
CREATE TABLE test_table_pk_change (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_pk_change(text) VALUES ('insert');
-- shouldReceiveChangesForRenamedTable (ALTER TABLE test_table RENAME TO renamed_test_table)
CREATE TABLE test_table_rename (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_rename(text) VALUES ('insert');
-- shouldProcessTruncateMessages* (TRUNCATE ... RESTART IDENTITY CASCADE; TRUNCATE of two tables in one statement)
CREATE TABLE test_table_truncate (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_truncate(text) VALUES ('insert');
CREATE TABLE test_table_2 (pk SERIAL, text TEXT, PRIMARY KEY(pk));
-- shouldNotRefreshSchemaOnUnchangedToastedData / shouldRefreshSchemaOnUnchangedToastedDataWhenSchemaChanged
CREATE TABLE test_table_toast (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_toast(text) VALUES ('insert');
-- shouldNotPropagateUnchangedToastedData (mandatory_text with a TOASTed default)
CREATE TABLE test_table_toast_mandatory (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO test_table_toast_mandatory(text) VALUES ('insert');
-- shouldReceiveChangesForTableWithoutPrimaryKey (keyless, REPLICA IDENTITY FULL) -- was "test_table (id SERIAL, text TEXT)"
CREATE TABLE test_table_nopk_full (id SERIAL, text TEXT);
ALTER TABLE test_table_nopk_full REPLICA IDENTITY FULL;
-- testReceiveChangesForReplicaIdentityFullTableWithToastedValue (keyless, RI FULL, TOAST) -- was "test_table"
CREATE TABLE test_table_nopk_toast_full (id SERIAL, not_toast int, text TEXT);
ALTER TABLE test_table_nopk_toast_full REPLICA IDENTITY FULL;
-- shouldReceiveChangesAfterConnectionRestart: t0 (ADD COLUMN / SET NOT NULL mid-stream)
CREATE TABLE t0 (pk SERIAL, d INTEGER, PRIMARY KEY(pk));
-- shouldReceiveNumericTypeAsDoubleWithNullDefaults / shouldReceiveNumericTypeAsDoubleWithDefaults (DBZ-4137)
CREATE TABLE numeric_table_with_n_defaults (
    r int4 NOT NULL,
    r_numeric numeric(19, 4) NULL DEFAULT NULL,
    r_int int4 NULL DEFAULT NULL);
ALTER TABLE numeric_table_with_n_defaults REPLICA IDENTITY FULL;
CREATE TABLE numeric_table_with_defaults (
    r int4 NOT NULL,
    r_numeric numeric(19, 4) NOT NULL DEFAULT 1,
    r_int int4 NOT NULL DEFAULT 2);
ALTER TABLE numeric_table_with_defaults REPLICA IDENTITY FULL;
-- shouldReceiveTwentyFourHourTimeWithTimeZone(Array) (debezium/dbz#2100)
CREATE TABLE timetz_boundary_table (pk SERIAL, ttz0 TIME(0) WITH TIME ZONE, ttz6 TIME(6) WITH TIME ZONE, PRIMARY KEY(pk));
CREATE TABLE timetz_boundary_array_table (pk SERIAL, ttz TIMETZ[] NOT NULL, PRIMARY KEY(pk));
-- shouldStreamTimeArrayTypesAsKnownTypes (DBZ-1969)
CREATE TABLE time_array_table (pk SERIAL, timea time[] NOT NULL, timetza timetz[] NOT NULL, timestampa timestamp[] NOT NULL, timestamptza timestamptz[] NOT NULL, primary key(pk));
-- shouldReceiveChangesForInsertsWithMultiByteCharacterNames (schema, table and column names outside ASCII)
CREATE SCHEMA "テスト";
CREATE TABLE "テスト"."café" (pk SERIAL, "名前" TEXT, PRIMARY KEY(pk));
-- shouldMaintainPrimaryKeyOrderOnSchemaChange (key columns declared out of column order)
CREATE TABLE test_should_maintain_primary_key_order(b INTEGER, d INTEGER, c INTEGER, a INTEGER, val INTEGER, PRIMARY KEY (b, d, c, a));
-- testStreamMoneyAsDefaultPrecise / testStreamMoneyPreciseDecimalFraction
CREATE TABLE salary (pk SERIAL, name VARCHAR(50), salary money, PRIMARY KEY(pk));
-- shouldHandleNonNullIntervalFiledDelete
CREATE TABLE test_interval (pk SERIAL, i interval NOT NULL, PRIMARY KEY(pk));
-- shouldFailOnTableWithCaseSensitiveDuplicateColumns_snapshot_nodata / shouldFailOnAlterTableAddingCaseSensitiveDuplicateColumn /
-- shouldFailOnRenameColumnCreatingDuplicate: columns that differ only by case (duration vs "Duration")
CREATE TABLE test_case_columns (pk SERIAL PRIMARY KEY, duration INTEGER, "Duration" TEXT);
INSERT INTO test_case_columns (duration, "Duration") VALUES (100, 'test');
CREATE TABLE test_alter_case (pk SERIAL PRIMARY KEY, duration INTEGER);
INSERT INTO test_alter_case (duration) VALUES (100);
CREATE TABLE test_rename (pk SERIAL PRIMARY KEY, duration INTEGER, status TEXT);
-- shouldStreamColumnWhoseNameIsItselfQuoted: a column whose name contains single quotes
CREATE TABLE quoted_column_table (pk SERIAL, "'quoted'" TEXT, PRIMARY KEY(pk));
-- shouldPropagateSerialTypeNamesWhileStreaming: serial / smallserial / bigserial
CREATE TABLE serial_table (pk SERIAL, small SMALLSERIAL, big BIGSERIAL, plain INT, PRIMARY KEY(pk));
-- shouldStreamValuesForAliasLikeBaseTypes et al.: domains over every base type (alias_table; the mid-stream
-- ADD COLUMN of each base/alias pair is in the stream file); money2/varbit2 are shared by several ITs and created once.
CREATE DOMAIN money2 AS money DEFAULT 0.0;
CREATE DOMAIN money3 AS numeric(8,3) DEFAULT 0.0;
CREATE DOMAIN bit2 AS BIT(3);
CREATE DOMAIN smallint2 AS smallint;
CREATE DOMAIN integer2 as integer;
CREATE DOMAIN bigint2 as bigint;
CREATE DOMAIN real2 as real;
CREATE DOMAIN bool2 AS BOOL DEFAULT false;
CREATE DOMAIN float82 as float8;
CREATE DOMAIN numeric2 as numeric(6,2);
CREATE DOMAIN string2 AS varchar(25) DEFAULT NULL;
CREATE DOMAIN date2 AS date;
CREATE DOMAIN time2 as time;
CREATE DOMAIN timetz2 as timetz;
CREATE DOMAIN timestamp2 as timestamp;
CREATE DOMAIN timestamptz2 AS timestamptz;
CREATE DOMAIN timewotz2 as time without time zone;
CREATE DOMAIN box2 as box;
CREATE DOMAIN circle2 as circle;
CREATE DOMAIN interval2 as interval;
CREATE DOMAIN line2 as line;
CREATE DOMAIN lseg2 as lseg;
CREATE DOMAIN path2 as path;
CREATE DOMAIN point2 as point;
CREATE DOMAIN polygon2 as polygon;
CREATE DOMAIN char2 as char;
CREATE DOMAIN text2 as text;
CREATE DOMAIN json2 as json;
CREATE DOMAIN xml2 as xml;
CREATE DOMAIN uuid2 as uuid;
CREATE DOMAIN varbit2 as varbit(3);
CREATE DOMAIN inet2 as inet;
CREATE DOMAIN cidr2 as cidr;
CREATE DOMAIN macaddr2 as macaddr;
CREATE DOMAIN numeric82 as numeric(8,2);
CREATE DOMAIN numericex as numeric82;
CREATE DOMAIN float83 AS numeric(8,3) DEFAULT 0.0;
CREATE DOMAIN varbit2b AS varbit2;
-- shouldStreamValuesForAliasLikeBaseTypes (starts with just the key; columns are added mid-stream)
CREATE TABLE alias_table (pk SERIAL, PRIMARY KEY (pk));
-- shouldStreamChangesForDataTypeAlias (was alias_table)
CREATE TABLE alias_table_money (pk SERIAL, data VARCHAR(50), salary money, salary2 money2, PRIMARY KEY(pk));
-- shouldStreamChangesForDomainAliasAlterTable: money2/money3 columns added mid-stream (was alias_table)
CREATE TABLE alias_table_money_alter (pk SERIAL, data VARCHAR(50), salary money, PRIMARY KEY(pk));
-- shouldStreamDomainAliasWithProperModifiers: domain varbit2 column added mid-stream (was alias_table)
CREATE TABLE alias_table_varbit (pk SERIAL, PRIMARY KEY(pk));
-- shouldStreamValuesForDomainTypeOfDomainType: numericex -> numeric82 -> numeric(8,2) (was alias_table)
CREATE TABLE alias_table_numeric (pk SERIAL, value numericex, PRIMARY KEY (pk));
-- RecordsSnapshotProducerIT.shouldSnapshotDomainTypeWithPropagatedSourceTypeAttributes (money2, float83) and
-- .shouldSnapshotNestedDomainAliasTypeModifiersNotPropagated (varbit2b) (both were alias_table)
CREATE TABLE alias_table_snapshot (pk SERIAL, salary money, salary2 money2, a numeric(8,3), area float83, PRIMARY KEY(pk));
INSERT INTO alias_table_snapshot (salary, salary2, a, area) VALUES (7.25, 8.25, 12345.123, 12345.123);
CREATE TABLE alias_table_varbit2b (pk SERIAL, value varbit2b NOT NULL, PRIMARY KEY (pk));
INSERT INTO alias_table_varbit2b (value) VALUES (B'101');
-- enum scenarios of RecordsStreamProducerIT (shouldStreamEnumAsKnownType, shouldEmitEnumColumnDefaultValuesInSchema,
-- shouldStreamEnumArrayAsKnownType): the enum itself is created mid-stream (stream file). This one
-- (shouldRefreshSchemaWhenEnumValueAddedViaAlterType) exists before the stream and gets a new label mid-stream
-- (was "CREATE TYPE test_type AS ENUM ('V1')" + enum_table)
CREATE TYPE test_type_rsp_added AS ENUM ('V1');
CREATE TABLE enum_table_added_value (pk SERIAL, value test_type_rsp_added NOT NULL, PRIMARY KEY (pk));
CREATE TABLE enum_table (pk SERIAL, PRIMARY KEY (pk));
CREATE TABLE enum_table_default (pk SERIAL, PRIMARY KEY (pk));
CREATE TABLE enum_array_table (pk SERIAL, PRIMARY KEY (pk));
-- shouldHandleToasted*Column scenarios (each was "test_toast_table", recreated per test with a different column set)
CREATE TABLE test_toast_table_text_array (id SERIAL PRIMARY KEY, text TEXT);
CREATE TABLE test_toast_table_varchar_array (id SERIAL PRIMARY KEY, text character varying(255));
CREATE TABLE test_toast_table_bpchar_array (id SERIAL PRIMARY KEY, text bpchar(6));
CREATE TABLE test_toast_table_date_array (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_bytea_array (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_bytea (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_int_array (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_bigint_array (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_json_array (id SERIAL PRIMARY KEY, text TEXT);
CREATE TABLE test_toast_table_hstore (id SERIAL PRIMARY KEY, text TEXT);
CREATE TABLE test_toast_table_uuid_array (id SERIAL PRIMARY KEY, text TEXT);
-- shouldHandleToasted*ColumnForReplicaIdentityFullTable variants
CREATE TABLE test_toast_table_text_array_full (id SERIAL PRIMARY KEY);
CREATE TABLE test_toast_table_int_array_full (id SERIAL PRIMARY KEY);

-- ---------------------------------------------------------------------------------------------------------------------
-- RecordsSnapshotProducerIT: other shapes
-- ---------------------------------------------------------------------------------------------------------------------
-- shouldGenerateSnapshotsForPartitionedTables (DBZ-1118): keyless partitioned parent, keys only on the partitions.
-- RANDOM() replaced by deterministic values in the same ranges (user_id 1..100 / 101..200, aa 0..100000).
CREATE TABLE first_table (pk integer, user_id integer, PRIMARY KEY(pk));
CREATE TABLE partitioned (pk serial, user_id integer, aa integer) PARTITION BY RANGE (user_id);
CREATE TABLE partitioned_1_100 PARTITION OF partitioned (CONSTRAINT p_1_100_pk PRIMARY KEY (pk)) FOR VALUES FROM (1) TO (101);
CREATE TABLE partitioned_101_200 PARTITION OF partitioned (CONSTRAINT p_101_200_pk PRIMARY KEY (pk)) FOR VALUES FROM (101) TO (201);
INSERT INTO first_table (pk, user_id) VALUES (1000, 1);
INSERT INTO partitioned (user_id, aa) SELECT (g * 37) % 99 + 1, (g * 7919) % 100000 FROM generate_series(1, 10) g;
INSERT INTO partitioned (user_id, aa) SELECT (g * 37) % 99 + 101, (g * 7919) % 100000 FROM generate_series(1, 20) g;
-- shouldStreamAfterSnapshotForTableWithoutAnyColumn: a table with zero columns
CREATE TABLE t1();
-- shouldSnapshotPre1582TimestampCorrectly (debezium/dbz#1916): Julian/Gregorian switch
CREATE TABLE pre1582_ts_table (pk SERIAL, ts TIMESTAMP NOT NULL, tstz TIMESTAMPTZ NOT NULL, PRIMARY KEY(pk));
INSERT INTO pre1582_ts_table (ts, tstz) VALUES ('0001-01-31T00:00:00'::TIMESTAMP, '0001-01-31T00:00:00+00'::TIMESTAMPTZ);
INSERT INTO pre1582_ts_table (ts, tstz) VALUES ('1000-06-15T12:30:45.123456'::TIMESTAMP, '1000-06-15T12:30:45.123456+00'::TIMESTAMPTZ);
-- shouldNotSnapshotMaterializedViews: a materialized view next to its table (logical decoding never streams it)
CREATE TABLE mv_real_table (pk SERIAL, i integer, s VARCHAR(50), PRIMARY KEY(pk));
CREATE MATERIALIZED VIEW mv (pk, s) AS SELECT mrv.pk, mrv.s FROM mv_real_table mrv WITH DATA;
INSERT INTO mv_real_table (i,s) VALUES (1,'1');
REFRESH MATERIALIZED VIEW mv WITH DATA;

-- ---------------------------------------------------------------------------------------------------------------------
-- s1 / s2 / s3: postgres_create_multiple_tables.ddl, postgres_create_role_specific_tables.ddl (roles, grants,
-- SET ROLE and CREATE PUBLICATION removed) and PostgresConnectorIT (SETUP_TABLES_STMT + odd names + partitions)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA s1;
CREATE SCHEMA s2;
CREATE SCHEMA s3;
CREATE TABLE s1.a (pk SERIAL, aa integer, PRIMARY KEY(pk));
CREATE TABLE s2.a (pk SERIAL, aa integer, bb varchar(20), PRIMARY KEY(pk));
CREATE TABLE s3.a (pk SERIAL, aa integer, PRIMARY KEY(pk));
CREATE TABLE s2.b (pk SERIAL, aa integer, bb varchar(20), PRIMARY KEY(pk));
CREATE TABLE s2.c (pk SERIAL, aa integer, bb varchar(20), PRIMARY KEY(pk));
ALTER TABLE s1.a REPLICA IDENTITY DEFAULT;
ALTER TABLE s3.a REPLICA IDENTITY DEFAULT;
ALTER TABLE s2.b REPLICA IDENTITY DEFAULT;
ALTER TABLE s2.c REPLICA IDENTITY DEFAULT;
-- PostgresConnectorIT INSERT_STMT
INSERT INTO s1.a (aa) VALUES (1);
INSERT INTO s2.a (aa) VALUES (1);
-- shouldReplaceInvalidTopicNameCharacters (DBZ-878): '|' and '@' in a table name
CREATE TABLE s1."dbz_878_some|test@data" (pk SERIAL, aa integer, PRIMARY KEY(pk));
INSERT INTO s1."dbz_878_some|test@data" (aa) VALUES (123);
-- shouldIncludeTableWithBackSlashInName (DBZ-5917): a backslash in a table name (next to an excluded table)
CREATE TABLE s1."back\slash" (pk SERIAL, aa integer, bb integer, PRIMARY KEY(pk));
CREATE TABLE s1.another_table (pk SERIAL, aa integer, bb integer, PRIMARY KEY(pk));
INSERT INTO s1."back\slash" (aa, bb) VALUES (1, 1);
INSERT INTO s1."back\slash" (aa, bb) VALUES (2, 2);
-- shouldAddNewFieldToSourceInfo (DBZ-6076): an unquoted upper-case name (folds to s1.dbz6076)
CREATE TABLE s1.DBZ6076 (pk SERIAL, aa integer, PRIMARY KEY(pk));
INSERT INTO s1.DBZ6076 (aa) VALUES (1);
-- shouldCreateEnumSchemaWithLogicalOrder: enum whose sort order ('c' < 'a' < 'b') differs from the labels' text order
CREATE TYPE enum8684 as enum ('c','a','b');
CREATE TABLE s1.enum_table (pk SERIAL, data enum8684, primary key (pk));
INSERT INTO s1.enum_table (pk,data) values (1, 'a'::enum8684);
-- testShouldNotCloseConnectionFetchingMetadataWithNewDataTypes (DBZ-5204)
CREATE TYPE enum5204 as enum ('V1','V2');
CREATE TABLE s1.c (pk SERIAL, data enum5204, primary key (pk));
INSERT INTO s1.c (pk,data) values (1, 'V1'::enum5204);
-- shouldReselectToastColumnsOnPrimaryKeyChange (DBZ-5295): two TOASTed columns under REPLICA IDENTITY FULL
-- (RandomStringUtils replaced by md5 strings); its key is updated in the stream
CREATE TABLE s1.dbz5295 (pk serial, data text, data2 text, primary key(pk));
ALTER TABLE s1.dbz5295 REPLICA IDENTITY FULL;
INSERT INTO s1.dbz5295 (pk,data,data2) values (1,
    (SELECT left(string_agg(md5('dbz5295-a-' || g), ''), 10000) FROM generate_series(1, 313) g),
    (SELECT left(string_agg(md5('dbz5295-b-' || g), ''), 10000) FROM generate_series(1, 313) g));
-- shouldUpdateExistingPublicationForConfiguredPartitionedTables / shouldIncludePartitionedTableIntoSnapshot:
-- partitioned table with a key on the parent. Rows: (0,0) from the first test; (2,2), (3,700), (4,800) from the
-- second (its (1,1) is left out because the first test streams (1,1) and (501,501), see 20_stream.sql)
CREATE TABLE s1.part (pk SERIAL, aa integer, PRIMARY KEY(pk, aa)) PARTITION BY RANGE (aa);
CREATE TABLE s1.part1 PARTITION OF s1.part FOR VALUES FROM (0) TO (500);
CREATE TABLE s1.part2 PARTITION OF s1.part FOR VALUES FROM (500) TO (1000);
INSERT INTO s1.part (pk, aa) VALUES (0, 0);
INSERT into s1.part VALUES(2, 2);
INSERT into s1.part VALUES(3, 700);
INSERT into s1.part VALUES(4, 800);
-- shouldStreamSuccessfullyWithSchemasWithUnderscores (DBZ-9305): schema names that collide under LIKE ('test_' matches 'test1')
CREATE SCHEMA test_;
CREATE SCHEMA test1;
CREATE TABLE test_.tab (pk SERIAL, aa integer, bb integer, PRIMARY KEY(pk));
CREATE TABLE test1.tab (pk SERIAL, aa integer, bb integer, PRIMARY KEY(pk));
INSERT INTO test_.tab (aa, bb) VALUES (1, 1);
INSERT INTO test1.tab (aa, bb) VALUES (2, 2);
-- shouldReceiveChangesForChangePKColumnDefinition (the key is renamed and widened mid-stream)
CREATE SCHEMA changepk;
CREATE TABLE changepk.test_table (pk SERIAL, text TEXT, PRIMARY KEY(pk));
INSERT INTO changepk.test_table(text) VALUES ('insert');
-- shouldReceiveChangesForChangeColumnDefault (defaults changed mid-stream)
CREATE SCHEMA default_change;
CREATE TABLE default_change.test_table (pk SERIAL, i INT DEFAULT 1, text TEXT DEFAULT 'foo', PRIMARY KEY(pk));
INSERT INTO default_change.test_table(i, text) VALUES (DEFAULT, DEFAULT);

-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresEnumIT.shouldReproduceTypeRegistryDuplicateEnumNameBug: an ENUM public.test_type and a DOMAIN
-- test.test_type (and the mirror image test.test_type2 enum / public.test_type2 domain), plus an enum whose
-- name contains a dot ("bug.status").
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA IF NOT EXISTS test;
CREATE TYPE public.test_type AS ENUM ('X', 'Y');
CREATE DOMAIN test.test_type AS INTEGER;
CREATE TYPE "bug.status" AS ENUM ('new', 'open', 'closed');
CREATE TABLE public.enum_test (id int4 NOT NULL, value public.test_type DEFAULT 'X'::public.test_type, status "bug.status" DEFAULT 'new'::"bug.status", CONSTRAINT enum_test_pkey PRIMARY KEY (id));
CREATE TABLE test.int_test (id int4 NOT NULL, value test.test_type DEFAULT 42, CONSTRAINT int_test_pkey PRIMARY KEY (id));
CREATE TYPE test.test_type2 AS ENUM ('A', 'B');
CREATE DOMAIN public.test_type2 AS INTEGER;
CREATE TABLE test.enum_test (id int4 NOT NULL, value test.test_type2 DEFAULT 'A'::test.test_type2, CONSTRAINT enum_test_pkey PRIMARY KEY (id));
CREATE TABLE public.int_test (id int4 NOT NULL, value public.test_type2 DEFAULT 100, CONSTRAINT int_test_pkey PRIMARY KEY (id));

-- ---------------------------------------------------------------------------------------------------------------------
-- DomainTypesIT: domain with a CHECK (regex), array of a domain, domains over numeric/money/timestamp
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA domaintypes;
CREATE DOMAIN nmtoken AS text CHECK (VALUE ~* '^[A-Z0-9\.\_\-\:]+$');
CREATE TABLE domaintypes.t1 (id serial primary key, token nmtoken, tokens nmtoken[]);
CREATE DOMAIN domaintypes.num_dom AS numeric;
CREATE DOMAIN domaintypes.money_dom AS money;
CREATE DOMAIN domaintypes.ts_dom AS timestamp;
CREATE TABLE domaintypes.t2 (id serial primary key, plain_num numeric, dom_num domaintypes.num_dom, plain_money money, dom_money domaintypes.money_dom, plain_ts timestamp, dom_ts domaintypes.ts_dom);
INSERT INTO domaintypes.t2 (id, plain_num, dom_num, plain_money, dom_money, plain_ts, dom_ts) VALUES (default, 123.45, 123.45, 67.89, 67.89, '2021-03-08 12:34:56', '2021-03-08 12:34:56');

-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresMoneyIT: money at both ends of its range (insertTwoRecords(); the nullable variant of the table)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA post_money;
CREATE TABLE post_money.debezium_test (id int4 NOT NULL, m money, CONSTRAINT dbz_test_pkey PRIMARY KEY (id));
insert into post_money.debezium_test(id, m) values(8, -92233720368547758.08),(9, 92233720368547758.07);

-- ---------------------------------------------------------------------------------------------------------------------
-- TablesWithoutPrimaryKeyIT: unique-only keys and a pure keyless table
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA nopk;
CREATE TABLE nopk.t1 (pk INT UNIQUE, val INT);
CREATE TABLE nopk.t2 (pk INT UNIQUE, val INT UNIQUE);
CREATE TABLE nopk.t3 (pk INT, val INT);
INSERT INTO nopk.t1 VALUES (1,10);
INSERT INTO nopk.t2 VALUES (2,20);
INSERT INTO nopk.t3 VALUES (3,30);

-- ---------------------------------------------------------------------------------------------------------------------
-- TsVectorDataTypeIT + init_tsvector.ddl: tsvector, directly and through a trigger (the trigger test recreated the
-- table; here it is a second table text_search_test_trg)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA tsvector;
CREATE TABLE tsvector.text_search_test (id SERIAL PRIMARY KEY, title TEXT, content TEXT, search_vector tsvector);
INSERT INTO tsvector.text_search_test (title, content, search_vector) VALUES ('TC1 - Direct TSV', 'This is a test for direct tsvector insert', to_tsvector('english', 'This is a test for direct tsvector insert'));
CREATE TABLE tsvector.text_search_test_trg ( id SERIAL PRIMARY KEY, title TEXT, content TEXT,  search_vector tsvector);
CREATE OR REPLACE FUNCTION tsvector.trg_update_search_vector() RETURNS trigger AS $$ BEGIN NEW.search_vector := to_tsvector('english', NEW.content); RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER trg_set_tsvector BEFORE INSERT OR UPDATE ON tsvector.text_search_test_trg FOR EACH ROW EXECUTE FUNCTION tsvector.trg_update_search_vector();

-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresTemporalPrecisionHandlingIT: temporal precisions 0..6, far-future timestamp, infinities (rows of the
-- snapshot tests; the streaming tests' rows are in the stream file)
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA IF NOT EXISTS temporaltype ;
CREATE TABLE IF NOT EXISTS temporaltype.test_data_types
(
    c_id INTEGER             ,
    c_json JSON              ,
    c_jsonb JSONB            ,
    c_date DATE              ,
    c_timestamp0 TIMESTAMP(0),
    c_timestamp1 TIMESTAMP(1),
    c_timestamp2 TIMESTAMP(2),
    c_timestamp3 TIMESTAMP(3),
    c_timestamp4 TIMESTAMP(4),
    c_timestamp5 TIMESTAMP(5),
    c_timestamp6 TIMESTAMP(6),
    c_timestamptz TIMESTAMPTZ,
    c_time TIME WITH TIME ZONE,
    c_time_whtz TIME WITHOUT TIME ZONE,
    c_interval INTERVAL,
    PRIMARY KEY(c_id)
) ;
ALTER TABLE temporaltype.test_data_types REPLICA IDENTITY FULL;
-- shouldConvertSnapshotTemporalsToStructuredValues: 294276-12-31 23:59:59.999999 is the last timestamp PostgreSQL has
INSERT INTO temporaltype.test_data_types
VALUES (
    30,
    NULL,
    NULL,
    'infinity',
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    '294276-12-31 23:59:59.999999',
    'infinity',
    '04:05:11 PST',
    '04:05:11.789',
    INTERVAL '1 year 2 months 3 days 04:05:06.789'
);
-- 24:00 with a non-UTC offset, microsecond timetz
INSERT INTO temporaltype.test_data_types (c_id, c_time)
VALUES (31, '24:00:00+05:30'), (32, '13:51:30.123789+02:00');

RESET search_path;
