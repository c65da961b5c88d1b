package dev.ricochet.benchreport.headline;

/**
 * One row of the README's headline table.
 *
 * @param measure   what is measured, and against which reference server
 * @param ricochet  Ricochet's figure, as the table shows it
 * @param reference the reference server's figure
 * @param source    the results file the figures come from, its Markdown ({@code c10k-vs-reference.md})
 * @param when      when and how it was measured ({@code 2026-11-30T14:04Z}), the link's text
 * @param context   what else the reader needs to weigh it ({@code 4 rounds, load 2.62})
 */
record HeadlineRow(String measure, String ricochet, String reference, String source, String when, String context) {
}
