-- TPC-H Q3 (shipping priority) without ORDER BY/LIMIT: revenue of every unshipped BUILDING order, kept current.
-- TRIM(x) = 'LIT' holds whether char(n) values arrive blank-padded or trimmed.
CREATE TABLE q03_shipping_priority (
  l_orderkey     INT,
  revenue        DECIMAL(38, 4),
  o_orderdate    DATE,
  o_shippriority INT,
  PRIMARY KEY (l_orderkey) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q03_shipping_priority');

INSERT INTO q03_shipping_priority
SELECT l.l_orderkey, SUM(l.l_extendedprice * (1 - l.l_discount)), o.o_orderdate, o.o_shippriority
FROM mirror.tpch__customer c
JOIN mirror.tpch__orders o ON c.c_custkey = o.o_custkey
JOIN mirror.tpch__lineitem l ON l.l_orderkey = o.o_orderkey
WHERE TRIM(c.c_mktsegment) = 'BUILDING'
  AND o.o_orderdate < DATE '1995-03-15'
  AND l.l_shipdate > DATE '1995-03-15'
GROUP BY l.l_orderkey, o.o_orderdate, o.o_shippriority;
