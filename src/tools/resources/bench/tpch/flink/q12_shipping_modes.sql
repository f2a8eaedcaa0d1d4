-- TPC-H Q12 (shipping modes and order priority): late lines of 1994 per ship mode, high vs low priority.
CREATE TABLE q12_shipping_modes (
  l_shipmode      STRING,
  high_line_count BIGINT,
  low_line_count  BIGINT,
  PRIMARY KEY (l_shipmode) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q12_shipping_modes');

INSERT INTO q12_shipping_modes
SELECT TRIM(l.l_shipmode),
  SUM(CASE WHEN TRIM(o.o_orderpriority) IN ('1-URGENT', '2-HIGH') THEN CAST(1 AS BIGINT) ELSE 0 END),
  SUM(CASE WHEN TRIM(o.o_orderpriority) NOT IN ('1-URGENT', '2-HIGH') THEN CAST(1 AS BIGINT) ELSE 0 END)
FROM mirror.tpch__orders o
JOIN mirror.tpch__lineitem l ON o.o_orderkey = l.l_orderkey
WHERE TRIM(l.l_shipmode) IN ('MAIL', 'SHIP')
  AND l.l_commitdate < l.l_receiptdate
  AND l.l_shipdate < l.l_commitdate
  AND l.l_receiptdate >= DATE '1994-01-01'
  AND l.l_receiptdate < DATE '1995-01-01'
GROUP BY TRIM(l.l_shipmode);
