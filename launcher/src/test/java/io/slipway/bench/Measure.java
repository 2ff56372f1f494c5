package io.slipway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** CPU time of processes (from /proc), percentiles, and PostgreSQL's pg_stat_statements. */
final class Measure {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private Measure() {
    }

    /** utime + stime of a process and (for the postmaster) of its live children, in seconds; 0 when unknown. */
    static double cpuSeconds(long pid, boolean withChildren) {
        double total = ticks(pid);
        if (withChildren) {
            for (long child : ProcessHandle.of(pid).map(p -> p.children().mapToLong(ProcessHandle::pid).toArray())
                    .orElse(new long[0])) {
                total += ticks(child);
            }
        }
        return total / TICKS_PER_SECOND;
    }

    private static double ticks(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Fields 14 and 15 (utime, stime) of /proc/PID/stat; the command name in parentheses may contain spaces. */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // f[0] is field 3 (state)
    }

    static double selfCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** Nearest-rank percentile of {@code values} (sorted copy); NaN when empty. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    record Statement(long calls, double totalMs, String query) {}

    static void resetStatements(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            System.err.println("pg_stat_statements unavailable: " + e.getMessage());
        }
    }

    /** The statements that took the most time since the last reset. */
    static List<Statement> topStatements(String url, String user, String password, int limit) {
        List<Statement> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password); java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, regexp_replace(query, '\\s+', ' ', 'g') "
                     + "FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' "
                     + "ORDER BY total_exec_time DESC LIMIT " + limit)) {
            while (rs.next()) out.add(new Statement(rs.getLong(1), rs.getDouble(2), rs.getString(3)));
        } catch (SQLException e) {
            System.err.println("pg_stat_statements unavailable: " + e.getMessage());
        }
        return out;
    }
}
