-- TPC-H Q5 (local supplier volume): six tables joined, revenue per Asian nation in 1994.
CREATE TABLE q05_local_supplier_volume (
  n_name  STRING,
  revenue DECIMAL(38, 4),
  PRIMARY KEY (n_name) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q05_local_supplier_volume');

INSERT INTO q05_local_supplier_volume
SELECT TRIM(n.n_name), SUM(l.l_extendedprice * (1 - l.l_discount))
FROM mirror.tpch__lineitem l
JOIN mirror.tpch__orders o ON l.l_orderkey = o.o_orderkey
JOIN mirror.tpch__customer c ON c.c_custkey = o.o_custkey
JOIN mirror.tpch__supplier s ON l.l_suppkey = s.s_suppkey AND c.c_nationkey = s.s_nationkey
JOIN mirror.tpch__nation n ON s.s_nationkey = n.n_nationkey
JOIN mirror.tpch__region r ON n.n_regionkey = r.r_regionkey
WHERE TRIM(r.r_name) = 'ASIA'
  AND o.o_orderdate >= DATE '1994-01-01'
  AND o.o_orderdate < DATE '1995-01-01'
GROUP BY TRIM(n.n_name);
