package dev.frelon.train.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.frelon.train.plot.SvgTestSupport.elements;
import static dev.frelon.train.plot.SvgTestSupport.parse;
import static dev.frelon.train.plot.SvgTestSupport.pointCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScatterPlotTest {
    @TempDir
    Path dir;

    @Test
    void functionCurvesWidenTheYAxis() throws Exception {
        // Points span y in [0, 1]; the function reaches 100: every vertex must still lie inside the image.
        String svg = new ScatterPlot("Wide function").size(400, 300)
                .points("data", new double[] {0, 1, 2}, new double[] {0, 0.5, 1})
                .curve("cube", v -> v * v * v * 12.5, 20)
                .toSvg();
        Element curve = elements(parse(svg), "polyline", "curve").get(0);
        for (String pt : curve.getAttribute("points").trim().split("\\s+")) {
            double py = Double.parseDouble(pt.split(",")[1]);
            assertTrue(py >= 0 && py <= 300, "vertex " + pt + " lies outside the 300 px image");
        }
    }

    @Test
    void pointsAndFittedCurves() throws Exception {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0.1, 2.2, 3.9, 6.1, 8.0, 9.8};
        Path file = dir.resolve("fit.svg");
        new ScatterPlot("Linear fit").xLabel("x").yLabel("y")
                .points("data", x, y)
                .points("outliers", new double[] {2.5, Double.NaN}, new double[] {20, 1})
                .curve("fit", new double[] {0, 5}, new double[] {0, 10})
                .curve("true", v -> 2 * v, 50)
                .write(file);
        Document d = parse(Files.readString(file));
        assertEquals(7, elements(d, "circle", "point").size(), "6 data points and 1 finite outlier");
        List<Element> curves = elements(d, "polyline", "curve");
        assertEquals(2, curves.size());
        assertEquals(2, pointCount(curves.get(0)));
        assertEquals(50, pointCount(curves.get(1)));
        assertEquals("Linear fit", elements(d, "text", "title").get(0).getTextContent());
        String legend = elements(d, "g", "legend").get(0).getTextContent();
        assertTrue(legend.contains("data") && legend.contains("outliers") && legend.contains("true"), legend);
    }

    @Test
    void classColouredPointsOverDecisionRegions() throws Exception {
        double[] x = {-1, -0.5, 0.5, 1};
        double[] y = {0, 1, -1, 0};
        int[] c = {0, 0, 1, 1};
        String svg = new ScatterPlot("regions").classes(x, y, c).classNames("left", "right")
                .decisionRegions((a, b) -> a < 0 ? 0 : 1, 10).toSvg();
        Document d = parse(svg);
        List<Element> points = elements(d, "circle", "point");
        assertEquals(4, points.size());
        assertEquals(Svg.color(0), points.get(0).getAttribute("fill"));
        assertEquals(Svg.color(1), points.get(3).getAttribute("fill"));
        List<Element> regions = elements(d, "rect", "region");
        // Each of the 10 rows holds one run of class 0 then one run of class 1 (x range [-1, 1]).
        assertEquals(20, regions.size());
        long left = regions.stream().filter(r -> r.getAttribute("data-class").equals("0")).count();
        assertEquals(10, left);
        String legend = elements(d, "g", "legend").get(0).getTextContent();
        assertTrue(legend.contains("left") && legend.contains("right"), legend);
    }

    @Test
    void negativeClassesLeaveCellsBlank() throws Exception {
        String svg = new ScatterPlot(null).points("p", new double[] {0, 1}, new double[] {0, 1})
                .decisionRegions((a, b) -> -1, 5).toSvg();
        assertEquals(0, elements(parse(svg), "rect", "region").size());
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScatterPlot("x").classes(new double[] {1}, new double[] {1}, new int[] {-2}));
        assertTrue(e.getMessage().contains("label -2 of point 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ScatterPlot("x").classes(new double[] {1, 2}, new double[] {1, 2}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot("x").decisionRegions((a, b) -> 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot("x").curve("f", v -> v, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot("x").pointRadius(0));
    }
}
