-- Revenue per customer per day (UTC), from the current state of shop.orders.
-- mirror.shop__orders is provided by flink-elt (latest version of each order, deletes removed);
-- 'connector' = 'warehouse' writes to the pipeline's warehouse and creates the table if missing.
CREATE TABLE revenue_per_customer_day (
  customer_id BIGINT,
  `day`       DATE,
  orders      BIGINT,
  revenue     DECIMAL(38, 2),
  PRIMARY KEY (customer_id, `day`) NOT ENFORCED
) WITH (
  'connector' = 'warehouse',
  'table-name' = 'analytics.revenue_per_customer_day'
);

INSERT INTO revenue_per_customer_day
SELECT customer_id, CAST(placed_at AS DATE) AS `day`, COUNT(*) AS orders, SUM(total) AS revenue
FROM mirror.shop__orders
WHERE status <> 'cancelled'
GROUP BY customer_id, CAST(placed_at AS DATE);
