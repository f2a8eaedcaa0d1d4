-- TPC-H Q14 per ship month, the two sums of its ratio.
SELECT extract(year FROM l_shipdate)::int AS ship_year, extract(month FROM l_shipdate)::int AS ship_month,
  sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END) AS promo_revenue,
  sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM tpch.lineitem, tpch.part
WHERE l_partkey = p_partkey
GROUP BY 1, 2
