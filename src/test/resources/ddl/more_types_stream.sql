-- Streamed while the job runs: every row again under new ids, values only some readers got wrong (numeric
-- -Infinity, the timestamp maximum), an update of every column and a delete.
INSERT INTO public.more_types SELECT id + 100, c_money, c_money_domain, c_bit, c_varbit, c_bit_domain, c_timetz, c_timetz3, c_point,
  c_line, c_lseg, c_box, c_path, c_polygon, c_circle, c_int4range, c_numrange, c_tsrange, c_tstzrange, c_daterange, c_int8multirange,
  c_floatrange, c_tsvector, c_tsquery, c_oid, c_regclass, c_regtype, c_pg_lsn, c_macaddr8, c_numeric, c_numeric_inf, c_timestamp,
  c_timestamptz, c_date, c_citext, c_email, c_hstore, c_ltree, c_address, c_int_2d, c_text_3d, c_citext_arr, c_timetz_arr, c_money_arr,
  c_box_arr, c_address_arr, c_enum, c_domain, c_name, c_char, c_int2vector, c_xid, c_txid_snapshot FROM public.more_types;
INSERT INTO public.more_types (id, c_numeric, c_numeric_inf, c_timestamp, c_timestamptz, c_money, c_enum)
VALUES (200, '-Infinity', NULL, '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', '$0.00', 'Y');
UPDATE public.more_types SET c_money = c_money + '$1', c_citext = c_citext || '!', c_hstore = c_hstore || 'new=>1',
  c_int_2d = '{{5,6},{7,8}}', c_address = ROW('Elm', '9', '{Z}'), c_enum = 'V2', c_timetz = '12:34:56.789+05:30' WHERE id IN (1, 101);
DELETE FROM public.more_types WHERE id = 103;
