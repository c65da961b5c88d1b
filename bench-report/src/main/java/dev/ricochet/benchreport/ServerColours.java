package dev.ricochet.benchreport;

/** Each server keeps its colour ({@link dev.ricochet.reporthtml.ChartStyle#colour}) on every page. */
final class ServerColours {

    static final int RICOCHET = 0;
    static final int REFERENCE = 1;

    private ServerColours() {
    }
}
