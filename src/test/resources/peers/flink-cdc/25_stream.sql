-- =====================================================================================================================
-- Peer fixture: Apache Flink CDC PostgreSQL connectors -- STREAM (run while the pipeline streams, after every
-- *_setup.sql and after ../debezium/2x_stream.sql)
--
-- Origin     : https://github.com/apache/flink-cdc
-- Commit     : 23fb108e9bea7f689230fa188e5f80c6eef0dbc3
-- Licence    : Apache License 2.0 (the statements come from ASF-licensed test sources; notice as in 15_setup.sql:
--              Licensed to the Apache Software Foundation (ASF) under one or more contributor license agreements.
--              See the NOTICE file distributed with this work for additional information regarding copyright
--              ownership. The ASF licenses this file to You under the Apache License, Version 2.0; you may not use
--              this file except in compliance with the License. You may obtain a copy of the License at
--              http://www.apache.org/licenses/LICENSE-2.0 . Distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR
--              CONDITIONS OF ANY KIND, either express or implied.)
-- Read from  :
--   flink-cdc-connect/flink-cdc-source-connectors/flink-connector-postgres-cdc/src/test/java/org/apache/flink/cdc/
--     connectors/postgres/: table/PostgreSQLConnectorITCase.java, PostgreSQLSourceTest.java,
--     source/PostgresSourceExampleTest.java, source/PostgresSourceITCase.java, source/SimilarTableNamesITCase.java,
--     source/NewlyAddedTableITCase.java, source/fetch/IncrementalSourceStreamFetcherTest.java
--   flink-cdc-connect/flink-cdc-pipeline-connectors/flink-cdc-pipeline-connector-postgres/src/test/java/org/apache/
--     flink/cdc/connectors/postgres/source/: PostgresPipelineITCase.java, PostgresFullTypesITCase.java
--
-- Every block names the test method it replays. Changes:
--   * Schema names follow 15_setup.sql (inventory_replica_identity, column_type_test, pipeline_column_type_test,
--     pipeline_inventory for the peer's "inventory" of the respective fixture).
--   * Many ITs replay the same DML on a fresh inventory.products; each distinct sequence is kept once. Ids the peer
--     comments as "// 110" are assigned by the sequence here, so they can differ; statements with an explicit id
--     keep it (they were checked not to collide).
--   * Tables the peers create WHILE streaming are created here too (they are the point of those tests):
--     inventory_partitioned.products_china (a new partition), customer.address_hangzhou / address_beijing
--     (NewlyAddedTableITCase), public.dummy (PostgreSQLSourceTest.testFlushLsn: an unrelated keyless table).
--   * Left out: CREATE/DROP PUBLICATION, pg_create_logical_replication_slot, CREATE DATABASE (hyphenated db name),
--     heartbeat table.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- inventory.products (source connector inventory.sql, REPLICA IDENTITY FULL)
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresSourceExampleTest.makeWalEvents (tableId inventory.products)
UPDATE inventory.products SET name = 'cart' where id = 103;
INSERT INTO inventory.products VALUES(110,'spare tire','28 inch spare tire','26.2');
DELETE FROM inventory.products where id = 110;
UPDATE inventory.products SET name = '12-pack drill bits' where id = 103;
-- PostgreSQLConnectorITCase.testConsumingAllEvents (same DML: testUpsertMode, testMetadataColumns,
-- testStartupFromLatestOffset, PostgreSQLSavepointITCase, source e2e PostgresE2eITCase)
UPDATE inventory.products SET description='18oz carpenter hammer' WHERE id=106;
UPDATE inventory.products SET weight='5.1' WHERE id=107;
INSERT INTO inventory.products VALUES (default,'jacket','water resistent white wind breaker',0.2);
INSERT INTO inventory.products VALUES (default,'scooter','Big 2-wheel scooter ',5.18);
UPDATE inventory.products SET description='new water resistent white wind breaker', weight='0.5' WHERE id=110;
UPDATE inventory.products SET weight='5.17' WHERE id=111;
DELETE FROM inventory.products WHERE id=111;
-- PostgreSQLConnectorITCase.testStartupFromCommittedOffset
INSERT INTO inventory.products VALUES (default,'first','first description',0.1);
INSERT INTO inventory.products VALUES (default,'second','second description',0.2);
INSERT INTO inventory.products VALUES (default,'thirth','thirth description',0.1);
INSERT INTO inventory.products VALUES (default,'forth','forth description',0.2);
-- PostgreSQLSourceTest.testConsumingAllEvents: the primary key of a row changes (1001 -> 2001), then two columns
-- are added in one ALTER TABLE
INSERT INTO inventory.products VALUES (default,'robot','Toy robot',1.304);
INSERT INTO inventory.products VALUES (1001,'roy','old robot',1234.56);
UPDATE inventory.products SET id=2001, description='really old robot' WHERE id=1001;
UPDATE inventory.products SET weight=1345.67 WHERE id=2001;
ALTER TABLE inventory.products ADD COLUMN volume FLOAT, ADD COLUMN alias VARCHAR(30) NULL;
UPDATE inventory.products SET volume=13.5 WHERE id=2001;
-- PostgreSQLSourceTest.testCheckpointAndRestore: column added with a default after an insert that omits "name"
INSERT INTO inventory.products VALUES (default,'robot','Toy robot',1.304);
INSERT INTO inventory.products VALUES (1001,'roy','old robot',1234.56);
UPDATE inventory.products SET weight=1345.67 WHERE id=1001;
DELETE FROM inventory.products WHERE id=1001;
INSERT INTO inventory.products(id, description, weight) VALUES (default, 'Go go go', 111.1);
ALTER TABLE inventory.products ADD comment_col VARCHAR(100) DEFAULT 'cdc';
INSERT INTO inventory.products(id, description, weight) VALUES (default, 'Run!', 22.2);
-- PostgreSQLSourceTest.testFlushLsn: batches of inserts, and a transaction on a table nobody captures
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
CREATE TABLE public.dummy (a int);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);
INSERT INTO inventory.products VALUES (default,'dummy','My Dummy',1.1);

