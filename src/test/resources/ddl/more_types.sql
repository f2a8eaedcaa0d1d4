-- Every other type family a column can have (issue 22): built-ins Debezium 1.9 could not carry (money, bit,
-- timetz, geometry, ranges and multiranges, text search, oid/reg*, pg_lsn, macaddr8, numeric infinities,
-- timestamp extremes), extension types (citext, hstore, ltree: the warehouse has the extensions), composite
-- types, multi-dimensional arrays, arrays and domains of all, a user range type, and an enum public.test_type
-- beside a domain test.test_type over integer (the name collision Debezium's type registry fails on).
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE SCHEMA test;
CREATE TYPE public.test_type AS ENUM ('V1', 'V2', 'Y');
CREATE DOMAIN test.test_type AS integer;
CREATE TYPE public.address AS (street text, "zip code" varchar(10), tags citext[]);
CREATE DOMAIN public.money_amount AS money;
CREATE DOMAIN public.flags3 AS bit(3);
CREATE DOMAIN public.email AS citext;
CREATE TYPE public.floatrange AS RANGE (subtype = float8);
CREATE TABLE public.more_types (
  id int PRIMARY KEY,
  c_money money, c_money_domain public.money_amount,
  c_bit bit(3), c_varbit varbit(8), c_bit_domain public.flags3,
  c_timetz timetz, c_timetz3 time(3) with time zone,
  c_point point, c_line line, c_lseg lseg, c_box box, c_path path, c_polygon polygon, c_circle circle,
  c_int4range int4range, c_numrange numrange, c_tsrange tsrange, c_tstzrange tstzrange, c_daterange daterange,
  c_int8multirange int8multirange, c_floatrange public.floatrange,
  c_tsvector tsvector, c_tsquery tsquery,
  c_oid oid, c_regclass regclass, c_regtype regtype, c_pg_lsn pg_lsn, c_macaddr8 macaddr8,
  c_numeric numeric, c_numeric_inf numeric(10,2), c_timestamp timestamp, c_timestamptz timestamptz, c_date date,
  c_citext citext, c_email public.email, c_hstore hstore, c_ltree ltree,
  c_address public.address, c_int_2d int[][], c_text_3d text[][][],
  c_citext_arr citext[], c_timetz_arr timetz[], c_money_arr money[], c_box_arr box[], c_address_arr public.address[],
  c_enum public.test_type, c_domain test.test_type,
  c_name name, c_char "char", c_int2vector int2vector, c_xid xid, c_txid_snapshot txid_snapshot
);
INSERT INTO public.more_types VALUES
 (1, '$1,234,567.89', '-$0.01', B'101', B'1', B'011',
  '23:59:59.999999+14', '24:00:00-15:59', '(1.5,-2)', '{1,-1,0}', '[(0,0),(1,1)]', '((3,4),(1,2))', '[(0,0),(1,1),(2,0)]',
  '((0,0),(1,1),(1,0))', '<(0,0),1.5>',
  '[1,10)', '(-1.5,2.25]', '[2024-01-01 00:00,infinity)', '(-infinity,2024-01-01 00:00+00]', 'empty',
  '{[1,3), [7,9)}', '[-1.5,2.5)',
  'a fat cat sat:3A on the mat', 'fat & (rat | cat)',
  4000000000, 'public.more_types', 'timestamp with time zone', '16/B374D848', '08:00:2b:01:02:03:04:05',
  'Infinity', NULL, '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', '5874897-12-31',
  'MiXeD CaSe', 'Some.One@Example.COM', 'a=>1, "b c"=>NULL, "q\"t"=>"v\\w"', 'Top.Science.Astronomy',
  ROW('Main St. 1', '12345', '{A,b}'), '{{1,2},{3,4}}', '{{{a,b}},{{"c d",NULL}}}',
  '{Ab,aB,NULL}', '{12:00+01,24:00:00+00}', '{$1.00,-$2.50}', '{(1,1),(0,0);(2,2),(1,1)}', ARRAY[ROW('x', NULL, NULL)::public.address],
  'Y', 42,
  'a name', 'x', '1 2 3', '123', '10:20:10,14,15'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-Infinity', NULL, '4714-11-24 00:00:00 BC', '4714-11-24 00:00:00+00 BC', '4714-11-24 BC',
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'V1', NULL, NULL, NULL, NULL, NULL, NULL),
 (3, '-$92,233,720,368,547,758.08', NULL, B'000', B'', NULL, '00:00:00+00', NULL, '(0,0)', NULL, NULL, NULL, NULL, NULL, NULL,
  'empty', 'empty', '[,)', NULL, '[infinity,infinity]', '{}', 'empty', '', NULL, 0, '-', '-', '0/0', NULL,
  'NaN', NULL, 'infinity', '-infinity', 'infinity', '', '', '', '', ROW(NULL, NULL, NULL), '{}', '{}', '{}', '{}', '{}', '{}', '{}',
  'V2', -1, '', ' ', '', '0', '1:1:');
