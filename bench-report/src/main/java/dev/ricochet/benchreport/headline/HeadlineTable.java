package dev.ricochet.benchreport.headline;

import java.util.List;

/** The headline rows as a Markdown table, each row linking to the results file it was read from. */
final class HeadlineTable {

    private HeadlineTable() {
    }

    /**
     * @param linkPrefix the results folder as seen from the file the table goes into
     *                   ({@code bench/results} from the README), without a trailing slash
     */
    static String render(List<HeadlineRow> rows, String linkPrefix) {
        StringBuilder table = new StringBuilder("| measure | Ricochet | reference | measured |\n|---|---|---|---|\n");
        for (HeadlineRow row : rows) {
            table.append("| ").append(row.measure())
                    .append(" | ").append(row.ricochet())
                    .append(" | ").append(row.reference())
                    .append(" | [").append(row.when()).append("](").append(linkPrefix).append('/').append(row.source())
                    .append("), ").append(row.context())
                    .append(" |\n");
        }
        return table.toString();
    }
}