-- ---------------------------------------------------------------------------------------------------------------------
-- PostgreSQLConnectorITCase.testConsumingAllEventsForPartitionedTable: rows routed to partitions, then a partition is
-- created while streaming and receives a row
-- ---------------------------------------------------------------------------------------------------------------------
INSERT INTO inventory_partitioned.products VALUES (default,'jacket','water resistent white wind breaker',0.2, 'us');
INSERT INTO inventory_partitioned.products VALUES (default,'scooter','Big 2-wheel scooter ',5.18, 'uk');
CREATE TABLE inventory_partitioned.products_china PARTITION OF inventory_partitioned.products FOR VALUES IN ('china');
INSERT INTO inventory_partitioned.products VALUES (default,'bike','Big 2-wheel bycicle ',6.18, 'china');

-- ---------------------------------------------------------------------------------------------------------------------
-- PostgreSQLConnectorITCase.testExceptionForReplicaIdentity: the testConsumingAllEvents DML on a table with
-- REPLICA IDENTITY DEFAULT (updates/deletes carry only the key as "before")
-- ---------------------------------------------------------------------------------------------------------------------
UPDATE inventory_replica_identity.products SET description='18oz carpenter hammer' WHERE id=106;
UPDATE inventory_replica_identity.products SET weight='5.1' WHERE id=107;
INSERT INTO inventory_replica_identity.products VALUES (default,'jacket','water resistent white wind breaker',0.2);
INSERT INTO inventory_replica_identity.products VALUES (default,'scooter','Big 2-wheel scooter ',5.18);
UPDATE inventory_replica_identity.products SET description='new water resistent white wind breaker', weight='0.5' WHERE id=110;
UPDATE inventory_replica_identity.products SET weight='5.17' WHERE id=111;
DELETE FROM inventory_replica_identity.products WHERE id=111;

