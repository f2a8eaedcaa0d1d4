-- =====================================================================================================================
-- Peer fixture: Debezium PostgreSQL connector -- STREAM (run while the pipeline streams, after every *_setup.sql)
--
-- Origin     : https://github.com/debezium/debezium  (module debezium-connector-postgres)
-- Commit     : aad5519902997a3627fe296f77ea6d3452e9acce
-- Licence    : Apache License 2.0 (Copyright Debezium Authors). This file is a derived work; changes listed below.
-- Read from  (src/test/java/io/debezium/connector/postgresql/):
--   RecordsStreamProducerIT.java, AbstractRecordsProducerTest.java (INSERT_*_STMT), PostgresConnectorIT.java,
--   PostgresEnumIT.java, DomainTypesIT.java, PostgresMoneyIT.java, TablesWithoutPrimaryKeyIT.java,
--   TsVectorDataTypeIT.java, PostgresTemporalPrecisionHandlingIT.java, PublicGeometryIT.java
--
-- Every block names the test method whose statements it replays (in that method's order). The statements are the
-- peers' own, with these changes:
--   * Tables renamed as in 10_setup.sql (each IT had its own fresh test_table / alias_table / test_toast_table /
--     enum; here they are copies with a scenario suffix). Constraint names follow the table name, so
--     "DROP CONSTRAINT test_table_pkey" on a copy reads test_table_pk_ri_pkey.
--   * Random values (RandomStringUtils, UUID.randomUUID) replaced by deterministic md5/generate_series expressions
--     of the same length, so the file is deterministic and the values still go to TOAST.
--   * Left out on purpose: UPDATE/DELETE on a table that has neither a primary key nor REPLICA IDENTITY FULL
--     (Debezium skips those tests under pgoutput: PostgreSQL refuses them once the table is in a publication);
--     DROP/CREATE of a table just to reset it between tests; statements on replication origins, logical messages,
--     heartbeats and signals; PostGIS inserts.
--   * CREATE TYPE ... AS ENUM appears here (not in setup) where the peer creates the enum while the connector
--     streams and then ALTERs a table to use it (type-registry refresh is what those tests exercise).
--   * ALTER TYPE ... ADD VALUE is the last statement; the INSERT using the new label is in 21_stream.sql because
--     PostgreSQL refuses a new enum label in the transaction that added it (a JDBC Statement.execute of a whole
--     file is one transaction).
-- =====================================================================================================================

SET search_path TO public;

-- ---------------------------------------------------------------------------------------------------------------------
-- RecordsStreamProducerIT.shouldReceiveChangesForInsertsWithDifferentDataTypes
-- ---------------------------------------------------------------------------------------------------------------------
INSERT INTO numeric_table (si, i, bi, r, db, r_int, db_int, r_nan, db_nan, r_pinf, db_pinf, r_ninf, db_ninf, ss, bs, b, o) VALUES (1, 123456, 1234567890123, 3.3, 4.44, 3, 4, 'NaN', 'NaN', 'Infinity', 'Infinity', '-Infinity', '-Infinity', 1, 123, true, 4000000000);
INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dzs_int, dvs_int, n_int, nzs_int, nvs_int, d_nan, dzs_nan, dvs_nan, n_nan, nzs_nan, nvs_nan) VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 10, 22, 22, 22, null, null, null, null, null, null);
INSERT INTO string_table (vc, vcv, ch, c, t, b, bnn, ct) VALUES ('žš', 'bb', 'cdef', 'abc', 'some text', E'\\000\\001\\002'::bytea, E'\\003\\004\\005'::bytea, 'Hello World');
INSERT INTO cash_table (csh) VALUES ('$1234.11');
INSERT INTO cash_table (csh) VALUES ('($1234.11)');
INSERT INTO bitbin_table (ba, bol, bol2, bs, bs7, bv1, bv, bv2, bvl, bvunlimited1, bvunlimited2) VALUES (E'\\001\\002\\003'::bytea, '0'::bit(1), '1'::bit(1), '11'::bit(2), '1'::bit(7), '1'::bit varying(1), '00'::bit(2), '000000110000001000000001'::bit(24),'1000000000000000000000000000000000000000000000000000000000000000'::bit(64), '101', '111011010001000110000001000000001');
INSERT INTO time_table(ts, tsneg, ts_ms, ts_us, tz, date, date_pinf, date_ninf, ti, tip, ttf, ttz, tptz, it, ts_large, ts_large_us, ts_large_ms, tz_large, ts_max, ts_min, tz_max, tz_min, ts_pinf, ts_ninf, tz_pinf, tz_ninf, tz_zero) VALUES ('2016-11-04T13:51:30.123456'::TIMESTAMP, '1936-10-25T22:10:12.608'::TIMESTAMP, '2016-11-04T13:51:30.123456'::TIMESTAMP, '2016-11-04T13:51:30.123456'::TIMESTAMP, '2016-11-04T13:51:30.123456+02:00'::TIMESTAMPTZ, '2016-11-04'::DATE, 'infinity'::DATE, '-infinity'::DATE, '13:51:30'::TIME, '13:51:30.123'::TIME, '24:00:00'::TIME, '13:51:30.123789+02:00'::TIMETZ, '13:51:30.123+02:00'::TIMETZ, 'P1Y2M3DT4H5M6.78S'::INTERVAL,'21016-11-04T13:51:30.123456'::TIMESTAMP, '21016-11-04T13:51:30.123457'::TIMESTAMP, '21016-11-04T13:51:30.124'::TIMESTAMP,'21016-11-04T13:51:30.123456+07:00'::TIMESTAMPTZ,'294247-01-01T23:59:59.999999'::TIMESTAMP,'4713-12-31T23:59:59.999999 BC'::TIMESTAMP,'294247-01-01T23:59:59.999999+00:00'::TIMESTAMPTZ,'4714-12-31T23:59:59.999999Z BC'::TIMESTAMPTZ,'infinity'::TIMESTAMP,'-infinity'::TIMESTAMP,'infinity'::TIMESTAMPTZ,'-infinity'::TIMESTAMPTZ,'21016-11-04T13:51:30.000000+07:00'::TIMESTAMPTZ);
INSERT INTO text_table(j, jb, x, u) VALUES ('{"bar": "baz"}'::json, '{"bar": "baz"}'::jsonb, '<foo>bar</foo><foo>bar</foo>'::xml, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID);
INSERT INTO geom_table(p) VALUES ('(1,1)'::point);
INSERT INTO range_table (unbounded_exclusive_tsrange, bounded_inclusive_tsrange, unbounded_exclusive_tstzrange, bounded_inclusive_tstzrange, unbounded_exclusive_daterange, bounded_exclusive_daterange, int4_number_range, numerange, int8_number_range) VALUES ('[2019-03-31 15:30:00, infinity)', '[2019-03-31 15:30:00, 2019-04-30 15:30:00]', '[2017-06-05 11:29:12.549426+00,)', '[2017-06-05 11:29:12.549426+00, 2017-06-05 12:34:56.789012+00]', '[2019-03-31, infinity)', '[2019-03-31, 2019-04-30)', '[1000,6000)', '[5.3,6.3)', '[1000000,6000000)');

