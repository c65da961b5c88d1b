package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountsTest {

    /** Every count, found by reflection, so that a counter added without its line in add or reset fails here. */
    private static final List<Field> COUNTS = Arrays.stream(Counts.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .toList();

    @Test
    void holdsOnlyCounts() {
        assertThat(COUNTS).isNotEmpty().allSatisfy(f -> assertThat(f.getType()).isEqualTo(long.class));
    }

    @Test
    void addAddsEveryCountAndLeavesTheOtherAsItWas() throws IllegalAccessException {
        Counts sum = numbered(100);
        Counts other = numbered(1);
        sum.add(other);
        for (int i = 0; i < COUNTS.size(); i++) {
            assertThat(COUNTS.get(i).getLong(sum)).as(COUNTS.get(i).getName()).isEqualTo(100 + i + 1 + i);
            assertThat(COUNTS.get(i).getLong(other)).as(COUNTS.get(i).getName()).isEqualTo(1 + i);
        }
    }

    @Test
    void resetZeroesEveryCount() throws IllegalAccessException {
        Counts counts = numbered(7);
        counts.reset();
        for (Field count : COUNTS) {
            assertThat(count.getLong(counts)).as(count.getName()).isZero();
        }
    }

    @Test
    void eachAccessorReadsItsOwnCount() throws Exception {
        Counts counts = numbered(1);
        for (Field count : COUNTS) {
            assertThat(Counts.class.getMethod(count.getName()).invoke(counts)).as(count.getName())
                    .isEqualTo(count.getLong(counts));
        }
    }

    @Test
    void ofTakesEveryCountInDeclarationOrder() throws Exception {
        var of = Arrays.stream(Counts.class.getMethods()).filter(m -> m.getName().equals("of")).findFirst().orElseThrow();
        assertThat(of.getParameterCount()).isEqualTo(COUNTS.size());
        Object[] values = new Object[COUNTS.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1L + i;
        }
        Counts counts = (Counts) of.invoke(null, values);
        for (int i = 0; i < COUNTS.size(); i++) {
            assertThat(COUNTS.get(i).getLong(counts)).as(COUNTS.get(i).getName()).isEqualTo(1 + i);
        }
    }

    /** Counts whose values are {@code first}, {@code first + 1}, ... in declaration order. */
    private static Counts numbered(long first) throws IllegalAccessException {
        Counts counts = new Counts();
        for (int i = 0; i < COUNTS.size(); i++) {
            COUNTS.get(i).setLong(counts, first + i);
        }
        return counts;
    }
}
