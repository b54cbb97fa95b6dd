package dev.frelon.train.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.frelon.train.plot.SvgTestSupport.elements;
import static dev.frelon.train.plot.SvgTestSupport.parse;
import static dev.frelon.train.plot.SvgTestSupport.pointCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinePlotTest {
    @TempDir
    Path dir;

    @Test
    void writesAParsableSvgWithOnePolylinePerSeries() throws Exception {
        double[] train = {2.3, 1.1, 0.7, 0.5, 0.41};
        double[] val = {2.4, 1.3, 0.9, 0.8, 0.79};
        Path file = dir.resolve("plots/loss.svg");
        new LinePlot("Loss <train & val>").xLabel("epoch").yLabel("cross-entropy")
                .add("train", train).add("validation", List.of(2.4, 1.3, 0.9, 0.8, 0.79))
                .write(file);
        Document d = parse(Files.readString(file, StandardCharsets.UTF_8));
        List<Element> lines = elements(d, "polyline", "series");
        assertEquals(2, lines.size());
        assertEquals(5, pointCount(lines.get(0)));
        assertEquals(5, pointCount(lines.get(1)));
        assertEquals("Loss <train & val>", elements(d, "text", "title").get(0).getTextContent());
        assertEquals("Loss <train & val>", elements(d, "title", null).get(0).getTextContent());
        assertEquals("epoch", elements(d, "text", "x-label").get(0).getTextContent());
        assertEquals("cross-entropy", elements(d, "text", "y-label").get(0).getTextContent());
        String legend = elements(d, "g", "legend").get(0).getTextContent();
        assertTrue(legend.contains("train") && legend.contains("validation"), legend);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
        assertEquals(val.length, train.length);
    }

    @Test
    void pointsMapIntoThePlotAreaMonotonically() throws Exception {
        String svg = new LinePlot(null).add("y=x", new double[] {0, 1, 2, 3}, new double[] {0, 1, 2, 3}).toSvg();
        Element line = elements(parse(svg), "polyline", "series").get(0);
        String[] pts = line.getAttribute("points").split(" ");
        double prevX = Double.NEGATIVE_INFINITY;
        double prevY = Double.POSITIVE_INFINITY;
        for (String p : pts) {
            String[] xy = p.split(",");
            double x = Double.parseDouble(xy[0]);
            double y = Double.parseDouble(xy[1]);
            assertTrue(x > prevX && y < prevY, "x grows rightwards and y upwards: " + line.getAttribute("points"));
            assertTrue(x >= 0 && x <= 640 && y >= 0 && y <= 400);
            prevX = x;
            prevY = y;
        }
        assertTrue(elements(parse(svg), "text", "title").isEmpty());
    }

    @Test
    void nonFiniteValuesBreakTheLine() throws Exception {
        double[] y = {1, 2, Double.NaN, 3, 4, 5, Double.POSITIVE_INFINITY, 6};
        Document d = parse(new LinePlot("gaps").add("s", y).toSvg());
        List<Element> lines = elements(d, "polyline", "series");
        assertEquals(2, lines.size());
        assertEquals(2, pointCount(lines.get(0)));
        assertEquals(3, pointCount(lines.get(1)));
        assertEquals(1, elements(d, "circle", "marker").size(), "the isolated last point is a marker");
    }

    @Test
    void markersAndFixedRanges() throws Exception {
        Document d = parse(new LinePlot("acc").yRange(0, 1).markers(true)
                .add("train", new double[] {0.5, 0.7, 0.9}).toSvg());
        assertEquals(3, elements(d, "circle", "marker").size());
        List<String> ticks = elements(d, "g", "tick-labels").stream().map(Element::getTextContent).toList();
        assertTrue(ticks.get(0).contains("0.0") && ticks.get(0).contains("1.0"), ticks.toString());
    }

    @Test
    void niceTicks() {
        assertArrayEquals(new double[] {0, 1, 0.2}, Svg.niceRange(0.03, 0.97, 6), 1e-12);
        assertArrayEquals(new double[] {0, 10, 2}, Svg.niceRange(1, 10, 6), 1e-12);
        assertArrayEquals(new double[] {-60, 10, 10}, Svg.niceRange(-57, 3, 6), 1e-12);
        assertArrayEquals(new double[] {4.4, 5.6, 0.2}, Svg.niceRange(5, 5, 6), 1e-12);
        assertEquals("0.4", Svg.tick(0.4000000001, 0.2));
        assertEquals("0.0", Svg.tick(-1e-17, 0.2));
        assertEquals("20", Svg.tick(20, 20));
        assertEquals("1.00e+06", Svg.tick(1e6, 2e5));
    }

    @Test
    void escapesMarkupAndDropsControlCharacters() {
        assertEquals("a&lt;b&gt;&amp;&quot;&apos;c", Svg.esc("a<b>&\"'c\u0001"));
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("x").add("s", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("'s' has 2 x values but 1 y values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("x").yRange(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("x").size(50, 400));
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("x").add("s", java.util.Arrays.asList(1.0, null)));
    }

    @Test
    void anEmptyPlotStillRenders() throws Exception {
        Document d = parse(new LinePlot("nothing yet").toSvg());
        assertEquals(0, elements(d, "polyline", "series").size());
        assertEquals("nothing yet", elements(d, "text", "title").get(0).getTextContent());
    }

    @Test
    void writtenFilesGetTheUsualPermissions() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path plot = dir.resolve("plot.svg");
        new LinePlot("p").add("s", new double[] {1, 2}).write(plot);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            // not the owner-only permissions of Files.createTempFile
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(plot));
        }
    }

    @Test
    void overwritesAtomically() throws Exception {
        Path file = dir.resolve("p.svg");
        Files.writeString(file, "old");
        new LinePlot("new").add("s", new double[] {1, 2}).write(file);
        assertTrue(Files.readString(file).contains("<svg"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
