-- Streamed while the job runs: the same families again, plus values only the streaming path keeps exact
-- (numeric NaN, time 24:00:00, float infinities).
INSERT INTO public.all_types SELECT id + 100, c_smallint, c_int, c_bigint, c_real, c_double, c_numeric, c_numeric_free, c_bool, c_text, c_varchar,
  c_char, c_uuid, c_json, c_jsonb, c_bytea, c_date, c_time, c_time3, c_timestamp, c_timestamp3, c_timestamptz, c_interval, c_int_arr, c_text_arr,
  c_numeric_arr, c_mood, c_mood_arr, c_posint, c_inet, c_macaddr, c_cidr, c_xml FROM public.all_types;
INSERT INTO public.all_types (id, c_real, c_double, c_numeric, c_numeric_free, c_time, c_interval, c_timestamptz, c_text_arr)
VALUES (200, 'Infinity', '-Infinity', 'NaN', 'NaN', '24:00:00', '-178000000 years', '2038-01-19 03:14:08.000001+00', '{"NULL",null}'),
       (201, 'NaN', 'NaN', 0, 1e-20, '00:00:00.000001', '1 mon -1 day 00:00:00.000001', '0001-01-01 00:00:00+00', '{" lead and trail "}');
UPDATE public.all_types SET c_text = c_text || ' (updated)', c_jsonb = '{"updated": true}', c_numeric = c_numeric * 2 WHERE id IN (1, 2, 101);
UPDATE public.all_types SET c_bytea = '\xdeadbeef', c_mood = 'ok', c_int_arr = '{9,8,7}' WHERE id = 3;
DELETE FROM public.all_types WHERE id = 102;