-- ---------------------------------------------------------------------------------------------------------------------
-- customer."Customers" / customers_1 / customers_no_pk
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresSourceITCase.testAppendOnly (snapshot-phase hook statements)
INSERT INTO customer."Customers" VALUES (15213, 'user_15213', 'Shanghai', '123567891234');
UPDATE customer."Customers" SET address = 'Pittsburgh' WHERE "Id" = 2000;
DELETE FROM customer."Customers" WHERE "Id" = 1019;
-- PostgresSourceITCase.makeFirstPartStreamEvents / makeSecondPartStreamEvents, run for every captured table
-- ("Customers", customers_1 and -- in testConsumingTableWithoutPrimaryKey -- the keyless customers_no_pk)
UPDATE customer."Customers" SET address = 'Hangzhou' where "Id" = 103;
DELETE FROM customer."Customers" where "Id" = 102;
INSERT INTO customer."Customers" VALUES(102, 'user_2', 'Shanghai', '123567891234');
UPDATE customer."Customers" SET address = 'Shanghai' where "Id" = 103;
UPDATE customer."Customers" SET address = 'Hangzhou' where "Id" = 1010;
INSERT INTO customer."Customers" VALUES(2001, 'user_22','Shanghai','123567891234'), (2002, 'user_23','Shanghai','123567891234'),(2003, 'user_24','Shanghai','123567891234');
UPDATE customer.customers_1 SET address = 'Hangzhou' where "Id" = 103;
DELETE FROM customer.customers_1 where "Id" = 102;
INSERT INTO customer.customers_1 VALUES(102, 'user_2', 'Shanghai', '123567891234');
UPDATE customer.customers_1 SET address = 'Shanghai' where "Id" = 103;
UPDATE customer.customers_1 SET address = 'Hangzhou' where "Id" = 1010;
INSERT INTO customer.customers_1 VALUES(2001, 'user_22','Shanghai','123567891234'), (2002, 'user_23','Shanghai','123567891234'),(2003, 'user_24','Shanghai','123567891234');
UPDATE customer.customers_no_pk SET address = 'Hangzhou' where "Id" = 103;
DELETE FROM customer.customers_no_pk where "Id" = 102;
INSERT INTO customer.customers_no_pk VALUES(102, 'user_2', 'Shanghai', '123567891234');
UPDATE customer.customers_no_pk SET address = 'Shanghai' where "Id" = 103;
UPDATE customer.customers_no_pk SET address = 'Hangzhou' where "Id" = 1010;
INSERT INTO customer.customers_no_pk VALUES(2001, 'user_22','Shanghai','123567891234'), (2002, 'user_23','Shanghai','123567891234'),(2003, 'user_24','Shanghai','123567891234');
-- IncrementalSourceStreamFetcherTest / PostgresSourceReaderTest: a column with a default added between two inserts
INSERT INTO customer."Customers" VALUES (3001, 'before_ddl', 'Beijing', '111');
ALTER TABLE customer."Customers" ADD COLUMN email VARCHAR(255) DEFAULT 'test@test.com';
INSERT INTO customer."Customers" VALUES (3002, 'after_ddl', 'Shanghai', '222', 'after@test.com');

-- NewlyAddedTableITCase: WAL keeps flowing on one table while new tables appear and are filled
UPDATE  customer.produce_wal_log_table SET  cnt = cnt +1 WHERE id < 2;
-- initialAddressTables(): tables created while streaming (cityName = hangzhou / beijing)
CREATE TABLE customer.address_hangzhou(  id BIGINT NOT NULL PRIMARY KEY,  country VARCHAR(255) NOT NULL,  city VARCHAR(255) NOT NULL,  detail_address VARCHAR(1024));
INSERT INTO  customer.address_hangzhou VALUES (416874195632735147, 'China', 'hangzhou', 'hangzhou West Town address 1'),       (416927583791428523, 'China', 'hangzhou', 'hangzhou West Town address 2'),       (417022095255614379, 'China', 'hangzhou', 'hangzhou West Town address 3');
ALTER TABLE customer.address_hangzhou REPLICA IDENTITY FULL;
CREATE TABLE customer.address_beijing(  id BIGINT NOT NULL PRIMARY KEY,  country VARCHAR(255) NOT NULL,  city VARCHAR(255) NOT NULL,  detail_address VARCHAR(1024));
INSERT INTO  customer.address_beijing VALUES (416874195632735147, 'China', 'beijing', 'beijing West Town address 1'),       (416927583791428523, 'China', 'beijing', 'beijing West Town address 2'),       (417022095255614379, 'China', 'beijing', 'beijing West Town address 3');
ALTER TABLE customer.address_beijing REPLICA IDENTITY FULL;
-- makeFirstPartWalLogForAddressTable / makeSecondPartWalLogForAddressTable / makeWalLogBeforeCaptureForAddressTable
UPDATE customer.address_hangzhou SET COUNTRY = 'CHINA' where id = 416874195632735147;
INSERT INTO customer.address_hangzhou VALUES(417022095255614380, 'China','hangzhou','hangzhou West Town address 4');
INSERT INTO customer.address_beijing VALUES(417022095255614381, 'China','beijing','beijing West Town address 5');
-- makeWalLogForAddressTableInRound (round 1: id 417022095255614380 + 1)
UPDATE customer.address_hangzhou SET COUNTRY = 'China_1' where id = 416874195632735147;
INSERT INTO customer.address_hangzhou VALUES(417022095255614381, 'China','hangzhou','hangzhou West Town address 4');

