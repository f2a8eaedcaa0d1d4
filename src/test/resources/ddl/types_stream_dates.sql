-- Streamed by TypeRoundTripITCase after types_stream.sql: dates and timestamps PostgreSQL writes in forms java.time
-- does not (BC years, +-infinity, years after 9999).
INSERT INTO public.all_types (id, c_date, c_time, c_timestamp, c_timestamp3, c_timestamptz)
VALUES (202, '0044-03-15 BC', '24:00:00', '0044-03-15 10:00:00.5 BC', 'infinity', '0044-03-15 10:00:00.000001+00 BC'),
       (203, 'infinity', '23:59:59.999999', '-infinity', '-infinity', 'infinity'),
       (204, '-infinity', '00:00:00', 'infinity', '4713-01-01 00:00:00 BC', '-infinity'),
       (205, '10000-01-01', '12:00:00', '10000-01-01 00:00:00.000001', '0001-01-01 00:00:00 BC', '12000-06-01 12:00:00+00');
UPDATE public.all_types SET c_date = '0001-01-01 BC', c_timestamptz = '4713-01-01 00:00:00+00 BC' WHERE id = 1;
