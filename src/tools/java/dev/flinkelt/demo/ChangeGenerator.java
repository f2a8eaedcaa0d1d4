package dev.flinkelt.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Writes a steady mix of inserts, updates and deletes to the shop tables in small transactions. */
public final class ChangeGenerator implements Runnable {
    private final Connection conn;
    private final int ratePerSecond;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong changes = new AtomicLong();
    private final Random random = new Random(42);
    private long nextOrderId;
    private final int customers;
    private volatile Throwable failure;

    public ChangeGenerator(Connection conn, int customers, int ratePerSecond) {
        this.conn = conn;
        this.customers = customers;
        this.ratePerSecond = ratePerSecond;
        this.nextOrderId = 2L * customers + 1;
    }

    public long changes() {
        return changes.get();
    }

    public Throwable failure() {
        return failure;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (PreparedStatement newOrder =
                        conn.prepareStatement(
                                "INSERT INTO shop.orders VALUES (?, ?, 'new', ?, now(), interval '2 days', gen_random_uuid(), false)");
                PreparedStatement newItem =
                        conn.prepareStatement(
                                "INSERT INTO shop.order_items VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement advance =
                        conn.prepareStatement(
                                "UPDATE shop.orders SET status = CASE status WHEN 'new' THEN 'paid'::shop.order_status"
                                        + " WHEN 'paid' THEN 'shipped'::shop.order_status ELSE status END, paid = true WHERE id = ?");
                PreparedStatement balance =
                        conn.prepareStatement(
                                "UPDATE shop.customers SET balance = balance + ? WHERE id = ?");
                PreparedStatement cancel =
                        conn.prepareStatement(
                                "DELETE FROM shop.order_items WHERE order_id = ? AND line_no = 1")) {
            conn.setAutoCommit(false);
            long started = System.nanoTime();
            while (running.get()) {
                int kind = random.nextInt(10);
                if (kind < 6) {
                    long id = nextOrderId++;
                    newOrder.setLong(1, id);
                    newOrder.setLong(2, 1 + random.nextInt(customers));
                    newOrder.setBigDecimal(3, BigDecimal.valueOf(random.nextInt(50_000), 2));
                    newOrder.executeUpdate();
                    newItem.setLong(1, id);
                    newItem.setInt(2, 1);
                    newItem.setString(3, "SKU-" + random.nextInt(997));
                    newItem.setInt(4, 1 + random.nextInt(3));
                    newItem.setBigDecimal(5, BigDecimal.valueOf(random.nextInt(9_000), 2));
                    newItem.setDouble(6, random.nextInt(1000) / 7.0);
                    newItem.executeUpdate();
                    changes.addAndGet(2);
                } else if (kind < 9) {
                    advance.setLong(1, 1 + random.nextInt((int) (nextOrderId - 1)));
                    balance.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(2_000) - 1_000, 2));
                    balance.setLong(2, 1 + random.nextInt(customers));
                    changes.addAndGet(advance.executeUpdate() + balance.executeUpdate());
                } else {
                    cancel.setLong(1, 1 + random.nextInt((int) (nextOrderId - 1)));
                    changes.addAndGet(cancel.executeUpdate());
                }
                conn.commit();
                long due = started + changes.get() * 1_000_000_000L / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(
                            wait / 1_000_000L,
                            (int) (wait % 1_000_000L)); // pacing an open-loop rate, not waiting
                    // for a condition
                }
            }
        } catch (SQLException | InterruptedException e) {
            if (running.get()) {
                failure = e;
            }
        }
    }
}
