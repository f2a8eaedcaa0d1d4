package dev.flinkelt.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The demo's source schema: customers, orders, order_items, with several column types. */
public final class ShopSchema {
    public static final String[] TABLES = {"shop.customers", "shop.orders", "shop.order_items"};

    private ShopSchema() {}

    /**
     * Creates the schema with {@code customers} customers, about 2 orders each and 2-3 items per
     * order.
     */
    public static void create(Connection c, int customers) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute(
                    "CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled')");
            st.execute(
                    "CREATE TABLE shop.customers (id bigint PRIMARY KEY, name text NOT NULL, email varchar(120),"
                            + " tier char(1), balance numeric(12,2), tags text[], signed_up timestamptz, birthday date, profile jsonb)");
            st.execute(
                    "CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status shop.order_status NOT NULL,"
                            + " total numeric(12,2), placed_at timestamptz, delivery_window interval, ref uuid, paid boolean)");
            st.execute(
                    "CREATE TABLE shop.order_items (order_id bigint, line_no int, sku varchar(32), qty int, price numeric(10,2),"
                            + " weight_kg double precision, PRIMARY KEY (order_id, line_no))");
            st.execute(
                    "INSERT INTO shop.customers SELECT g, 'Customer ' || g, 'c' || g || '@example.com', substr('ABC', 1 + g % 3, 1),"
                            + " round((g * 7.31)::numeric % 1000, 2), ARRAY['t' || g % 5, 'since-' || (2000 + g % 20)],"
                            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '17 minutes 3.123456 seconds', date '1970-01-01' + g % 20000,"
                            + " jsonb_build_object('visits', g % 13, 'newsletter', g % 2 = 0) FROM generate_series(1, "
                            + customers
                            + ") g");
            st.execute(
                    "INSERT INTO shop.orders SELECT g, 1 + g % "
                            + customers
                            + ", (ARRAY['new','paid','shipped','cancelled'])[1 + g % 4]::shop.order_status,"
                            + " round((g * 3.7)::numeric % 500, 2), timestamptz '2024-06-01 00:00:00+00' + g * interval '1 minute',"
                            + " make_interval(days => g % 5, hours => g % 24), md5(g::text)::uuid, g % 4 <> 0 FROM generate_series(1, "
                            + 2 * customers
                            + ") g");
            st.execute(
                    "INSERT INTO shop.order_items SELECT o, l, 'SKU-' || (o * 7 + l) % 997, 1 + (o + l) % 4, round(((o + l) * 1.13)::numeric % 90, 2),"
                            + " (o % 100) / 7.0 FROM generate_series(1, "
                            + 2 * customers
                            + ") o, generate_series(1, 2 + o % 2) l");
        }
    }
}
