package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The benchmarks that have a page, by the name of their results file. */
enum PageKind {
    ENGINES("engines") {
        @Override
        PageContent content(JsonNode root, Path source) {
            return EnginesPage.content(root, source);
        }
    },
    C10K_VS_REFERENCE("c10k-vs-reference") {
        @Override
        PageContent content(JsonNode root, Path source) {
            return C10kPage.content(root, source);
        }
    },
    KNEE("knee") {
        @Override
        PageContent content(JsonNode root, Path source) {
            return KneePage.content(root, source);
        }
    };

    private final String label;

    PageKind(String label) {
        this.label = label;
    }

    /**
     * The page's facts and charts, from the results JSON.
     *
     * @param source where {@code root} was read from, for messages
     * @throws IllegalArgumentException when the results are not of this kind
     */
    abstract PageContent content(JsonNode root, Path source);

    String label() {
        return label;
    }

    static Optional<PageKind> named(String label) {
        return Arrays.stream(values()).filter(kind -> kind.label.equals(label)).findFirst();
    }

    /** "engines, c10k-vs-reference, knee" */
    static String labels() {
        return Arrays.stream(values()).map(PageKind::label).collect(Collectors.joining(", "));
    }
}
