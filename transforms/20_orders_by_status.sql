-- Number and value of orders per status, from the current state of shop.orders.
CREATE TABLE orders_by_status (
  status STRING,
  orders BIGINT,
  total  DECIMAL(38, 2),
  PRIMARY KEY (status) NOT ENFORCED
) WITH (
  'connector' = 'warehouse',
  'table-name' = 'analytics.orders_by_status'
);

INSERT INTO orders_by_status
SELECT status, COUNT(*) AS orders, SUM(total) AS total
FROM mirror.shop__orders
GROUP BY status;