-- ---------------------------------------------------------------------------------------------------------------------
-- similar_names (FLINK-38965): SimilarTableNamesITCase.testReadTableWithSimilarNameUnderscore /
-- testReadTableWithSimilarNamePercent / testReadAllSimilarNamedTables (executeDmlOperations*, "user%data" insert)
-- ---------------------------------------------------------------------------------------------------------------------
INSERT INTO similar_names.user_test_data VALUES (304, 'test_4', 'Harbin');
UPDATE similar_names.user_test_data SET address = 'Changchun' WHERE id = 301;
INSERT INTO similar_names."user%data" VALUES (204, 'percent_4', 'Xiamen');
INSERT INTO similar_names.ndi_pg_user_sink_1 VALUES (4, 'user_4', 'Wuhan');
INSERT INTO similar_names.ndi_pg_userbsink_1 VALUES (104, 'userb_4', 'Nanjing');
UPDATE similar_names.ndi_pg_user_sink_1 SET address = 'Suzhou' WHERE id = 1;

-- ---------------------------------------------------------------------------------------------------------------------
-- types
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgreSQLConnectorITCase.testAllTypes (source column_type_test.sql; peer schema "inventory")
UPDATE column_type_test.full_types SET small_c=0 WHERE id=1;
-- PostgreSQLConnectorITCase.testArrayTypes (uuid[] with mixed-case input in setup, replaced here)
UPDATE column_type_test.array_types SET text_a1=ARRAY['updated', 'array'], int_a1='{100, 200}', uuid_a1=ARRAY['aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'ffffffff-1111-2222-3333-444444444444']::UUID[] WHERE id=1;
-- PostgreSQLConnectorITCase.testUniqueIndexIncludingFunction: key = unique index on (id, COALESCE(char_c, ''))
UPDATE indexes.functional_unique_index SET char_c=NULL WHERE id=1;
-- PostgresFullTypesITCase (pipeline column_type_test.sql; peer schema "inventory"): citext NOT NULL + enum NOT NULL
INSERT INTO pipeline_column_type_test.full_types (id, small_c, int_c, big_c, real_c, double_precision, boolean_c, text_c, username, status) VALUES (2, 100, 200, 300, 1.1, 2.2, true, 'test', 'testuser', 'pending');

-- ---------------------------------------------------------------------------------------------------------------------
-- pipeline_inventory.products (pipeline connector inventory.sql; peer schema "inventory")
-- ---------------------------------------------------------------------------------------------------------------------
-- PostgresPipelineITCase.testInitialStartupModeWithOpts (insert / update / delete while the pipeline runs)
INSERT INTO pipeline_inventory.products VALUES (default,'scooter','c-2',5.5);
INSERT INTO pipeline_inventory.products VALUES (default,'football','c-11',6.6);
UPDATE pipeline_inventory.products SET description='c-12' WHERE id=110;
DELETE FROM pipeline_inventory.products WHERE id = 111;
-- PostgresPipelineITCase.testLatestOffsetStartupMode (inserts naming the columns)
INSERT INTO pipeline_inventory.products (name, description, weight) VALUES ('scooter', 'Small 2-wheel scooter', 3.14);
INSERT INTO pipeline_inventory.products (name, description, weight) VALUES ('football', 'A leather football', 0.45);
INSERT INTO pipeline_inventory.products (name, description, weight) VALUES ('new_product_1', 'New product description', 1.0);
-- PostgresPipelineITCase.testSchemaChangeWithDataInserts: add column, drop column, change type, rename column -- rows between each
INSERT INTO pipeline_inventory.products VALUES (default, 'before_add_col', 'desc1', 1.0);
ALTER TABLE pipeline_inventory.products ADD COLUMN category VARCHAR(100);
INSERT INTO pipeline_inventory.products VALUES (default, 'after_add_col', 'desc2', 2.0, 'electronics');
INSERT INTO pipeline_inventory.products VALUES (default, 'before_drop_col', 'desc3', 3.0, 'books');
ALTER TABLE pipeline_inventory.products DROP COLUMN description;
INSERT INTO pipeline_inventory.products VALUES (default, 'after_drop_col', 4.0, 'toys');
INSERT INTO pipeline_inventory.products VALUES (default, 'before_alter_type', 5.0, 'food');
ALTER TABLE pipeline_inventory.products ALTER COLUMN weight TYPE DECIMAL(10,2);
INSERT INTO pipeline_inventory.products VALUES (default, 'after_alter_type', 6.00, 'sports');
INSERT INTO pipeline_inventory.products VALUES (default, 'before_rename_col', 7.00, 'clothing');
ALTER TABLE pipeline_inventory.products RENAME COLUMN category TO product_category;
INSERT INTO pipeline_inventory.products VALUES (default, 'after_rename_col', 8.00, 'garden');
