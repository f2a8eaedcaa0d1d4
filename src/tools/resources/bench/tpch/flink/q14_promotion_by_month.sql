-- TPC-H Q14 (promotion effect) for every month instead of one: promotional and total revenue per ship month.
-- The two sums rather than their ratio, so the comparison with PostgreSQL is exact (no division rounding).
CREATE TABLE q14_promotion_by_month (
  ship_year     INT,
  ship_month    INT,
  promo_revenue DECIMAL(38, 4),
  revenue       DECIMAL(38, 4),
  PRIMARY KEY (ship_year, ship_month) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q14_promotion_by_month');

INSERT INTO q14_promotion_by_month
SELECT CAST(EXTRACT(YEAR FROM l.l_shipdate) AS INT), CAST(EXTRACT(MONTH FROM l.l_shipdate) AS INT),
  SUM(CASE WHEN p.p_type LIKE 'PROMO%' THEN l.l_extendedprice * (1 - l.l_discount) ELSE 0 END),
  SUM(l.l_extendedprice * (1 - l.l_discount))
FROM mirror.tpch__lineitem l
JOIN mirror.tpch__part p ON l.l_partkey = p.p_partkey
GROUP BY CAST(EXTRACT(YEAR FROM l.l_shipdate) AS INT), CAST(EXTRACT(MONTH FROM l.l_shipdate) AS INT);
