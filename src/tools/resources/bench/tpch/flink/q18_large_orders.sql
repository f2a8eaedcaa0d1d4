-- TPC-H Q18 (large volume customer) without ORDER BY/LIMIT: orders of more than 300 units, with their customer.
CREATE TABLE q18_large_orders (
  c_name       STRING,
  c_custkey    INT,
  o_orderkey   INT,
  o_orderdate  DATE,
  o_totalprice DECIMAL(15, 2),
  quantity     DECIMAL(38, 2),
  PRIMARY KEY (o_orderkey) NOT ENFORCED
) WITH ('connector' = 'warehouse', 'table-name' = 'tpch_out.q18_large_orders');

INSERT INTO q18_large_orders
SELECT c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice, SUM(l.l_quantity)
FROM mirror.tpch__customer c
JOIN mirror.tpch__orders o ON c.c_custkey = o.o_custkey
JOIN mirror.tpch__lineitem l ON o.o_orderkey = l.l_orderkey
WHERE o.o_orderkey IN (
  SELECT l_orderkey FROM mirror.tpch__lineitem GROUP BY l_orderkey HAVING SUM(l_quantity) > 300)
GROUP BY c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice;
