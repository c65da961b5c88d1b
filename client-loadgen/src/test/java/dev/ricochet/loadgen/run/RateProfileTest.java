package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RateProfileTest {

    @Test
    void readsStepsAndRampsInOrder() {
        RateProfile profile = RateProfile.parse("5000:30s,5000..20000:30s,60000:10s,5000:30s");

        assertThat(profile.segments()).containsExactly(
                RateProfile.Segment.step(5000, Duration.ofSeconds(30)),
                new RateProfile.Segment(5000, 20000, Duration.ofSeconds(30)),
                RateProfile.Segment.step(60000, Duration.ofSeconds(10)),
                RateProfile.Segment.step(5000, Duration.ofSeconds(30)));
        assertThat(profile.duration()).isEqualTo(Duration.ofSeconds(100));
        assertThat(profile.startRate()).isEqualTo(5000);
        assertThat(profile.startSeconds(2)).isEqualTo(60);
        // 150,000 + 375,000 + 600,000 + 150,000 requests over 100 s
        assertThat(profile.meanRate()).isCloseTo(12_750, within(1e-9));
        assertThat(profile).hasToString("5000:30s,5000..20000:30s,60000:10s,5000:30s");
    }

    @Test
    void takesDecimalRatesSpacesSilencesAndEveryDurationTheLoadGeneratorReads() {
        RateProfile profile = RateProfile.parse("0.5:1500ms, 0..100.25:2m ,0:PT1S,10:1h");

        assertThat(profile.segments()).containsExactly(
                RateProfile.Segment.step(0.5, Duration.ofMillis(1500)),
                new RateProfile.Segment(0, 100.25, Duration.ofMinutes(2)),
                RateProfile.Segment.step(0, Duration.ofSeconds(1)),
                RateProfile.Segment.step(10, Duration.ofHours(1)));
        assertThat(profile).hasToString("0.5:1500ms,0..100.25:120s,0:1s,10:3600s");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                 | --rate-profile: '' (expected: comma-separated segments RATE:DURATION
            5000:1s,,10:1s     | --rate-profile: segment 2 is empty (expected: comma-separated segments
            5000:1s,           | --rate-profile: segment 2 is empty (expected:
            5000               | --rate-profile: segment 1, '5000' (expected: RATE:DURATION or FROM..TO:DURATION, such as 5000:30s or 5000..20000:30s)
            :30s               | --rate-profile: segment 1, ':30s' (expected: RATE:DURATION
            1000:1s,abc:1s     | --rate-profile: segment 2, 'abc:1s': rate 'abc' (expected: a number of requests per second, >= 0)
            1000:1s,-5:1s      | --rate-profile: segment 2, '-5:1s': rate -5 (expected: >= 0)
            10..:1s            | --rate-profile: segment 1, '10..:1s': rate '' (expected: a number
            NaN:1s             | --rate-profile: segment 1, 'NaN:1s': rate 'NaN' (expected: a number
            10:0s              | --rate-profile: segment 1, '10:0s': duration 0s (expected: above 0, at most 100 days)
            10:10              | --rate-profile: segment 1, '10:10': duration '10' (expected: a non-negative duration such as 500ms
            10:2401h           | --rate-profile: segment 1, '10:2401h': duration 2401h (expected: above 0, at most 100 days)
            0:1s,0..0:2s       | --rate-profile: '0:1s,0..0:2s' plans no request (expected: some segment with a rate above 0)
            10:2000h,10:500h   | --rate-profile: '10:2000h,10:500h' lasts 2500 hours (expected: at most 100 days in all)
            """)
    void refusesABadSpecNamingTheBadSegment(String spec, String message) {
        assertThatThrownBy(() -> RateProfile.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void refusesMoreSegmentsThanItKeepsPhasesFor() {
        String spec = String.join(",", Collections.nCopies(RateProfile.MAX_SEGMENTS + 1, "10:1s"));
        assertThatThrownBy(() -> RateProfile.parse(spec))
                .hasMessage("--rate-profile: 101 segments (expected: at most 100)");
    }
}
