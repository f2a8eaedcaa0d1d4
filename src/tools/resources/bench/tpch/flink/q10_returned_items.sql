-- TPC-H Q10 (returned item reporting) without ORDER BY/LIMIT: lost revenue per customer, Q4 1993.
CREATE TABLE q10_returned_items (
  c_custkey INT,
  c_name    STRING,
  revenue   DECIMAL(38, 4),
  c_acctbal DECIMAL(15, 2),
  n_name    STRING,
  PRIMARY KEY (c_custkey) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q10_returned_items');

INSERT INTO q10_returned_items
SELECT c.c_custkey, c.c_name, SUM(l.l_extendedprice * (1 - l.l_discount)), c.c_acctbal, TRIM(n.n_name)
FROM mirror.tpch__lineitem l
JOIN mirror.tpch__orders o ON l.l_orderkey = o.o_orderkey
JOIN mirror.tpch__customer c ON c.c_custkey = o.o_custkey
JOIN mirror.tpch__nation n ON c.c_nationkey = n.n_nationkey
WHERE o.o_orderdate >= DATE '1993-10-01'
  AND o.o_orderdate < DATE '1994-01-01'
  AND TRIM(l.l_returnflag) = 'R'
GROUP BY c.c_custkey, c.c_name, c.c_acctbal, TRIM(n.n_name);
