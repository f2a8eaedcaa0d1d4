package dev.flinkelt.bench.tpch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A burst of refresh-style changes on the source, in the spirit of TPC-H's refresh functions: new
 * orders with their lineitems (2 % of the orders), deleted orders with theirs (1 %), new discounts
 * on every line of other orders (1.5 %), new market segments of customers (10 %); about 17,000
 * changes at scale 0.05. Seeded and drawn from keys read in order, so every run of a scale makes
 * the same changes (the transform contenders and the PostgreSQL peer see the same data). Each of
 * {@link #TRANSACTIONS} transactions holds a slice of every kind.
 */
public final class TpchChanges {
    static final int TRANSACTIONS = 20;
    private static final long SEED = 25L; // issue 25
    private static final LocalDate FIRST_ORDER = LocalDate.of(1992, 1, 1);
    private static final LocalDate CURRENT = LocalDate.of(1995, 6, 17); // dbgen's "today"
    private static final String[] SEGMENTS = {
        "AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"
    };
    private static final String[] PRIORITIES = {
        "1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"
    };
    private static final String[] MODES = {
        "REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"
    };
    private static final String[] INSTRUCTIONS = {
        "DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"
    };

    private final Random random = new Random(SEED);

    private TpchChanges() {}

    /** Applies the burst; returns the changed rows (= raw rows the extract-load adds) per table. */
    public static Map<String, Long> apply(Connection c) throws SQLException {
        return new TpchChanges().run(c);
    }

    private Map<String, Long> run(Connection c) throws SQLException {
        c.setAutoCommit(false);
        List<Integer> orders = ints(c, "SELECT o_orderkey FROM tpch.orders ORDER BY 1");
        int customers = ints(c, "SELECT max(c_custkey) FROM tpch.customer").get(0);
        int parts = ints(c, "SELECT max(p_partkey) FROM tpch.part").get(0);
        int suppliers = ints(c, "SELECT max(s_suppkey) FROM tpch.supplier").get(0);
        int nextKey = orders.get(orders.size() - 1) + 1;
        Collections.shuffle(orders, random);
        int added = Math.max(1, orders.size() / 50);
        int deleted = Math.max(1, orders.size() / 100);
        int discounted = Math.max(1, orders.size() * 3 / 200);
        int segments = Math.max(1, customers / 10);
        List<Integer> delete = orders.subList(0, deleted);
        List<Integer> discount = orders.subList(deleted, deleted + discounted);
        long[] changed = new long[3]; // orders, lineitem, customer
        try (PreparedStatement insO =
                        c.prepareStatement(
                                "INSERT INTO tpch.orders VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'bench refresh')");
                PreparedStatement insL =
                        c.prepareStatement(
                                "INSERT INTO tpch.lineitem VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench refresh')");
                PreparedStatement delL =
                        c.prepareStatement("DELETE FROM tpch.lineitem WHERE l_orderkey = ?");
                PreparedStatement delO =
                        c.prepareStatement("DELETE FROM tpch.orders WHERE o_orderkey = ?");
                PreparedStatement disc =
                        c.prepareStatement(
                                "UPDATE tpch.lineitem SET l_discount = ? WHERE l_orderkey = ?");
                PreparedStatement seg =
                        c.prepareStatement(
                                "UPDATE tpch.customer SET c_mktsegment = ? WHERE c_custkey = ?")) {
            for (int t = 0; t < TRANSACTIONS; t++) {
                for (int i = slice(added, t); i < slice(added, t + 1); i++) {
                    newOrder(insO, insL, nextKey + i, customers, parts, suppliers);
                }
                for (int i = slice(deleted, t); i < slice(deleted, t + 1); i++) {
                    delL.setInt(1, delete.get(i));
                    delL.addBatch();
                    delO.setInt(1, delete.get(i));
                    delO.addBatch();
                }
                for (int i = slice(discounted, t); i < slice(discounted, t + 1); i++) {
                    disc.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(11), 2));
                    disc.setInt(2, discount.get(i));
                    disc.addBatch();
                }
                for (int i = slice(segments, t); i < slice(segments, t + 1); i++) {
                    seg.setString(1, SEGMENTS[random.nextInt(SEGMENTS.length)]);
                    seg.setInt(2, 1 + random.nextInt(customers));
                    seg.addBatch();
                }
                changed[0] += sum(insO.executeBatch());
                changed[1] += sum(insL.executeBatch()) + sum(delL.executeBatch());
                changed[0] += sum(delO.executeBatch());
                changed[1] += sum(disc.executeBatch());
                changed[2] += sum(seg.executeBatch());
                c.commit();
            }
        }
        c.setAutoCommit(true);
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("orders", changed[0]);
        out.put("lineitem", changed[1]);
        out.put("customer", changed[2]);
        return out;
    }

    /** A new order of 1–7 lines, dates and prices drawn as dbgen draws them. */
    private void newOrder(
            PreparedStatement insO,
            PreparedStatement insL,
            int key,
            int customers,
            int parts,
            int suppliers)
            throws SQLException {
        LocalDate ordered = FIRST_ORDER.plusDays(random.nextInt(2405));
        int lines = 1 + random.nextInt(7);
        BigDecimal total = BigDecimal.ZERO;
        int shipped = 0;
        for (int n = 1; n <= lines; n++) {
            int part = 1 + random.nextInt(parts);
            int quantity = 1 + random.nextInt(50);
            BigDecimal price =
                    BigDecimal.valueOf(90000L + (part / 10) % 20001 + 100L * (part % 1000), 2)
                            .multiply(BigDecimal.valueOf(quantity));
            BigDecimal discount = BigDecimal.valueOf(random.nextInt(11), 2);
            BigDecimal tax = BigDecimal.valueOf(random.nextInt(9), 2);
            LocalDate ship = ordered.plusDays(1 + random.nextInt(121));
            LocalDate commit = ordered.plusDays(30 + random.nextInt(61));
            LocalDate receipt = ship.plusDays(1 + random.nextInt(30));
            boolean returned = !receipt.isAfter(CURRENT);
            shipped += ship.isAfter(CURRENT) ? 0 : 1;
            insL.setInt(1, key);
            insL.setInt(2, part);
            insL.setInt(3, 1 + random.nextInt(suppliers));
            insL.setInt(4, n);
            insL.setBigDecimal(5, BigDecimal.valueOf(quantity));
            insL.setBigDecimal(6, price);
            insL.setBigDecimal(7, discount);
            insL.setBigDecimal(8, tax);
            insL.setString(9, returned ? (random.nextBoolean() ? "R" : "A") : "N");
            insL.setString(10, ship.isAfter(CURRENT) ? "O" : "F");
            insL.setDate(11, Date.valueOf(ship));
            insL.setDate(12, Date.valueOf(commit));
            insL.setDate(13, Date.valueOf(receipt));
            insL.setString(14, INSTRUCTIONS[random.nextInt(INSTRUCTIONS.length)]);
            insL.setString(15, MODES[random.nextInt(MODES.length)]);
            insL.addBatch();
            total =
                    total.add(
                            price.multiply(BigDecimal.ONE.add(tax))
                                    .multiply(BigDecimal.ONE.subtract(discount)));
        }
        int customer = 1 + random.nextInt(customers);
        insO.setInt(1, key);
        insO.setInt(2, customer % 3 == 0 ? Math.max(1, customer - 1) : customer);
        insO.setString(3, shipped == lines ? "F" : shipped == 0 ? "O" : "P");
        insO.setBigDecimal(4, total.setScale(2, RoundingMode.HALF_UP));
        insO.setDate(5, Date.valueOf(ordered));
        insO.setString(6, PRIORITIES[random.nextInt(PRIORITIES.length)]);
        insO.setString(7, String.format("Clerk#%09d", 1 + random.nextInt(1000)));
        insO.addBatch();
    }

    private static int slice(int total, int t) {
        return (int) ((long) total * t / TRANSACTIONS);
    }

    private static long sum(int[] counts) {
        long s = 0;
        for (int n : counts) {
            s += n;
        }
        return s;
    }

    private static List<Integer> ints(Connection c, String sql) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}
