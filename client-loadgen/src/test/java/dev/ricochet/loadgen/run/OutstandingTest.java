package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.workload.Request;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class OutstandingTest {

    private static final Request[] REQUESTS = {
        new Request(new byte[][] {{'^', 'a', '$'}}, new byte[] {'b'}),
        new Request(new byte[][] {{'^', 'b', '$'}}, new byte[] {'c'}),
        new Request(new byte[][] {{'^', 'c', '$'}}, new byte[] {'d'}),
    };

    private record Sent(Request request, long intended, long sent, long sequence) {
    }

    /** Adds (true) and replies (false) in any order keep the oldest first, as a queue would. */
    @Property(tries = 300)
    void repliesComeOffInTheOrderRequestsWent(@ForAll @Size(max = 400) List<Boolean> adds,
            @ForAll @IntRange(min = 0, max = 1000) int firstSequence) {
        Outstanding ring = new Outstanding();
        ArrayDeque<Sent> model = new ArrayDeque<>();
        long nextSequence = firstSequence;
        for (boolean add : adds) {
            if (add) {
                Sent s = new Sent(REQUESTS[(int) (nextSequence % REQUESTS.length)], nextSequence * 10, nextSequence * 10 + 3,
                        nextSequence);
                nextSequence++;
                ring.add(s.request(), s.sequence(), s.intended(), s.sent());
                model.add(s);
            } else if (!model.isEmpty()) {
                Sent oldest = model.poll();
                assertThat(ring.oldest()).isSameAs(oldest.request());
                assertThat(ring.oldestIntendedNanos()).isEqualTo(oldest.intended());
                assertThat(ring.oldestSentNanos()).isEqualTo(oldest.sent());
                assertThat(ring.oldestSequence()).isEqualTo(oldest.sequence());
                ring.removeOldest();
            }
            assertThat(ring.size()).isEqualTo(model.size());
            assertThat(ring.isEmpty()).isEqualTo(model.isEmpty());
        }
    }
}
