package dev.ricochet.reporthtml;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of figures for a page: a header and rows of text, each row as long as the header.
 * Numbers are right-aligned by the page: a cell that reads as a number is marked so.
 *
 * @param id     the element's id, unique within the page
 * @param header the columns' names
 * @param rows   the rows
 */
public record Table(String id, List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        List<List<String>> copied = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table " + id + ": a row of " + row.size() + " cells under "
                        + header.size() + " columns: " + row);
            }
            copied.add(List.copyOf(row));
        }
        rows = List.copyOf(copied);
    }

    /** A table of two columns, a name and its value per row. */
    public static Table ofPairs(String id, String nameColumn, String valueColumn, List<List<String>> pairs) {
        return new Table(id, List.of(nameColumn, valueColumn), pairs);
    }
}
