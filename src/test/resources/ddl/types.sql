-- Every type family the raw tables must carry exactly. Rows 1-7 exist before the job starts (snapshot: rows 4-7
-- hold what JDBC's getObject loses: NaN, infinities, 24:00, microsecond times, BC and years after 9999);
-- types_stream.sql adds more while it streams.
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'needs "quotes"');
CREATE DOMAIN public.posint AS integer CHECK (VALUE > 0);
CREATE TABLE public.all_types (
  id int PRIMARY KEY,
  c_smallint smallint, c_int integer, c_bigint bigint,
  c_real real, c_double double precision,
  c_numeric numeric(20,6), c_numeric_free numeric,
  c_bool boolean,
  c_text text, c_varchar varchar(50), c_char char(5),
  c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea,
  c_date date, c_time time, c_time3 time(3), c_timestamp timestamp, c_timestamp3 timestamp(3), c_timestamptz timestamptz,
  c_interval interval,
  c_int_arr int[], c_text_arr text[], c_numeric_arr numeric(10,2)[],
  c_mood public.mood, c_mood_arr public.mood[], c_posint public.posint,
  c_inet inet, c_macaddr macaddr, c_cidr cidr, c_xml xml
);
INSERT INTO public.all_types VALUES
 (1, -32768, -2147483648, -9223372036854775808, 3.4028235e38, 1.7976931348623157e308,
  -12345678901234.123456, 123456789012345678901234567890.123456789012345678901234567890, true,
  'plain ascii', 'varchar ümlaut ✓', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1,  "a": [1, 2]}', '{"z": {"y": null}, "a": 1.50}',
  '\x00ff10'::bytea, '2024-02-29', '23:59:59.999999', '12:34:56.789', '2024-02-29 13:14:15.123456', '1999-12-31 23:59:59.999',
  '2024-03-31 01:30:00.5+02', '1 year 2 mons 3 days 04:05:06.789', '{1,NULL,3}', '{"with \"quote\"","back\\slash",NULL,"",comma\,x}',
  '{1.10,2.25}', 'happy', '{sad,"needs \"quotes\""}', 7, '192.168.0.1/24', '08:00:2b:01:02:03', '10.1.0.0/16', '<a x="1">t &amp; u</a>'),
 (2, 0, 0, 0, -0.0, 1e-300, 0.000001, -0.5, false,
  E'tab\tnewline\nquote''s', '', '     ', '00000000-0000-0000-0000-000000000000', '[]', '[]',
  ''::bytea, '0001-01-01', '00:00:00', '00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
  '-1 days -00:00:01', '{}', '{}', '{}', 'sad', '{}', 1, '::1', 'ff:ff:ff:ff:ff:ff', '::/0', ''),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, NULL, NULL, NULL, 'NaN', 'Infinity', 'NaN', 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '0044-03-15 BC', '24:00:00', '24:00:00', '0044-03-15 10:00:00.5 BC', 'infinity', '0044-03-15 10:00:00.000001+00 BC',
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, NULL, NULL, NULL, '-Infinity', 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  'infinity', '23:59:59.999999', '00:00:00.001', '-infinity', '-infinity', 'infinity',
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (6, NULL, NULL, NULL, NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '-infinity', '00:00:00.000001', NULL, 'infinity', '4713-01-01 00:00:00 BC', '-infinity',
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '10000-01-01', '12:00:00.123456', NULL, '10000-01-01 00:00:00.000001', '0001-01-01 00:00:00 BC', '12000-06-01 12:00:00+00',
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