-- shouldReceiveNumericTypeAsDouble / shouldReceiveNumericTypeAsString (numeric NaN)
INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dzs_int, dvs_int, n_int, nzs_int, nvs_int, d_nan, dzs_nan, dvs_nan, n_nan, nzs_nan, nvs_nan) VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 10, 22, 22, 22, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN');
-- shouldReceiveChangesForInfinityNumericWithInfinity (numeric 'Infinity' / '-Infinity', PostgreSQL 14+)
INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dzs_int, dvs_int, n_int, nzs_int, nvs_int, d_nan, dzs_nan, dvs_nan, n_nan, nzs_nan, nvs_nan) VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 10, 22, 22, 22, null, null, 'Infinity', null, null, '-Infinity');

-- shouldReceiveChangesForInsertsCustomTypes (ltree, isbn, ltree[])
INSERT INTO custom_table (lt, i, n, lt_array) VALUES ('Top.Collections.Pictures.Astronomy.Galaxies', '978-0-393-04002-9', NULL, '{"Ship.Frigate","Ship.Destroyer"}');
-- shouldReceiveChangesForInsertsWithQuotedNames
INSERT INTO "Quoted_"" . Schema"."Quoted_"" . Table" ("Quoted_"" . Text_Column") VALUES ('some text');
-- shouldReceiveChangesForInsertsWithArrayTypes / shouldReceiveChangesForNullInsertsWithArrayTypes
INSERT INTO array_table (int_array, bigint_array, text_array, char_array, varchar_array, date_array, numeric_array, varnumeric_array, citext_array, inet_array, cidr_array, macaddr_array, tsrange_array, tstzrange_array, daterange_array, int4range_array, numerange_array, int8range_array, uuid_array, json_array, jsonb_array, oid_array) VALUES ('{1,2,3}', '{1550166368505037572}', '{"one","two","three"}', '{"cone","ctwo","cthree"}', '{"vcone","vctwo","vcthree"}', '{2016-11-04,2016-11-05,2016-11-06}', '{1.2,3.4,5.6}', '{1.1,2.22,3.333}', '{"four","five","six"}', '{"192.168.2.0/12","192.168.1.1","192.168.0.2/1"}', '{"192.168.100.128/25", "192.168.0.0/25", "192.168.1.0/24"}', '{"08:00:2b:01:02:03", "08-00-2b-01-02-03", "08002b:010203"}','{"[2019-03-31 15:30:00, infinity)", "[2019-03-31 15:30:00, 2019-04-30 15:30:00]"}', '{"[2017-06-05 11:29:12.549426+00,)", "[2017-06-05 11:29:12.549426+00, 2017-06-05 12:34:56.789012+00]"}', '{"[2019-03-31, infinity)", "[2019-03-31, 2019-04-30)"}', '{"[1,6)", "[1,4)"}', '{"[5.3,6.3)", "[10.0,20.0)"}', '{"[1000000,6000000)", "[5000,9000)"}', '{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}',array['{"bar": "baz"}','{"foo": "qux"}']::json[], array['{"bar": "baz"}','{"foo": "qux"}']::jsonb[], '{3,4000000000}');
INSERT INTO array_table_with_nulls (int_array, bigint_array, text_array, date_array, numeric_array, varnumeric_array, citext_array, inet_array, cidr_array, macaddr_array, tsrange_array, tstzrange_array, daterange_array, int4range_array, numerange_array, int8range_array, uuid_array, json_array, jsonb_array) VALUES (null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
-- shouldReceiveHStoreTypeWithSingleValueAsMap / ...MultipleValues / ...NullValues / ...SpecialCharactersInValues
INSERT INTO hstore_table (hs) VALUES ('"key" => "val"'::hstore);
INSERT INTO hstore_table_mul (hs, hsarr) VALUES ('"key1" => "val1","key2" => "val2","key3" => "val3"', array['"key4" => "val4","key5" => NULL'::hstore, '"key6" => "val6"']);
INSERT INTO hstore_table_with_null (hs) VALUES ('"key1" => "val1","key2" => NULL');
INSERT INTO hstore_table_with_special (hs) VALUES ('"key_#1" => "val 1","key 2" =>" ##123 78"');
-- shouldReceiveByteaBytes (bytea and bytea[])
INSERT INTO bytea_binmode_table (ba, bytea_array) VALUES (E'\\001\\002\\003'::bytea, array[E'\\000\\001\\002'::bytea, E'\\003\\004\\005'::bytea]);
-- shouldReceiveUnknownTypeAsBytes (tsquery)
INSERT INTO unknown_type_table (tsq) VALUES ('fat <-> cat'::tsquery);
-- (ALL_STMTS members the stream tests also replay)
INSERT INTO cidr_network_address_table (i) VALUES ('192.168.100.128/25');
INSERT INTO network_address_table (i) VALUES ('192.168.2.0/12');
INSERT INTO macaddr_table (m) VALUES ('08:00:2b:01:02:03');

-- shouldReceiveDeletesWithInfinityDate (DBZ-5014): delete of the setup row that holds every infinity, RI FULL
ALTER TABLE time_table REPLICA IDENTITY FULL;
DELETE FROM time_table WHERE pk=1;

-- shouldReceiveTwentyFourHourTimeWithTimeZone / ...Array (debezium/dbz#2100): 23:59:59.999999 rounds to 24:00 in timetz(0)
INSERT INTO timetz_boundary_table (ttz0, ttz6) VALUES ('23:59:59.999999+00'::TIMETZ, '24:00:00+00'::TIMETZ);
INSERT INTO timetz_boundary_array_table (ttz) VALUES (ARRAY['23:59:59.999999+00'::TIMETZ(0), '24:00:00+00'::TIMETZ, '00:00:00+00'::TIMETZ, NULL::TIMETZ]);

-- shouldProcessNotNullColumnsFallbacksReplicaIdentity (box, circle, line, lseg, path, point, polygon, money, bit, timetz, xml ...)
INSERT INTO not_null_table VALUES (default, 30, '2019-02-10 11:34:58', '2019-02-10 11:35:00', '10:20:11', '10:20:12', '2019-02-01', '$20', B'101', 32766, 2147483646, 9223372036854775806, 3.14, true, 3.14768, 1234.56, 'Test', '(0,0),(1,1)', '<(0,0),1>', '01:02:03', '{0,1,2}', '((0,0),(1,1))', '((0,0),(0,1),(0,2))', '(1,1)', '((0,0),(0,1),(1,1))', 'a', 'hello world', '{"key": 123}', '<doc><item>abc</item></doc>', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', B'101', '192.168.1.100', '192.168.1', '08:00:2b:01:02:03');
UPDATE not_null_table SET val=40;

-- shouldReceiveChangesForInsertsWithPostgisTypes / PublicGeometryIT (the PostGIS-free trigger row)
INSERT INTO public.dummy_table DEFAULT VALUES;

-- shouldReceiveChangesForInsertsWithMultiByteCharacterNames
INSERT INTO "テスト"."café" ("名前") VALUES ('日本語テキスト');

-- ---------------------------------------------------------------------------------------------------------------------
-- test_table and its copies
-- ---------------------------------------------------------------------------------------------------------------------
-- shouldReceiveChangesForUpdates (first part: RI DEFAULT, then FULL; the keyless part is on test_table_pk_ri below)
UPDATE test_table set text='update' WHERE pk=1;
ALTER TABLE test_table REPLICA IDENTITY FULL;
UPDATE test_table set text='update2' WHERE pk=1;
-- shouldReceiveChangesForUpdatesWithColumnChanges: add / rename / drop / retype a column mid-stream
ALTER TABLE test_table ADD COLUMN uvc VARCHAR(2);
ALTER TABLE test_table REPLICA IDENTITY FULL;
UPDATE test_table SET uvc ='aa' WHERE pk = 1;
ALTER TABLE test_table RENAME COLUMN uvc to xvc;
UPDATE test_table SET xvc ='bb' WHERE pk = 1;
ALTER TABLE test_table DROP COLUMN xvc;
UPDATE test_table SET text ='update' WHERE pk = 1;
ALTER TABLE test_table ADD COLUMN modtype INTEGER;
INSERT INTO test_table (pk,modtype) VALUES (2,1);
ALTER TABLE test_table ALTER COLUMN modtype TYPE SMALLINT;
UPDATE test_table SET modtype = 2 WHERE pk = 2;

-- shouldReceiveChangesForInsertsIndependentOfReplicaIdentity (the primary key is dropped mid-stream) and the keyless
-- RI FULL update of shouldReceiveChangesForUpdates ("update3"). The RI DEFAULT keyless UPDATE ('no_pk_and_default')
-- is left out: PostgreSQL refuses it once the table is published.
ALTER TABLE test_table_pk_ri REPLICA IDENTITY DEFAULT;
INSERT INTO test_table_pk_ri (text) VALUES ('pk_and_default');
ALTER TABLE test_table_pk_ri REPLICA IDENTITY FULL;
INSERT INTO test_table_pk_ri (text) VALUES ('pk_and_full');
ALTER TABLE test_table_pk_ri DROP CONSTRAINT test_table_pk_ri_pkey CASCADE;
INSERT INTO test_table_pk_ri (pk, text) VALUES (4, 'no_pk_and_full');
UPDATE test_table_pk_ri SET text = 'update3' WHERE pk = 1;
ALTER TABLE test_table_pk_ri REPLICA IDENTITY DEFAULT;
INSERT INTO test_table_pk_ri (pk, text) VALUES (5, 'no_pk_and_default');

-- shouldReceiveChangesForDeletesDependingOnReplicaIdentity (first part) + shouldReceiveChangesForDeletes
ALTER TABLE test_table_deletes REPLICA IDENTITY DEFAULT;
DELETE FROM test_table_deletes WHERE pk = 1;
INSERT INTO test_table_deletes (text) VALUES ('insert2');
DELETE FROM test_table_deletes WHERE pk > 0;

-- shouldProcessLargerTx: 1000 inserts in one transaction (the peer sends 1000 single-row INSERTs joined by ';' in
-- one execute; one INSERT ... SELECT gives the same 1000 insert events in one transaction)
INSERT INTO test_table_large_tx (text) SELECT 'insert' || x FROM generate_series(2, 1001) x;

-- shouldReceiveChangesForUpdatesWithPKChanges: the key itself changes
UPDATE test_table_pk_change SET text = 'update', pk = 2;

-- shouldReceiveChangesForDefaultValues
ALTER TABLE test_table_defaults REPLICA IDENTITY FULL;
ALTER TABLE test_table_defaults ADD COLUMN default_column TEXT DEFAULT 'default';
INSERT INTO test_table_defaults (text) VALUES ('update');

-- shouldReceiveChangesForTypeConstraints: precision/scale of a numeric column change mid-stream
ALTER TABLE test_table_num_val ADD COLUMN num_val NUMERIC(5,2);
ALTER TABLE test_table_num_val REPLICA IDENTITY FULL;
UPDATE test_table_num_val SET num_val = 123.45 WHERE pk = 1;
ALTER TABLE test_table_num_val ALTER COLUMN num_val TYPE NUMERIC(6,1);
INSERT INTO test_table_num_val (pk,num_val) VALUES (2,123.41);
ALTER TABLE test_table_num_val ALTER COLUMN num_val TYPE NUMERIC;
INSERT INTO test_table_num_val (pk,num_val) VALUES (3,123.4567);
ALTER TABLE test_table_num_val ALTER COLUMN num_val TYPE DECIMAL(12,4);
INSERT INTO test_table_num_val (pk,num_val) VALUES (4,2.48);
ALTER TABLE test_table_num_val ALTER COLUMN num_val TYPE DECIMAL(12);
INSERT INTO test_table_num_val (pk,num_val) VALUES (5,1238);
ALTER TABLE test_table_num_val ALTER COLUMN num_val TYPE DECIMAL;
INSERT INTO test_table_num_val (pk,num_val) VALUES (6,1225.1);
ALTER TABLE test_table_num_val ALTER COLUMN num_val SET NOT NULL;
INSERT INTO test_table_num_val (pk,num_val) VALUES (7,1976);

-- shouldReceiveChangesForRenamedTable ("DROP TABLE IF EXISTS renamed_test_table" reset left out)
ALTER TABLE test_table_rename RENAME TO renamed_test_table;
INSERT INTO renamed_test_table (text) VALUES ('new');

-- shouldProcessTruncateMessages (single table, RESTART IDENTITY CASCADE)
INSERT INTO test_table_truncate (text) values ('TRUNCATE TEST');
TRUNCATE TABLE public.test_table_truncate RESTART IDENTITY CASCADE;
-- shouldProcessTruncateMessagesForMultipleTableTruncateStatement (two tables in one TRUNCATE)
INSERT INTO test_table_truncate (text) values ('TRUNCATE TEST');
INSERT INTO test_table_2 (text) values ('TRUNCATE TEST 2');
TRUNCATE TABLE public.test_table_truncate, public.test_table_2;

-- shouldReceiveChangesForTableWithoutPrimaryKey (keyless, REPLICA IDENTITY FULL)
INSERT INTO test_table_nopk_full (text) VALUES ('a');
UPDATE test_table_nopk_full set text='b' WHERE id=1;
DELETE FROM test_table_nopk_full WHERE id=1;

-- shouldProcessIntervalDelete / shouldHandleNonNullIntervalFiledDelete
INSERT INTO table_with_interval VALUES (default, 'Foo', default);
INSERT INTO table_with_interval VALUES (default, 'Bar', default);
DELETE FROM table_with_interval WHERE id = 1;
INSERT INTO test_interval (pk, i) VALUES (1, '2 Months 3 Days');
DELETE FROM test_interval WHERE pk = 1;

-- ---------------------------------------------------------------------------------------------------------------------
-- TOAST (values > 2 kB, stored out of line; the later UPDATE leaves them unchanged)
-- ---------------------------------------------------------------------------------------------------------------------
-- shouldNotRefreshSchemaOnUnchangedToastedData: a column is dropped between the insert and the update
ALTER TABLE test_table_toast ADD COLUMN not_toast integer;
INSERT INTO test_table_toast (not_toast, text) values (10, (SELECT left(string_agg(md5('toast-1-' || g), ''), 10000) FROM generate_series(1, 313) g));
ALTER TABLE test_table_toast DROP COLUMN text;
update test_table_toast set not_toast = 5 where not_toast = 10;

-- shouldNotPropagateUnchangedToastedData: a NOT NULL column with a long default, two TOASTed rows, two updates
ALTER TABLE test_table_toast_mandatory ADD COLUMN not_toast integer;
ALTER TABLE test_table_toast_mandatory ADD COLUMN mandatory_text TEXT NOT NULL DEFAULT '';
ALTER TABLE test_table_toast_mandatory ALTER COLUMN mandatory_text SET STORAGE EXTENDED;
ALTER TABLE test_table_toast_mandatory ALTER COLUMN mandatory_text SET DEFAULT repeat(md5('toast-3'), 313);
INSERT INTO test_table_toast_mandatory (not_toast, text, mandatory_text) values (10, (SELECT left(string_agg(md5('toast-m1-' || g), ''), 10000) FROM generate_series(1, 313) g), (SELECT left(string_agg(md5('toast-m1-' || g), ''), 10000) FROM generate_series(1, 313) g));
INSERT INTO test_table_toast_mandatory (not_toast, text, mandatory_text) values (10, (SELECT left(string_agg(md5('toast-m2-' || g), ''), 10000) FROM generate_series(1, 313) g), (SELECT left(string_agg(md5('toast-m2-' || g), ''), 10000) FROM generate_series(1, 313) g));
UPDATE test_table_toast_mandatory SET not_toast = 2;
UPDATE test_table_toast_mandatory SET not_toast = 3;

-- shouldHandleToastedArrayColumn (text[])
ALTER TABLE test_toast_table_text_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_text_array ADD COLUMN mandatory_text_array TEXT[] NOT NULL;
ALTER TABLE test_toast_table_text_array ALTER COLUMN mandatory_text_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_text_array (not_toast, text, mandatory_text_array) values (10, 'text', ARRAY [(SELECT left(string_agg(md5('toast-ta-' || g), ''), 10000) FROM generate_series(1, 313) g)]);
UPDATE test_toast_table_text_array SET not_toast = 2;

-- shouldHandleToastedArrayColumnCharacterVarying (varchar(20000)[])
ALTER TABLE test_toast_table_varchar_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_varchar_array ADD COLUMN mandatory_text_array character varying(20000)[] NOT NULL;
ALTER TABLE test_toast_table_varchar_array ALTER COLUMN mandatory_text_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_varchar_array (not_toast, text, mandatory_text_array) values (10, 'text', ARRAY [(SELECT left(string_agg(md5('toast-va-' || g), ''), 10000) FROM generate_series(1, 313) g)]);
UPDATE test_toast_table_varchar_array SET not_toast = 2;

-- shouldHandleToastedArrayColumnBpChar (bpchar(20000)[]: the element is blank-padded to 20000)
ALTER TABLE test_toast_table_bpchar_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_bpchar_array ADD COLUMN mandatory_text_array bpchar(20000)[] NOT NULL;
ALTER TABLE test_toast_table_bpchar_array ALTER COLUMN mandatory_text_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_bpchar_array (not_toast, text, mandatory_text_array) values (10, 'text', ARRAY [(SELECT left(string_agg(md5('toast-bp-' || g), ''), 10000) FROM generate_series(1, 313) g)]);
UPDATE test_toast_table_bpchar_array SET not_toast = 2;

-- shouldHandleToastedDateArrayColumn (99999 x '2022-12-12')
ALTER TABLE test_toast_table_date_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_date_array ADD COLUMN date_array date[];
ALTER TABLE test_toast_table_date_array ALTER COLUMN date_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_date_array (not_toast, date_array) values (10, ARRAY(SELECT '2022-12-12'::date FROM generate_series(1, 99999)));
UPDATE test_toast_table_date_array SET not_toast = 2;

-- shouldHandleToastedByteArrayColumn (bytea[] of a 10000-digit string)
ALTER TABLE test_toast_table_bytea_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_bytea_array ADD COLUMN bytea_array bytea[];
ALTER TABLE test_toast_table_bytea_array ALTER COLUMN bytea_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_bytea_array (not_toast, bytea_array) values (10, ARRAY [(SELECT translate(left(string_agg(md5('toast-ba-' || g), ''), 10000), 'abcdef', '012345') FROM generate_series(1, 313) g)::bytea]);
UPDATE test_toast_table_bytea_array SET not_toast = 2;

-- shouldHandleToastedByteaColumnInHexMode
ALTER TABLE test_toast_table_bytea ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_bytea ADD COLUMN bytea_ bytea;
ALTER TABLE test_toast_table_bytea ALTER COLUMN bytea_ SET STORAGE EXTENDED;
INSERT INTO test_toast_table_bytea (not_toast, bytea_) values (10, (SELECT translate(left(string_agg(md5('toast-b-' || g), ''), 10000), 'abcdef', '012345') FROM generate_series(1, 313) g)::bytea);
UPDATE test_toast_table_bytea SET not_toast = 2;

-- shouldHandleToastedIntegerArrayColumn (1..9999)
ALTER TABLE test_toast_table_int_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_int_array ADD COLUMN int_array int[];
ALTER TABLE test_toast_table_int_array ALTER COLUMN int_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_int_array (not_toast, int_array) values (10, ARRAY(SELECT generate_series(1, 9999)));
UPDATE test_toast_table_int_array SET not_toast = 2;

-- shouldHandleToastedBigIntArrayColumn (1..9999)
ALTER TABLE test_toast_table_bigint_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_bigint_array ADD COLUMN bigint_array bigint[];
ALTER TABLE test_toast_table_bigint_array ALTER COLUMN bigint_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_bigint_array (not_toast, bigint_array) values (10, ARRAY(SELECT generate_series(1, 9999)::bigint));
UPDATE test_toast_table_bigint_array SET not_toast = 2;

-- shouldHandleToastedJsonArrayColumn
ALTER TABLE test_toast_table_json_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_json_array ADD COLUMN json_array json[];
ALTER TABLE test_toast_table_json_array ALTER COLUMN json_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_json_array (not_toast, text, json_array) VALUES (10, 'text', ARRAY [ ('{"key": "' || (SELECT left(string_agg(md5('toast-js-' || g), ''), 10000) FROM generate_series(1, 313) g) || '" }')::json ]);
UPDATE test_toast_table_json_array SET not_toast = 2;

-- shouldHandleToastedHstoreInHstoreMapMode (100000-character hstore value)
ALTER TABLE test_toast_table_hstore ADD COLUMN col hstore;
INSERT INTO test_toast_table_hstore (id, col) values (10, ('a=>' || (SELECT string_agg(md5('toast-hs-' || g), '') FROM generate_series(1, 3125) g))::hstore);
UPDATE test_toast_table_hstore SET text = 'text';

-- shouldHandleToastedUuidArrayColumn (10000 uuids)
ALTER TABLE test_toast_table_uuid_array ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_uuid_array ADD COLUMN uuid_array uuid[];
ALTER TABLE test_toast_table_uuid_array ALTER COLUMN uuid_array SET STORAGE EXTENDED;
INSERT INTO test_toast_table_uuid_array (not_toast, text, uuid_array) VALUES (10, 'text', ARRAY(SELECT md5('toast-uuid-' || g)::uuid FROM generate_series(1, 10000) g));
UPDATE test_toast_table_uuid_array SET not_toast = 2;

-- shouldHandleToastedArrayColumnForReplicaIdentityFullTable
ALTER TABLE test_toast_table_text_array_full ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_text_array_full ADD COLUMN mandatory_text_array TEXT[] NOT NULL;
ALTER TABLE test_toast_table_text_array_full ALTER COLUMN mandatory_text_array SET STORAGE EXTENDED;
ALTER TABLE test_toast_table_text_array_full REPLICA IDENTITY FULL;
INSERT INTO test_toast_table_text_array_full (not_toast, mandatory_text_array) values (10, ARRAY [(SELECT left(string_agg(md5('toast-taf-' || g), ''), 10000) FROM generate_series(1, 313) g)]);
UPDATE test_toast_table_text_array_full SET not_toast = 20;

-- shouldHandleToastedIntegerArrayColumnForReplicaIdentityFullTable
ALTER TABLE test_toast_table_int_array_full ADD COLUMN not_toast integer;
ALTER TABLE test_toast_table_int_array_full ADD COLUMN int_array int[];
ALTER TABLE test_toast_table_int_array_full ALTER COLUMN int_array SET STORAGE EXTENDED;
ALTER TABLE test_toast_table_int_array_full REPLICA IDENTITY FULL;
INSERT INTO test_toast_table_int_array_full (not_toast, int_array) values (10, ARRAY(SELECT generate_series(1, 9999)));
UPDATE test_toast_table_int_array_full SET not_toast = 20;

-- testReceiveChangesForReplicaIdentityFullTableWithToastedValue (keyless, REPLICA IDENTITY FULL, TOASTed text)
INSERT INTO test_table_nopk_toast_full (not_toast, text) VALUES (10, (SELECT left(string_agg(md5('toast-nk-' || g), ''), 10000) FROM generate_series(1, 313) g));
UPDATE test_table_nopk_toast_full set not_toast = 20;
DELETE FROM test_table_nopk_toast_full;
INSERT INTO test_table_nopk_toast_full (not_toast, text) VALUES (100, null);
UPDATE test_table_nopk_toast_full set not_toast = 200 WHERE id=2;
DELETE FROM test_table_nopk_toast_full WHERE id=2;

-- PostgresConnectorIT.shouldReselectToastColumnsOnPrimaryKeyChange (DBZ-5295): key update of a row with two TOASTed columns
UPDATE s1.dbz5295 SET pk = 2 WHERE pk = 1;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema changes on small tables
-- ---------------------------------------------------------------------------------------------------------------------
-- shouldReceiveChangesAfterConnectionRestart
INSERT INTO t0 (pk,d) VALUES(1,1);
ALTER TABLE t0 ADD COLUMN d2 INTEGER;
ALTER TABLE t0 ALTER COLUMN d SET NOT NULL;
INSERT INTO t0 (pk,d,d2) VALUES (2,1,3);

-- shouldReceiveNumericTypeAsDoubleWithNullDefaults / shouldReceiveNumericTypeAsDoubleWithDefaults (DBZ-4137)
INSERT INTO numeric_table_with_n_defaults (r) VALUES (1);
INSERT INTO numeric_table_with_defaults (r) VALUES (1);

-- shouldMaintainPrimaryKeyOrderOnSchemaChange
INSERT INTO test_should_maintain_primary_key_order VALUES (1, 2, 3, 4, 5);
ALTER TABLE test_should_maintain_primary_key_order ADD COLUMN val2 INTEGER;
INSERT INTO test_should_maintain_primary_key_order VALUES (10, 11, 12, 13, 14, 15);

-- shouldFailOnAlterTableAddingCaseSensitiveDuplicateColumn / shouldFailOnRenameColumnCreatingDuplicate
ALTER TABLE test_alter_case ADD COLUMN "Duration" TEXT;
INSERT INTO test_alter_case (duration, "Duration") VALUES (200, 'test');
ALTER TABLE test_rename RENAME COLUMN status TO "Duration";
INSERT INTO test_rename (duration, "Duration") VALUES (100, 'test');

-- shouldStreamColumnWhoseNameIsItselfQuoted / shouldPropagateSerialTypeNamesWhileStreaming
INSERT INTO quoted_column_table ("'quoted'") VALUES ('some text');
INSERT INTO serial_table (plain) VALUES (1);

-- testStreamMoneyAsDefaultPrecise / testStreamMoneyPreciseDecimalFraction
INSERT INTO salary (name, salary) values ('Joe', 123.45);
INSERT INTO salary (name, salary) values ('Joe', 123.4567);

-- shouldStreamTimeArrayTypesAsKnownTypes (time[], timetz[], timestamp[], timestamptz[])
INSERT INTO time_array_table (timea, timetza, timestampa, timestamptza) values ('{00:01:02,01:02:03}', '{13:51:02+0200,14:51:03+0200}', '{2020-04-01 00:01:02,2020-04-01 01:02:03}', '{2020-04-01 13:51:02+02,2020-04-01 14:51:03+02}');
UPDATE time_array_table SET timea = '{00:01:02,02:03:04}', timetza = '{00:01:02-0400,01:03:04-0400}', timestampa = '{2020-04-01 00:01:02,2020-04-25 03:04:05}', timestamptza = '{2020-04-01 00:01:02-04,2020-04-25 03:04:05-04}';
DELETE FROM time_array_table;

-- ---------------------------------------------------------------------------------------------------------------------
-- domains (columns of a domain type added mid-stream)
-- ---------------------------------------------------------------------------------------------------------------------
-- shouldStreamChangesForDataTypeAlias
INSERT INTO alias_table_money (data, salary, salary2) values ('hello', 7.25, 8.25);
-- shouldStreamChangesForDomainAliasAlterTable (CREATE DOMAIN money2/money3 are in setup: shared with other tests)
ALTER TABLE alias_table_money_alter ADD COLUMN salary2 money2 NOT NULL;
ALTER TABLE alias_table_money_alter ADD COLUMN salary3 money3 NOT NULL;
INSERT INTO alias_table_money_alter (data, salary, salary2, salary3) values ('hello', 7.25, 8.25, 123.456);
-- shouldStreamDomainAliasWithProperModifiers
ALTER TABLE public.alias_table_varbit ADD COLUMN value varbit2 NOT NULL;
INSERT INTO public.alias_table_varbit (value) VALUES (B'101');
-- shouldStreamValuesForDomainTypeOfDomainType
INSERT INTO alias_table_numeric (value) values (123.45);
-- shouldStreamValuesForAliasLikeBaseTypes: every base type next to a domain over it
ALTER TABLE alias_table ADD COLUMN bit_base bit(3) NOT NULL, ADD COLUMN bit_alias bit2 NOT NULL, ADD COLUMN smallint_base smallint NOT NULL, ADD COLUMN smallint_alias smallint2 NOT NULL, ADD COLUMN integer_base integer NOT NULL, ADD COLUMN integer_alias integer2 NOT NULL, ADD COLUMN bigint_base bigint NOT NULL, ADD COLUMN bigint_alias bigint2 NOT NULL, ADD COLUMN real_base real NOT NULL, ADD COLUMN real_alias real2 NOT NULL, ADD COLUMN float8_base float8 NOT NULL, ADD COLUMN float8_alias float82 NOT NULL, ADD COLUMN numeric_base numeric(6,2) NOT NULL, ADD COLUMN numeric_alias numeric2 NOT NULL, ADD COLUMN bool_base bool NOT NULL, ADD COLUMN bool_alias bool2 NOT NULL, ADD COLUMN string_base varchar(25) NOT NULL, ADD COLUMN string_alias string2 NOT NULL, ADD COLUMN date_base date NOT NULL, ADD COLUMN date_alias date2 NOT NULL, ADD COLUMN time_base time NOT NULL, ADD COLUMN time_alias time2 NOT NULL, ADD COLUMN timetz_base timetz NOT NULL, ADD COLUMN timetz_alias timetz2 NOT NULL, ADD COLUMN timestamp_base timestamp NOT NULL, ADD COLUMN timestamp_alias timestamp2 NOT NULL, ADD COLUMN timestamptz_base timestamptz NOT NULL, ADD COLUMN timestamptz_alias timestamptz2 NOT NULL, ADD COLUMN timewottz_base time without time zone NOT NULL, ADD COLUMN timewottz_alias timewotz2 NOT NULL, ADD COLUMN box_base box NOT NULL, ADD COLUMN box_alias box2 NOT NULL, ADD COLUMN circle_base circle NOT NULL, ADD COLUMN circle_alias circle2 NOT NULL, ADD COLUMN interval_base interval NOT NULL, ADD COLUMN interval_alias interval2 NOT NULL, ADD COLUMN line_base line NOT NULL, ADD COLUMN line_alias line2 NOT NULL, ADD COLUMN lseg_base lseg NOT NULL, ADD COLUMN lseg_alias lseg2 NOT NULL, ADD COLUMN path_base path NOT NULL, ADD COLUMN path_alias path2 NOT NULL, ADD COLUMN point_base point NOT NULL, ADD COLUMN point_alias point2 NOT NULL, ADD COLUMN polygon_base polygon NOT NULL, ADD COLUMN polygon_alias polygon2 NOT NULL, ADD COLUMN char_base char NOT NULL, ADD COLUMN char_alias char2 NOT NULL, ADD COLUMN text_base text NOT NULL, ADD COLUMN text_alias text2 NOT NULL, ADD COLUMN json_base json NOT NULL, ADD COLUMN json_alias json2 NOT NULL, ADD COLUMN xml_base xml NOT NULL, ADD COLUMN xml_alias xml2 NOT NULL, ADD COLUMN uuid_base UUID NOT NULL, ADD COLUMN uuid_alias uuid2 NOT NULL, ADD COLUMN varbit_base varbit(3) NOT NULL, ADD COLUMN varbit_alias varbit2 NOT NULL,ADD COLUMN inet_base inet NOT NULL, ADD COLUMN inet_alias inet2 NOT NULL, ADD COLUMN cidr_base cidr NOT NULL, ADD COLUMN cidr_alias cidr2 NOT NULL, ADD COLUMN macaddr_base macaddr NOT NULL, ADD COLUMN macaddr_alias macaddr2 NOT NULL;
INSERT INTO alias_table (bit_base, bit_alias, smallint_base, smallint_alias, integer_base, integer_alias, bigint_base, bigint_alias, real_base, real_alias, float8_base, float8_alias, numeric_base, numeric_alias, bool_base, bool_alias, string_base, string_alias, date_base, date_alias, time_base, time_alias, timetz_base, timetz_alias, timestamp_base, timestamp_alias, timestamptz_base, timestamptz_alias, timewottz_base, timewottz_alias, box_base, box_alias, circle_base, circle_alias, interval_base, interval_alias, line_base, line_alias, lseg_base, lseg_alias, path_base, path_alias, point_base, point_alias, polygon_base, polygon_alias, char_base, char_alias, text_base, text_alias, json_base, json_alias, xml_base, xml_alias, uuid_base, uuid_alias, varbit_base, varbit_alias, inet_base, inet_alias, cidr_base, cidr_alias, macaddr_base, macaddr_alias ) VALUES (B'101', B'101', 1, 1, 1, 1, 1000, 1000, 3.14, 3.14, 3.14, 3.14, 1234.12, 1234.12, true, true, 'hello', 'hello', '2019-10-02', '2019-10-02', '01:02:03', '01:02:03', '01:02:03.123789Z', '01:02:03.123789Z', '2019-10-02T01:02:03.123456', '2019-10-02T01:02:03.123456', '2019-10-02T13:51:30.123456+02:00'::TIMESTAMPTZ, '2019-10-02T13:51:30.123456+02:00'::TIMESTAMPTZ, '01:02:03', '01:02:03', '(0,0),(1,1)', '(0,0),(1,1)', '10,4,10', '10,4,10', '1 year 2 months 3 days 4 hours 5 minutes 6 seconds', '1 year 2 months 3 days 4 hours 5 minutes 6 seconds', '(0,0),(0,1)', '(0,0),(0,1)', '((0,0),(0,1))', '((0,0),(0,1))', '((0,0),(0,1),(0,2))', '((0,0),(0,1),(0,2))', '(1,1)', '(1,1)', '((0,0),(0,1),(1,0),(0,0))', '((0,0),(0,1),(1,0),(0,0))', 'a', 'a', 'Hello World', 'Hello World', '{"key": "value"}', '{"key": "value"}', XML('<foo>Hello</foo>'), XML('<foo>Hello</foo>'), '40e6215d-b5c6-4896-987c-f30f3678f608', '40e6215d-b5c6-4896-987c-f30f3678f608', B'101', B'101', '192.168.0.1', '192.168.0.1', '192.168/24', '192.168/24', '08:00:2b:01:02:03', '08:00:2b:01:02:03' );

-- DomainTypesIT.shouldNotChokeOnDomainTypeInArray / shouldExportDomainTypeInArrayAsUnknown
INSERT INTO domaintypes.t1 (id, token, tokens) values (default, 'foo', '{"bar","baz"}');

-- ---------------------------------------------------------------------------------------------------------------------
-- enums
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresEnumIT.shouldReproduceTypeRegistryDuplicateEnumNameBug
INSERT INTO public.enum_test(id, value, status) VALUES (1, 'Y'::public.test_type, 'open'::"bug.status");
INSERT INTO test.int_test(id, value) VALUES (1, 123);
INSERT INTO test.enum_test(id, value) VALUES (1, 'B'::test.test_type2);
INSERT INTO public.int_test(id, value) VALUES (1, 456);
-- shouldStreamEnumAsKnownType (the enum is created while streaming; named test_type in the peer)
CREATE TYPE test_type_rsp AS ENUM ('V1','V2');
ALTER TABLE enum_table ADD COLUMN value test_type_rsp NOT NULL;
INSERT INTO enum_table (value) VALUES ('V1');
-- shouldEmitEnumColumnDefaultValuesInSchema
ALTER TABLE enum_table_default ADD COLUMN data varchar(50) NOT NULL;
ALTER TABLE enum_table_default ADD COLUMN value test_type_rsp NOT NULL DEFAULT 'V2'::test_type_rsp;
INSERT INTO enum_table_default (data) VALUES ('V1');
-- shouldStreamEnumArrayAsKnownType
ALTER TABLE enum_array_table ADD COLUMN value test_type_rsp[] NOT NULL;
INSERT INTO enum_array_table (value) VALUES ('{V1, V2}');
UPDATE enum_array_table set value = '{V1}';
DELETE FROM enum_array_table;

-- ---------------------------------------------------------------------------------------------------------------------
-- other schemas
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresConnectorIT INSERT_STMT (streaming part of many tests)
INSERT INTO s1.a (aa) VALUES (1);
INSERT INTO s2.a (aa) VALUES (1);
-- shouldIncludeTableWithBackSlashInName
INSERT INTO s1."back\slash" (aa, bb) VALUES (3, 3);
-- shouldStreamSuccessfullyWithSchemasWithUnderscores
INSERT INTO test_.tab (aa, bb) VALUES (3, 3);
INSERT INTO test1.tab (aa, bb) VALUES (4, 4);
-- shouldUpdateExistingPublicationForConfiguredPartitionedTables: rows routed to both partitions
INSERT INTO s1.part (pk, aa) VALUES (1, 1);
INSERT INTO s1.part (pk, aa) VALUES (501, 501);

-- shouldReceiveChangesForChangePKColumnDefinition: the key column is renamed, then widened, then replaced
ALTER TABLE changepk.test_table DROP CONSTRAINT test_table_pkey;
ALTER TABLE changepk.test_table RENAME COLUMN pk TO newpk;
ALTER TABLE changepk.test_table ADD PRIMARY KEY(newpk);
INSERT INTO changepk.test_table VALUES(2, 'newpkcol');
ALTER TABLE changepk.test_table ADD COLUMN pk2 SERIAL;
ALTER TABLE changepk.test_table DROP CONSTRAINT test_table_pkey;
ALTER TABLE changepk.test_table ADD PRIMARY KEY(newpk,pk2);
INSERT INTO changepk.test_table VALUES(3, 'newpkcol', 8);
INSERT INTO changepk.test_table VALUES(4, 'newpkcol', 20);
ALTER TABLE changepk.test_table DROP CONSTRAINT test_table_pkey;
ALTER TABLE changepk.test_table DROP COLUMN pk2;
ALTER TABLE changepk.test_table ADD COLUMN pk3 SERIAL;
ALTER TABLE changepk.test_table ADD PRIMARY KEY(newpk,pk3);
INSERT INTO changepk.test_table VALUES(5, 'dropandaddpkcol',10);

-- shouldReceiveChangesForChangeColumnDefault: defaults change between inserts, then a timestamptz column with a default
INSERT INTO default_change.test_table(i, text) VALUES (DEFAULT, DEFAULT);
ALTER TABLE default_change.test_table ALTER COLUMN i SET DEFAULT 2;
ALTER TABLE default_change.test_table ALTER COLUMN text SET DEFAULT 'bar';
INSERT INTO default_change.test_table(i, text) VALUES (DEFAULT, DEFAULT);
ALTER TABLE default_change.test_table ALTER COLUMN i SET DEFAULT 3;
ALTER TABLE default_change.test_table ALTER COLUMN text SET DEFAULT 'baz';
INSERT INTO default_change.test_table(i, text) VALUES (DEFAULT, DEFAULT);
INSERT INTO default_change.test_table(i, text) VALUES (DEFAULT, DEFAULT);
ALTER TABLE default_change.test_table ALTER COLUMN i SET DEFAULT 4;
ALTER TABLE default_change.test_table ALTER COLUMN text SET DEFAULT 'boo';
ALTER TABLE default_change.test_table ADD COLUMN tstz TIMESTAMPTZ DEFAULT '2021-03-20 14:44:28 +1'::TIMESTAMPTZ;
INSERT INTO default_change.test_table(i, text, tstz) VALUES (DEFAULT, DEFAULT, DEFAULT);

-- PostgresMoneyIT.shouldReceiveChangesForInsertNullAndZeroMoney
insert into post_money.debezium_test(id, m) values(10, null), (11, '0.00'::money);
-- PostgresMoneyIT.shouldHandleDeleteOfRowWithNegativeMoneyWithoutCrash / ...LargeNegativeMoney... (RI FULL: the delete carries the money value)
ALTER TABLE post_money.debezium_test REPLICA IDENTITY FULL;
INSERT INTO post_money.debezium_test(id, m) VALUES(20, '-1.50'::money);
DELETE FROM post_money.debezium_test WHERE id = 20;
INSERT INTO post_money.debezium_test(id, m) VALUES(21, '-92233720368547758.08'::money);
DELETE FROM post_money.debezium_test WHERE id = 21;

-- TablesWithoutPrimaryKeyIT.shouldProcessFromStreaming (keyless table made RI FULL, then updated and emptied)
ALTER TABLE nopk.t3 REPLICA IDENTITY FULL;
UPDATE nopk.t3 SET val = 300 WHERE pk = 3;
DELETE FROM nopk.t3;

-- TsVectorDataTypeIT.shouldSnapshotAndStreamTsvectorData / shouldStreamTsvectorDataAfterUpdate / ...WithTriggerBasedUpdate
INSERT INTO tsvector.text_search_test (title, content, search_vector) VALUES ('TC1 - Direct TSV', 'This is a test for direct tsvector insert second case', to_tsvector('english', 'This is a test for direct tsvector insert second case'));
INSERT INTO tsvector.text_search_test (title, content) VALUES ('TC2 - Post Update TSV', 'This is a test for updating tsvector after insert');
UPDATE tsvector.text_search_test SET search_vector = to_tsvector('english', content) WHERE title = 'TC2 - Post Update TSV';
INSERT INTO tsvector.text_search_test_trg (title, content) VALUES ('TC4 - Trigger TSV', 'This is a test for tsvector populated via trigger');

-- PostgresTemporalPrecisionHandlingIT: streamed rows (ids as in the tests; 30-32 are in setup)
INSERT INTO temporaltype.test_data_types
VALUES (1 , NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL );
INSERT INTO temporaltype.test_data_types
VALUES (2 , '{"jfield": 111}'::json , '{"jfield": 211}'::jsonb , '2017-09-15'::DATE , '2019-07-09 02:28:57+01' , '2019-07-09 02:28:57.1+01' , '2019-07-09 02:28:57.12+01' , '2019-07-09 02:28:57.123+01' , '2019-07-09 02:28:57.1234+01' , '2019-07-09 02:28:57.12345+01' , '2019-07-09 02:28:57.123456+01', '2019-07-09 02:28:10.123456+01', '04:05:11 PST', '04:05:11.789', INTERVAL '1' YEAR )
;
INSERT INTO temporaltype.test_data_types
VALUES (3 , '{"jfield": 222}'::json , '{"jfield": 222}'::jsonb , '2017-02-10'::DATE , '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:57.666666+01', '2019-07-09 02:28:20.666666+01', '04:10:22', '04:05:22.789', INTERVAL '10' DAY )
;
-- shouldConvertInfinityTimestampsToLongMinMax
INSERT INTO temporaltype.test_data_types
VALUES (10 , NULL, NULL, NULL, 'infinity', 'infinity', 'infinity', 'infinity', 'infinity', 'infinity', 'infinity', NULL, NULL, NULL, NULL );
INSERT INTO temporaltype.test_data_types
VALUES (11 , NULL, NULL, NULL, '-infinity', '-infinity', '-infinity', '-infinity', '-infinity', '-infinity', '-infinity', NULL, NULL, NULL, NULL );
-- shouldConvertTemporalsToStructuredValues: 294276-12-31 23:59:59.999999 (the largest timestamp) and -infinity
INSERT INTO temporaltype.test_data_types
VALUES (
    20,
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
INSERT INTO temporaltype.test_data_types
VALUES (
    21,
    NULL,
    NULL,
    '-infinity',
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    '-infinity',
    '-infinity',
    NULL,
    NULL,
    NULL
);

-- shouldRefreshSchemaWhenEnumValueAddedViaAlterType: a label is added to an enum a streamed table uses.
-- The INSERT of the new label 'V2' follows in 21_stream.sql (must be a later transaction).
ALTER TYPE test_type_rsp_added ADD VALUE 'V2';

RESET search_path;
