-- =====================================================================================================================
-- Peer fixture: Apache Flink CDC PostgreSQL connectors -- SETUP (DDL + initial rows, loaded before the pipeline starts)
--
-- Origin     : https://github.com/apache/flink-cdc
-- Commit     : 23fb108e9bea7f689230fa188e5f80c6eef0dbc3 (HEAD of master as fetched; last change to the ddl
--              folders read: 7b926ed943ab303df541e2526d1d4e469eced8dc)
-- Licence    : Apache License 2.0. The peer files carry this notice, retained here:
--
-- Licensed to the Apache Software Foundation (ASF) under one or more
-- contributor license agreements.  See the NOTICE file distributed with
-- this work for additional information regarding copyright ownership.
-- The ASF licenses this file to You under the Apache License, Version 2.0
-- (the "License"); you may not use this file except in compliance with
-- the License.  You may obtain a copy of the License at
--
--      http://www.apache.org/licenses/LICENSE-2.0
--
-- Unless required by applicable law or agreed to in writing, software
-- distributed under the License is distributed on an "AS IS" BASIS,
-- WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
-- See the License for the specific language governing permissions and
-- limitations under the License.
--
-- Read from (this file concatenates them, each under its own banner below, in this order):
--   flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/
--       inventory.sql, inventory_partitioned.sql, replica_identity.sql, customer.sql, index_type_test.sql,
--       similar_names.sql, column_type_test.sql
--   flink-cdc-connect/flink-cdc-pipeline-connectors/flink-cdc-pipeline-connector-postgres/src/test/resources/ddl/
--       column_type_test.sql, inventory.sql, decimal_mode_test.sql
--   flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/java/.../source/
--       NewlyAddedTableITCase.java (customer.produce_wal_log_table)
--
-- What was changed and why (details in each banner):
--   * One database for everything: every "DROP SCHEMA IF EXISTS ... CASCADE" / "DROP TABLE IF EXISTS" reset is
--     removed (the database is fresh; a stray CASCADE would destroy the other peer's objects).
--   * Four peer files all create schema "inventory" with different tables. The source connector's inventory.sql
--     keeps "inventory" (most streaming statements of the ITs target it); the others are renamed:
--       replica_identity.sql            -> inventory_replica_identity
--       source column_type_test.sql     -> column_type_test
--       pipeline column_type_test.sql   -> pipeline_column_type_test
--       pipeline inventory.sql          -> pipeline_inventory
--     Table names, column names and the hostile names ("Customers", "Id", "user%data", ...) are unchanged.
--   * PostGIS is not in the zonky PostgreSQL 14 binaries: full_types in column_type_test and
--     pipeline_column_type_test lose ONLY their two PostGIS columns (geometry_c GEOMETRY(POINT,3187),
--     geography_c GEOGRAPHY(MULTILINESTRING)) and those two values; the tables (and all their other exotic
--     columns) stay. No table was dropped.
--   * CREATE EXTENSION gets "SCHEMA public" so the file also loads alone into a fresh database.
--   * Nothing else needs superuser. No psql meta-commands: runs as one JDBC Statement.execute as well.
--   * SET search_path as in the peer files, followed by RESET search_path at the end of every section.
--
-- Left out (and why):
--   * flink-cdc-e2e-tests/*/src/test/resources/ddl/postgres_inventory.sql: a third "inventory" variant for the
--     end-to-end tests (products with created_at TIMESTAMPTZ, customers); nothing new type-wise.
--   * PostgresPipelineITCase's hyphenated database ("CREATE DATABASE ...-..."): a database, not a table.
--   * Heartbeat table (PostgresSourceITCase heart_beat_table): connector plumbing.
--   * The FLINK-38965 Chinese-column fixture the brief mentions (cn_column_test): not present in the fetched
--     repository (no such name anywhere in its history); unicode names are covered by debezium "テスト"."café"."名前".
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- schema inventory (source connector inventory.sql; used by PostgreSQLConnectorITCase, PostgreSQLSourceTest,
--    PostgreSQLSavepointITCase)
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/inventory.sql
-- changed: "DROP SCHEMA IF EXISTS inventory CASCADE" removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- Create the schema that we'll use to populate data and watch the effect in the WAL
CREATE SCHEMA inventory;
SET search_path TO inventory;

-- Create and populate our products using a single insert with many rows
CREATE TABLE products (
  id SERIAL NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL DEFAULT 'flink',
  description VARCHAR(512),
  weight FLOAT
);
ALTER SEQUENCE products_id_seq RESTART WITH 101;
ALTER TABLE products REPLICA IDENTITY FULL;

INSERT INTO products
VALUES (default,'scooter','Small 2-wheel scooter',3.14),
       (default,'car battery','12V car battery',8.1),
       (default,'12-pack drill bits','12-pack of drill bits with sizes ranging from #40 to #3',0.8),
       (default,'hammer','12oz carpenter''s hammer',0.75),
       (default,'hammer','14oz carpenter''s hammer',0.875),
       (default,'hammer','16oz carpenter''s hammer',1.0),
       (default,'rocks','box of assorted rocks',5.3),
       (default,'jacket','water resistent black wind breaker',0.1),
       (default,'spare tire','24 inch spare tire',22.2);

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema inventory_partitioned: LIST-partitioned table with its key on the parent (products_uk, products_us)
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/inventory_partitioned.sql
-- changed: "DROP SCHEMA IF EXISTS ... CASCADE" removed. products_china is created mid-stream (25_stream.sql).
-- ---------------------------------------------------------------------------------------------------------------------
-- Create the schema that we'll use to populate data and watch the effect in the WAL
CREATE SCHEMA inventory_partitioned;
SET search_path TO inventory_partitioned;

-- Create and populate our products using a single insert with many rows
CREATE TABLE products (
  id SERIAL NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT 'flink',
  description VARCHAR(512),
  weight FLOAT,
  country VARCHAR(20) NOT NULL,
  PRIMARY KEY (id, country)
) PARTITION BY LIST(country);
ALTER SEQUENCE products_id_seq RESTART WITH 101;
ALTER TABLE products REPLICA IDENTITY FULL;

CREATE TABLE products_uk PARTITION OF products
    FOR VALUES IN ('uk');

CREATE TABLE products_us PARTITION OF products
    FOR VALUES IN ('us');

INSERT INTO products
VALUES (default,'scooter','Small 2-wheel scooter',3.14, 'us'),
       (default,'car battery','12V car battery',8.1, 'us'),
       (default,'12-pack drill bits','12-pack of drill bits with sizes ranging from #40 to #3',0.8, 'us'),
       (default,'hammer','12oz carpenter''s hammer',0.75, 'us'),
       (default,'hammer','14oz carpenter''s hammer',0.875, 'us'),
       (default,'hammer','16oz carpenter''s hammer',1.0, 'uk'),
       (default,'rocks','box of assorted rocks',5.3, 'uk'),
       (default,'jacket','water resistent black wind breaker',0.1, 'uk'),
       (default,'spare tire','24 inch spare tire',22.2, 'uk');

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema inventory_replica_identity: products with REPLICA IDENTITY DEFAULT
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/replica_identity.sql
-- changed: schema inventory renamed inventory_replica_identity (collides with inventory.sql); DROP SCHEMA removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- Create the schema that we'll use to populate data and watch the effect in the wal log
CREATE SCHEMA inventory_replica_identity;
SET search_path TO inventory_replica_identity;

-- Create and populate our products using a single insert with many rows
CREATE TABLE products (
  id SERIAL NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  description VARCHAR(512),
  weight FLOAT
);
ALTER SEQUENCE products_id_seq RESTART WITH 101;

-- USE default REPLICA IDENTITY
-- ALTER TABLE products REPLICA IDENTITY FULL;

INSERT INTO products
VALUES (default,'scooter','Small 2-wheel scooter',3.14),
       (default,'car battery','12V car battery',8.1),
       (default,'12-pack drill bits','12-pack of drill bits with sizes ranging from #40 to #3',0.8),
       (default,'hammer','12oz carpenter''s hammer',0.75),
       (default,'hammer','14oz carpenter''s hammer',0.875),
       (default,'hammer','16oz carpenter''s hammer',1.0),
       (default,'rocks','box of assorted rocks',5.3),
       (default,'jacket','water resistent black wind breaker',0.1),
       (default,'spare tire','24 inch spare tire',22.2);

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema customer: mixed-case "Customers" with mixed-case columns "Id"/"Name", a same-prefix table, a keyless table
--    + NewlyAddedTableITCase.java (customer.produce_wal_log_table)
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/customer.sql
-- changed: DROP SCHEMA removed.
-- ---------------------------------------------------------------------------------------------------------------------
CREATE SCHEMA customer;
SET search_path TO customer;

-- Create and populate our users using a single insert with many rows
CREATE TABLE "Customers" (
  "Id" INTEGER NOT NULL PRIMARY KEY,
  "Name" VARCHAR(255) NOT NULL DEFAULT 'flink',
  address VARCHAR(1024),
  phone_number VARCHAR(512)
);
ALTER TABLE "Customers" REPLICA IDENTITY FULL;

INSERT INTO "Customers"
VALUES (101,'user_1','Shanghai','123567891234'),
       (102,'user_2','Shanghai','123567891234'),
       (103,'user_3','Shanghai','123567891234'),
       (109,'user_4','Shanghai','123567891234'),
       (110,'user_5','Shanghai','123567891234'),
       (111,'user_6','Shanghai','123567891234'),
       (118,'user_7','Shanghai','123567891234'),
       (121,'user_8','Shanghai','123567891234'),
       (123,'user_9','Shanghai','123567891234'),
       (1009,'user_10','Shanghai','123567891234'),
       (1010,'user_11','Shanghai','123567891234'),
       (1011,'user_12','Shanghai','123567891234'),
       (1012,'user_13','Shanghai','123567891234'),
       (1013,'user_14','Shanghai','123567891234'),
       (1014,'user_15','Shanghai','123567891234'),
       (1015,'user_16','Shanghai','123567891234'),
       (1016,'user_17','Shanghai','123567891234'),
       (1017,'user_18','Shanghai','123567891234'),
       (1018,'user_19','Shanghai','123567891234'),
       (1019,'user_20','Shanghai','123567891234'),
       (2000,'user_21','Shanghai','123567891234');

-- table has same name prefix with 'customers.*'
CREATE TABLE customers_1 (
  "Id" INTEGER NOT NULL PRIMARY KEY,
  "Name" VARCHAR(255) NOT NULL DEFAULT 'flink',
  address VARCHAR(1024),
  phone_number VARCHAR(512)
);
ALTER TABLE customers_1 REPLICA IDENTITY FULL;

INSERT INTO customers_1
VALUES (101,'user_1','Shanghai','123567891234'),
       (102,'user_2','Shanghai','123567891234'),
       (103,'user_3','Shanghai','123567891234'),
       (109,'user_4','Shanghai','123567891234'),
       (110,'user_5','Shanghai','123567891234'),
       (111,'user_6','Shanghai','123567891234'),
       (118,'user_7','Shanghai','123567891234'),
       (121,'user_8','Shanghai','123567891234'),
       (123,'user_9','Shanghai','123567891234'),
       (1009,'user_10','Shanghai','123567891234'),
       (1010,'user_11','Shanghai','123567891234'),
       (1011,'user_12','Shanghai','123567891234'),
       (1012,'user_13','Shanghai','123567891234'),
       (1013,'user_14','Shanghai','123567891234'),
       (1014,'user_15','Shanghai','123567891234'),
       (1015,'user_16','Shanghai','123567891234'),
       (1016,'user_17','Shanghai','123567891234'),
       (1017,'user_18','Shanghai','123567891234'),
       (1018,'user_19','Shanghai','123567891234'),
       (1019,'user_20','Shanghai','123567891234'),
       (2000,'user_21','Shanghai','123567891234');

CREATE TABLE customers_no_pk (
   "Id" INTEGER NOT NULL,
   "Name" VARCHAR(255) NOT NULL DEFAULT 'flink',
   address VARCHAR(1024),
   phone_number VARCHAR(512)
);

INSERT INTO customers_no_pk
VALUES (101,'user_1','Shanghai','123567891234'),
       (102,'user_2','Shanghai','123567891234'),
       (103,'user_3','Shanghai','123567891234'),
       (109,'user_4','Shanghai','123567891234'),
       (110,'user_5','Shanghai','123567891234'),
       (111,'user_6','Shanghai','123567891234'),
       (118,'user_7','Shanghai','123567891234'),
       (121,'user_8','Shanghai','123567891234'),
       (123,'user_9','Shanghai','123567891234'),
       (1009,'user_10','Shanghai','123567891234'),
       (1010,'user_11','Shanghai','123567891234'),
       (1011,'user_12','Shanghai','123567891234'),
       (1012,'user_13','Shanghai','123567891234'),
       (1013,'user_14','Shanghai','123567891234'),
       (1014,'user_15','Shanghai','123567891234'),
       (1015,'user_16','Shanghai','123567891234'),
       (1016,'user_17','Shanghai','123567891234'),
       (1017,'user_18','Shanghai','123567891234'),
       (1018,'user_19','Shanghai','123567891234'),
       (1019,'user_20','Shanghai','123567891234'),
       (2000,'user_21','Shanghai','123567891234');
ALTER TABLE customers_no_pk REPLICA IDENTITY FULL;

-- NewlyAddedTableITCase.before(): a table that keeps producing WAL while new tables are added
CREATE TABLE produce_wal_log_table ( id BIGINT PRIMARY KEY, cnt BIGINT);
INSERT INTO  produce_wal_log_table VALUES (0, 100), (1, 101), (2, 102);

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema indexes: no primary key, only a UNIQUE index on an expression (COALESCE), REPLICA IDENTITY FULL
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/index_type_test.sql
-- changed: DROP SCHEMA removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- ----------------------------------------------------------------------------------------------------------------
-- DATABASE:  key_type_test
-- ----------------------------------------------------------------------------------------------------------------
-- Generate a number of tables to cover as many of the PG index situation (primary key, unique index) as possible
CREATE SCHEMA indexes;
SET search_path TO indexes;

-- Generate a table without primary key but a functional unique index
CREATE TABLE functional_unique_index
(
    id                  INTEGER NOT NULL,
    char_c              CHAR
);
create unique index test_tbl_idx
    on functional_unique_index(id, COALESCE(char_c, ''::text));

ALTER TABLE functional_unique_index
    REPLICA IDENTITY FULL;

INSERT INTO functional_unique_index
VALUES (1, 'a');

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema similar_names (FLINK-38965): names that match each other under LIKE (_ and %): "user%data" vs user_test_data,
--    ndi_pg_user_sink_1 vs ndi_pg_userbsink_1
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/similar_names.sql
-- changed: DROP SCHEMA removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- FLINK-38965: Test case for similar table names with underscore or percent characters
-- This tests the fix for PostgreSQL LIKE wildcard matching issue:
-- - underscore '_' matches any single character
-- - percent '%' matches any sequence of characters
-- For example, 'user_sink' may match 'userbsink' (due to '_')
-- and 'user%sink' may match 'user_test_sink' (due to '%')

CREATE SCHEMA similar_names;
SET search_path TO similar_names;

-- Table 1: ndi_pg_user_sink_1 (target table)
CREATE TABLE ndi_pg_user_sink_1 (
  id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  address VARCHAR(1024)
);
ALTER TABLE ndi_pg_user_sink_1 REPLICA IDENTITY FULL;

INSERT INTO ndi_pg_user_sink_1
VALUES (1, 'user_1', 'Shanghai'),
       (2, 'user_2', 'Beijing'),
       (3, 'user_3', 'Hangzhou');

-- Table 2: ndi_pg_userbsink_1 (similar name - only difference is 'b' instead of '_')
-- This table name would match the LIKE pattern for 'ndi_pg_user_sink_1' 
-- because '_' acts as a wildcard
CREATE TABLE ndi_pg_userbsink_1 (
  id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  address VARCHAR(1024)
);
ALTER TABLE ndi_pg_userbsink_1 REPLICA IDENTITY FULL;

INSERT INTO ndi_pg_userbsink_1
VALUES (101, 'userb_1', 'Guangzhou'),
       (102, 'userb_2', 'Shenzhen'),
       (103, 'userb_3', 'Chengdu');

-- Table 3: user%data (tests '%' wildcard scenario)
-- The table name contains '%' character which acts as a wildcard in LIKE pattern.
-- When querying for table 'user%data', the LIKE pattern may also match
-- 'user_test_data' because '%' matches any sequence of characters.
CREATE TABLE "user%data" (
  id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  address VARCHAR(1024)
);
ALTER TABLE "user%data" REPLICA IDENTITY FULL;

INSERT INTO "user%data"
VALUES (201, 'percent_1', 'Tianjin'),
       (202, 'percent_2', 'Dalian'),
       (203, 'percent_3', 'Qingdao');

-- Table 4: user_test_data (similar to 'user%data' when % is treated as wildcard)
-- This table name would match the LIKE pattern for 'user%data'
-- because '%' matches '_test_' sequence.
CREATE TABLE user_test_data (
  id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  address VARCHAR(1024)
);
ALTER TABLE user_test_data REPLICA IDENTITY FULL;

INSERT INTO user_test_data
VALUES (301, 'test_1', 'Harbin'),
       (302, 'test_2', 'Changchun'),
       (303, 'test_3', 'Shenyang');

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema column_type_test (source connector column_type_test.sql; the peer calls the schema inventory)
-- from: flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/resources/ddl/column_type_test.sql
-- changed: schema inventory renamed column_type_test (collides with inventory.sql); DROP SCHEMA removed;
-- the two PostGIS columns geometry_c GEOMETRY(POINT,3187) and geography_c GEOGRAPHY(MULTILINESTRING) and their
-- values are removed (no postgis in the PostgreSQL binaries); the rest of full_types is kept as is.
-- ---------------------------------------------------------------------------------------------------------------------
-- ----------------------------------------------------------------------------------------------------------------
-- DATABASE:  column_type_test
-- ----------------------------------------------------------------------------------------------------------------
-- Generate a number of tables to cover as many of the PG types as possible
CREATE SCHEMA column_type_test;
-- postgis is installed into public schema
SET search_path TO column_type_test, public;


CREATE TABLE full_types
(
    id                  INTEGER NOT NULL,
    bytea_c             BYTEA,
    small_c             SMALLINT,
    int_c               INTEGER,
    big_c               BIGINT,
    real_c              REAL,
    double_precision    DOUBLE PRECISION,
    numeric_c           NUMERIC(10, 5),
    decimal_c           DECIMAL(10, 1),
    boolean_c           BOOLEAN,
    text_c              TEXT,
    char_c              CHAR,
    character_c         CHARACTER(3),
    character_varying_c CHARACTER VARYING(20),
    timestamp3_c        TIMESTAMP(3),
    timestamp6_c        TIMESTAMP(6),
    date_c              DATE,
    time_c              TIME(0),
    default_numeric_c   NUMERIC,
    -- geometry_c GEOMETRY(POINT, 3187), geography_c GEOGRAPHY(MULTILINESTRING): removed, no PostGIS
    PRIMARY KEY (id)
);

ALTER TABLE column_type_test.full_types
    REPLICA IDENTITY FULL;

INSERT INTO column_type_test.full_types
VALUES (1, '2', 32767, 65535, 2147483647, 5.5, 6.6, 123.12345, 404.4443, true,
        'Hello World', 'a', 'abc', 'abcd..xyz', '2020-07-17 18:00:22.123', '2020-07-17 18:00:22.123456',
        '2020-07-17', '18:00:22', 500);

-- ----------------------------------------------------------------------------------------------------------------
-- TABLE: array_types
-- ----------------------------------------------------------------------------------------------------------------
-- Test table for array types including UUID[]
CREATE TABLE array_types (
    id        SERIAL PRIMARY KEY,
    text_a1   TEXT[],
    int_a1    INTEGER[],
    int_s1    INTEGER[],
    uuid_a1   UUID[]
);

ALTER TABLE column_type_test.array_types
    REPLICA IDENTITY FULL;

INSERT INTO array_types (id, text_a1, int_a1, int_s1, uuid_a1)
VALUES
    (1,
     ARRAY['electronics', 'gadget', 'sale'],
     '{85, 90, 78}',
     '{42}',
     ARRAY['227496Ad-fdE9-CCFb-1F04-892fc505AFD5', '9d33f9E2-DfC7-fDef-9478-BCc5dBf7a6d7']::UUID[]
    );

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema pipeline_column_type_test (pipeline connector column_type_test.sql; the peer calls the schema inventory)
-- from: flink-cdc-connect/flink-cdc-pipeline-connectors/flink-cdc-pipeline-connector-postgres/src/test/resources/ddl/column_type_test.sql
-- changed: schema inventory renamed pipeline_column_type_test; DROP SCHEMA removed; CREATE EXTENSION gets
-- "SCHEMA public" (otherwise, loaded alone, the extension would land in the first schema of search_path);
-- PostGIS columns geometry_c / geography_c and their values removed (no postgis). The enum "status" lives in
-- this schema (search_path), as in the peer.
-- ---------------------------------------------------------------------------------------------------------------------
-- ----------------------------------------------------------------------------------------------------------------
-- DATABASE:  column_type_test
-- ----------------------------------------------------------------------------------------------------------------
-- Generate a number of tables to cover as many of the PG types as possible
CREATE SCHEMA pipeline_column_type_test;
-- postgis is installed into public schema
SET search_path TO pipeline_column_type_test, public;
CREATE EXTENSION IF NOT EXISTS ltree SCHEMA public;
CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE EXTENSION IF NOT EXISTS hstore SCHEMA public;

CREATE TYPE status AS ENUM ('pending', 'approved', 'rejected');

CREATE TABLE full_types
(
    id                  INTEGER NOT NULL,
    bytea_c             BYTEA,
    small_c             SMALLINT,
    int_c               INTEGER,
    big_c               BIGINT,
    real_c              REAL,
    double_precision    DOUBLE PRECISION,
    numeric_c           NUMERIC(10, 5),
    decimal_c           DECIMAL(10, 1),
    boolean_c           BOOLEAN,
    text_c              TEXT,
    char_c              CHAR,
    character_c         CHARACTER(3),
    character_varying_c CHARACTER VARYING(20),
    timestamp3_c        TIMESTAMP(3),
    timestamp6_c        TIMESTAMP(6),
    date_c              DATE,
    time_c              TIME(0),
    default_numeric_c   NUMERIC,
    -- geometry_c GEOMETRY(POINT, 3187), geography_c GEOGRAPHY(MULTILINESTRING): removed, no PostGIS
    bit_c               BIT(1),
    bit_fixed_c         BIT(8),
    bit_varying_c       BIT VARYING(20),
    bpchar_c            BPCHAR(3),
    duration_c          INTERVAL,
    json_c              JSON,
    jsonb_c             JSONB,
    xml_C               XML,
    location            POINT,
    ltree_c               LTREE,
    username CITEXT NOT NULL,
    attributes HSTORE,
    inet_c              INET,
    int4range_c           INT4RANGE,
    int8range_c            INT8RANGE,
    numrange_c            NUMRANGE,
    tsrange_c TSRANGE,
    daterange_c DATERANGE,
    status status NOT NULL,
    PRIMARY KEY (id)
);

ALTER TABLE pipeline_column_type_test.full_types
    REPLICA IDENTITY FULL;

INSERT INTO pipeline_column_type_test.full_types
VALUES (1, '2', 32767, 65535, 2147483647, 5.5, 6.6, 123.12345, 404.4443, true,
        'Hello World', 'a', 'abc', 'abcd..xyz', '2020-07-17 18:00:22.123', '2020-07-17 18:00:22.123456',
        '2020-07-17', '18:00:22', 500,B'1',B'00001010',B'00101010','abc','2 weeks','{"order_id": 10248, "product": "Notebook", "quantity": 5}','{"order_id": 10249, "product": "Pen", "quantity": 10}'::jsonb,'<user>
        <id>123</id>
        <name>Alice</name>
        <email>alice@example.com</email>
        <preferences>
            <theme>dark</theme>
            <notifications>true</notifications>
        </preferences>
    </user>','(3.456,7.890)'::point,'foo.bar.baz','JohnDoe','color => "blue", size => "L"','192.168.1.1'::inet,'[1, 10)'::int4range,'[1000000000, 5000000000)'::int8range,'[5.5, 20.75)'::numrange,
       '["2023-08-01 08:00:00", "2023-08-01 12:00:00")','["2023-08-01", "2023-08-15")','pending');


CREATE TABLE time_types (
                            id                   SERIAL PRIMARY KEY,
                            date_c               DATE,
                            time_c               TIME(0) WITHOUT TIME ZONE,
                            time_3_c             TIME(3) WITHOUT TIME ZONE,
                            time_6_c             TIME(6) WITHOUT TIME ZONE,
                            datetime_c           TIMESTAMP(0) WITHOUT TIME ZONE,
                            datetime3_c          TIMESTAMP(3) WITHOUT TIME ZONE,
                            datetime6_c          TIMESTAMP(6) WITHOUT TIME ZONE,
                            timestamp_c          TIMESTAMP WITHOUT TIME ZONE,
                            timestamp_tz_c       TIMESTAMP WITH TIME ZONE
);
ALTER TABLE pipeline_column_type_test.time_types
    REPLICA IDENTITY FULL;

INSERT INTO time_types
VALUES (2,
        '2020-07-17',
        '18:00:22',
        '18:00:22.123',
        '18:00:22.123456',
        '2020-07-17 18:00:22',
        '2020-07-17 18:00:22.123',
        '2020-07-17 18:00:22.123456',
        '2020-07-17 18:00:22',
        '2020-07-17 18:00:22+08:00');

CREATE TABLE hstore_types (
  id SERIAL PRIMARY KEY,
  hstore_c HSTORE
);

ALTER TABLE pipeline_column_type_test.hstore_types
    REPLICA IDENTITY FULL;

INSERT INTO hstore_types
VALUES (1, 'a => 1, b => 2');

CREATE TABLE json_types (
                            id        SERIAL PRIMARY KEY,
                            json_c0   JSON,
                            json_c1   JSON,
                            json_c2   JSON,
                            jsonb_c0   JSONB,
                            jsonb_c1   JSONB,
                            jsonb_c2   JSONB,
                            int_c     INTEGER
);

ALTER TABLE pipeline_column_type_test.json_types
    REPLICA IDENTITY FULL;

INSERT INTO json_types (id,json_c0, json_c1, json_c2, jsonb_c0, jsonb_c1, jsonb_c2, int_c)
VALUES
    (1,
        '{"key1":"value1"}',
        '{"key1":"value1","key2":"value2"}',
        '[{"key1":"value1","key2":{"key2_1":"value2_1","key2_2":"value2_2"},"key3":["value3"],"key4":["value4_1","value4_2"]},{"key5":"value5"}]',
        '{"key1":"value1"}'::jsonb,
        '{"key1":"value1","key2":"value2"}'::jsonb,
        '[{"key1":"value1","key2":{"key2_1":"value2_1","key2_2":"value2_2"},"key3":["value3"],"key4":["value4_1","value4_2"]},{"key5":"value5"}]'::jsonb,
     1
    );

CREATE TABLE array_types (
                            id        SERIAL PRIMARY KEY,
                            text_a1  TEXT[],
                            int_a1    INTEGER[],
                            int_s1 INTEGER[],
                            uuid_a1 UUID[]
);

ALTER TABLE pipeline_column_type_test.array_types
    REPLICA IDENTITY FULL;

INSERT INTO array_types (id,text_a1, int_a1, int_s1, uuid_a1)
VALUES
    (1,
     ARRAY['electronics', 'gadget', 'sale'],
     '{85, 90, 78}',
     '{42}',
     ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a22']::UUID[]
    );

CREATE TABLE array_types_with_null (
                             id        SERIAL PRIMARY KEY,
                             text_a1   TEXT[],
                             int_a1    INTEGER[]
);

ALTER TABLE pipeline_column_type_test.array_types_with_null
    REPLICA IDENTITY FULL;

INSERT INTO array_types_with_null (id, text_a1, int_a1)
VALUES
    (1,
     ARRAY['hello', NULL, 'world'],
     ARRAY[1, NULL, 3]
    );

CREATE TABLE array_types_unsupported_matrix (
                             id        SERIAL PRIMARY KEY,
                             matrix_a1 INTEGER[][]
);

INSERT INTO array_types_unsupported_matrix (id,matrix_a1)
VALUES
    (1,
     '{{1,2},{3,4}}'
    );

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema pipeline_inventory (pipeline connector inventory.sql): products FLOAT(38), customers with UNIQUE email,
--    orders with foreign keys, multi_max_table with a composite key holding '' and case-only-different values
-- from: flink-cdc-connect/flink-cdc-pipeline-connectors/flink-cdc-pipeline-connector-postgres/src/test/resources/ddl/inventory.sql
-- changed: schema inventory renamed pipeline_inventory (collides with the source connector inventory.sql);
-- DROP SCHEMA removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- Create the schema that we'll use to populate data and watch the effect in the WAL
CREATE SCHEMA pipeline_inventory;
SET search_path TO pipeline_inventory;

-- Create and populate our products using a single insert with many rows
CREATE TABLE products (
  id SERIAL NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL DEFAULT 'flink',
  description VARCHAR(512),
  weight FLOAT(38)
);
ALTER SEQUENCE products_id_seq RESTART WITH 101;
ALTER TABLE products REPLICA IDENTITY FULL;

INSERT INTO products
VALUES (default,'scooter','Small 2-wheel scooter',3.14),
       (default,'car battery','12V car battery',8.1),
       (default,'12-pack drill bits','12-pack of drill bits with sizes ranging from #40 to #3',0.8),
       (default,'hammer','12oz carpenter''s hammer',0.75),
       (default,'hammer','14oz carpenter''s hammer',0.875),
       (default,'hammer','16oz carpenter''s hammer',1.0),
       (default,'rocks','box of assorted rocks',5.3),
       (default,'jacket','water resistent black wind breaker',0.1),
       (default,'spare tire','24 inch spare tire',22.2);

-- Create customers table
CREATE TABLE customers (
                           id SERIAL PRIMARY KEY,
                           first_name VARCHAR(255) NOT NULL,
                           last_name VARCHAR(255) NOT NULL,
                           email VARCHAR(255) NOT NULL UNIQUE
);

ALTER SEQUENCE customers_id_seq RESTART WITH 1001;
ALTER TABLE customers REPLICA IDENTITY FULL;

-- Insert data into customers table
INSERT INTO customers (first_name, last_name, email)
VALUES ('Sally', 'Thomas', 'sally.thomas@acme.com'),
       ('George', 'Bailey', 'gbailey@foobar.com'),
       ('Edward', 'Walker', 'ed@walker.com'),
       ('Anne', 'Kretchmar', 'annek@noanswer.org');

-- Create orders table
CREATE TABLE orders (
                        order_number SERIAL PRIMARY KEY,
                        order_date DATE NOT NULL,
                        purchaser INTEGER NOT NULL,
                        quantity INTEGER NOT NULL,
                        product_id INTEGER NOT NULL,
                        CONSTRAINT fk_customer FOREIGN KEY (purchaser) REFERENCES customers(id),
                        CONSTRAINT fk_product FOREIGN KEY (product_id) REFERENCES products(id)
);

-- Insert data into orders table
INSERT INTO orders (order_date, purchaser, quantity, product_id)
VALUES ('2016-01-16', 1001, 1, 102),
       ('2016-01-17', 1002, 2, 105),
       ('2016-02-18', 1004, 3, 109),
       ('2016-02-19', 1002, 2, 106),
       ('2016-02-21', 1003, 1, 107);

-- Create multi_max_table
CREATE TABLE multi_max_table (
                                 order_id VARCHAR(128) NOT NULL,
                                 index INT NOT NULL,
                                 description VARCHAR(512) NOT NULL,
                                 PRIMARY KEY (order_id, index)
);

-- Insert data into multi_max_table
INSERT INTO multi_max_table (order_id, index, description)
VALUES ('', 0, 'flink'),
       ('', 1, 'flink'),
       ('', 2, 'flink'),
       ('a', 0, 'flink'),
       ('b', 0, 'flink'),
       ('c', 0, 'flink'),
       ('d', 0, 'flink'),
       ('E', 0, 'flink'),
       ('E', 1, 'flink'),
       ('E', 2, 'flink'),
       ('e', 4, 'flink'),
       ('E', 3, 'flink');

RESET search_path;

-- ---------------------------------------------------------------------------------------------------------------------
-- schema test_decimal (pipeline connector decimal_mode_test.sql): numeric/decimal/money at their limits
-- from: flink-cdc-connect/flink-cdc-pipeline-connectors/flink-cdc-pipeline-connector-postgres/src/test/resources/ddl/decimal_mode_test.sql
-- changed: DROP SCHEMA / DROP TABLE IF EXISTS removed.
-- ---------------------------------------------------------------------------------------------------------------------
-- ----------------------------------------------------------------------------------------------------------------
-- DATABASE:  decimal_mode_test
-- ----------------------------------------------------------------------------------------------------------------
-- Generate a number of tables to cover as many of the PG types as possible


CREATE SCHEMA IF NOT EXISTS test_decimal;

SET search_path TO test_decimal;

CREATE TABLE decimal_test_table (
                                    id SERIAL PRIMARY KEY,
                                    fixed_numeric NUMERIC(10,2),
                                    fixed_decimal DECIMAL(8,4),
                                    variable_numeric NUMERIC,
                                    variable_decimal DECIMAL,
                                    amount_money MONEY
);

ALTER TABLE decimal_test_table REPLICA IDENTITY FULL;

INSERT INTO decimal_test_table (
    id,
    fixed_numeric,
    fixed_decimal,
    variable_numeric,
    variable_decimal,
    amount_money
) VALUES
(1, 123.45, 67.8912, 987.65, 12.3, '100.50'::money);


CREATE TABLE decimal_test_zero (
                                    id SERIAL PRIMARY KEY,
                                    fixed_numeric NUMERIC(10,2),
                                    fixed_decimal DECIMAL(8,4),
                                    variable_numeric NUMERIC,
                                    variable_decimal DECIMAL,
                                    amount_money MONEY
);

ALTER TABLE decimal_test_zero REPLICA IDENTITY FULL;

INSERT INTO decimal_test_zero (
    id,
    fixed_numeric,
    fixed_decimal,
    variable_numeric,
    variable_decimal,
    amount_money
) VALUES
    (2, 99999999.99, 9999.9999, null, null, null);

RESET search_path;

