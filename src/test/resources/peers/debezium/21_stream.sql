-- =====================================================================================================================
-- Peer fixture: Debezium PostgreSQL connector -- STREAM, part 2 (after 20_stream.sql, in a later transaction)
--
-- Origin     : https://github.com/debezium/debezium  (module debezium-connector-postgres)
-- Commit     : aad5519902997a3627fe296f77ea6d3452e9acce
-- Licence    : Apache License 2.0 (Copyright Debezium Authors). Derived work; changes listed below.
-- Read from  : src/test/java/io/debezium/connector/postgresql/RecordsStreamProducerIT.java
--              (shouldRefreshSchemaWhenEnumValueAddedViaAlterType)
--
-- Changed: the enum is test_type_rsp_added / table enum_table_added_value (test_type / enum_table in the peer; see
-- 10_setup.sql). This INSERT is a file of its own because 20_stream.sql ends with
-- "ALTER TYPE test_type_rsp_added ADD VALUE 'V2'", and PostgreSQL refuses to use an enum label in the transaction
-- that added it ("unsafe use of new value"); a JDBC Statement.execute of one file is one transaction.
-- =====================================================================================================================

INSERT INTO public.enum_table_added_value (value) VALUES ('V2');
