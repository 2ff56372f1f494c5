package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written format is the JDK's, second for second, over the whole range and past both of its ends. */
class HerokuTimestampsTest {
    private static String jdk(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Test
    void sameAsTheJdkAtTheEdges() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "2026-11-22T02:19:40.999999999Z", "2000-02-29T23:59:59Z",
                "1900-03-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.5Z", "1969-12-31T23:59:59.1Z"}) {
            Instant t = Instant.parse(s);
            assertThat(HerokuTimestamps.format(t)).as(s).isEqualTo(jdk(t));
        }
        for (Instant t : new Instant[] {Instant.parse("0000-01-01T00:00:00Z").minusSeconds(1),
                Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1), Instant.MIN, Instant.MAX}) {
            assertThat(HerokuTimestamps.format(t)).isEqualTo(jdk(t));
        }
    }

    @Test
    void sameAsTheJdkForAMillionRandomInstants() {
        SplittableRandom random = new SplittableRandom(14);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 1_000_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(first - 1000, end + 1000), random.nextInt(1_000_000_000));
            String mine = HerokuTimestamps.format(t);
            if (!mine.equals(jdk(t))) assertThat(mine).as(t.toString()).isEqualTo(jdk(t));
        }
    }
}
