package dev.ricochet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class SelfContainedPageTest {

    @TempDir
    Path dir;

    @Test
    void acceptsInlineSvgDataUrlsFragmentsLinksAndNamespaces() {
        assertThat(SelfContainedPage.outsideReferences(HeadlessChromiumTest.CHART_PAGE)).isEmpty();
        assertThat(SelfContainedPage.outsideReferences("""
                <html><head><link rel="icon" href="data:image/png;base64,iVBORw0KGgo=">
                <style>@import "data:text/css,p{}"; .a { background: url('data:image/png;base64,AAAA') }</style></head>
                <body><svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#dot"/>
                <image href="data:image/png;base64,AAAA"/><rect fill="url(#gradient)"/></svg>
                <a href="https://example.com/docs">docs</a><area href="http://example.com/">
                <!-- <script src="https://cdn.example.com/old.js"></script> -->
                </body></html>
                """)).isEmpty();
    }

    @Test
    void namesAnExternalScriptAndImage() {
        assertThat(SelfContainedPage.outsideReferences("""
                <html><head><script src="https://cdn.example.com/chart.js"></script></head>
                <body><img alt='logo' src='http://example.com/logo.png'></body></html>
                """)).containsExactly("<script src=\"https://cdn.example.com/chart.js\">",
                "<img src=\"http://example.com/logo.png\">");
    }

    @Test
    void namesStylesheetsFontsAndFilesBesideThePage() {
        assertThat(SelfContainedPage.outsideReferences("""
                <html><head><link rel=stylesheet href=//fonts.example.com/css>
                <style>@import "theme.css"; @font-face { src: url( "https://fonts.example.com/a.woff2" ) }</style></head>
                <body style="background: url(paper.png)"><img srcset="chart@2x.png 2x"><svg><image xlink:href="chart.png"/></svg>
                </body></html>
                """)).containsExactlyInAnyOrder("<link href=\"//fonts.example.com/css\">",
                "url(https://fonts.example.com/a.woff2)", "url(paper.png)", "@import theme.css",
                "<img srcset=\"chart@2x.png 2x\">", "<image xlink:href=\"chart.png\">");
    }

    @Test
    void failsAPageThatIsNotSelfContainedNamingWhatItLoads() throws Exception {
        Path page = Files.writeString(dir.resolve("cdn.html"),
                "<html><body><script src=\"https://cdn.example.com/chart.js\"></script></body></html>");

        assertThatThrownBy(() -> SelfContainedPage.assertSelfContained(page)).isInstanceOf(AssertionFailedError.class)
                .hasMessage(page + " is not self-contained: it loads <script src=\"https://cdn.example.com/chart.js\">");
    }
}
