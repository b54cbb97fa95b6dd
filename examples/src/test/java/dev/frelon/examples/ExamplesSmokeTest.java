package dev.frelon.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.frelon.core.Tensor;
import dev.frelon.nn.Module;
import dev.frelon.nn.Sequential;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the cheap examples in-process with small settings and checks what they claim: gradient descent
 * agrees with least squares, wider ReLU layers fit the terrain better, the five points and the spiral are
 * classified, and the learned adder is close inside its training range and off outside it. The expensive
 * Fashion-MNIST examples are left to their commands.
 */
class ExamplesSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void polynomialGradientDescentAgreesWithLeastSquares() throws Exception {
        for (int d = 1; d <= 4; d++) {
            PolynomialRegression.Fit f = PolynomialRegression.fit(d, 3000, 0.05);
            assertTrue(f.relativeDifference() < 1e-4, "degree " + d + ": relative difference "
                    + f.relativeDifference());
            assertEquals(f.lsMse(), f.gdMse(), 1e-3 * Math.max(1, f.lsMse()), "degree " + d);
        }
        // Five coefficients through five points: an exact fit.
        assertTrue(PolynomialRegression.fit(4, 3000, 0.05).lsMse() < 1e-8);
        // Degree 1 matches the textbook formulas for a straight line.
        double[] c = PolynomialRegression.leastSquares(1);
        double mx = 0, my = 0;
        for (int i = 0; i < 5; i++) {
            mx += PolynomialRegression.X[i] / 5;
            my += PolynomialRegression.Y[i] / 5;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < 5; i++) {
            sxy += (PolynomialRegression.X[i] - mx) * (PolynomialRegression.Y[i] - my);
            sxx += (PolynomialRegression.X[i] - mx) * (PolynomialRegression.X[i] - mx);
        }
        assertEquals(sxy / sxx, c[1], 1e-9);
        assertEquals(my - sxy / sxx * mx, c[0], 1e-9);

        PolynomialRegression.main(new String[] {"--steps", "2000", "--out", tmp.resolve("poly").toString()});
        assertTrue(Files.size(tmp.resolve("poly/fits.svg")) > 1000);
    }

    @Test
    void ridgeIsTheClosedFormAndTheLassoZeroesCoefficients() throws Exception {
        double[] ml = RidgeLasso.maximumLikelihood();
        for (int i = 0; i < 4; i++) {                       // through every point
            assertEquals(RidgeLasso.Y[i], PolynomialRegression.horner(ml, RidgeLasso.X[i]), 1e-9);
        }
        assertTrue(Math.abs(ml[2]) > 50 && ml[1] < 0 && ml[2] > 0 && ml[3] < 0, "huge alternating coefficients");
        double[] ridge = RidgeLasso.ridgeByGradientDescent(0.01, 6000), exact = RidgeLasso.ridgeClosedForm(0.01);
        assertTrue(RidgeLasso.maxDifference(ridge, exact) < 1e-4, RidgeLasso.maxDifference(ridge, exact) + "");
        double norm = 0;
        for (double c : exact) {
            norm = Math.max(norm, Math.abs(c));
        }
        assertTrue(norm < 1, "the MAP coefficients are small: " + norm);
        for (double c : RidgeLasso.lasso(1e-4, 2000)) {
            assertTrue(c != 0, "with a tiny λ no coefficient is zero");
        }
        int previousZeros = 0;
        for (double lambda : new double[] {0.01, 0.15, 1.0}) {
            double[] lasso = RidgeLasso.lasso(lambda, 8000), reference = RidgeLasso.lassoReference(lambda);
            assertTrue(RidgeLasso.maxDifference(lasso, reference) < 2e-3, "λ " + lambda + ": "
                    + java.util.Arrays.toString(lasso) + " vs " + java.util.Arrays.toString(reference));
            int zeros = 0;
            for (int k = 0; k < 4; k++) {
                zeros += lasso[k] == 0 ? 1 : 0;
                if (reference[k] == 0) {
                    assertEquals(0.0, lasso[k], "λ " + lambda + ": coefficient " + k + " is exactly 0");
                }
            }
            assertTrue(zeros >= previousZeros, "zeros do not disappear as λ grows");
            previousZeros = zeros;
        }
        assertEquals(3, previousZeros, "at λ = 1 only the constant is left");
        RidgeLasso.main(new String[] {"--steps", "3000", "--out", tmp.resolve("ridge").toString()});
        assertTrue(Files.size(tmp.resolve("ridge/lasso-path.svg")) > 1000);
    }

    @Test
    void logisticRegressionAgreesWithNewtonRaphsonAndTheL1FitSelectsTheAssociatedSpecies() throws Exception {
        LogisticRegression.Cohort train = LogisticRegression.cohort(400, 1), test = LogisticRegression.cohort(400, 2);
        double[] newton = LogisticRegression.newtonRaphson(train), frelon = LogisticRegression.fit(train, 0, 3000);
        assertTrue(RidgeLasso.maxDifference(frelon, newton) < 1e-4, RidgeLasso.maxDifference(frelon, newton) + "");
        double[] lasso = LogisticRegression.fit(train, 0.05, 3000);
        for (int j = 0; j < LogisticRegression.SPECIES; j++) {
            assertEquals(j < 3, lasso[j + 1] != 0, "species " + j + ": " + lasso[j + 1]);
        }
        double auc = LogisticRegression.auc(LogisticRegression.predict(test, frelon), test.y());
        assertTrue(auc > 0.8 && auc < 0.95, "held-out AUC " + auc);
        // The AUC by pairs equals the area under the ROC polyline (trapezoids).
        double[][] roc = LogisticRegression.roc(LogisticRegression.predict(test, frelon), test.y());
        double area = 0;
        for (int k = 1; k < roc[0].length; k++) {
            area += (roc[0][k] - roc[0][k - 1]) * (roc[1][k] + roc[1][k - 1]) / 2;
        }
        assertEquals(auc, area, 1e-12);
        assertEquals(1.0, LogisticRegression.auc(new double[] {0.9, 0.1, 0.8}, new double[] {1, 0, 1}));
        LogisticRegression.main(new String[] {"--steps", "500", "--out", tmp.resolve("logistic").toString()});
        assertTrue(Files.size(tmp.resolve("logistic/roc.svg")) > 1000);
    }

    @Test
    void aSmallTransformerLearnsToAddExactly() {
        TransformerAdder.Adder model = TransformerAdder.train(700, 128, 1, false);
        int[][] test = TransformerAdder.testPairs(500, 7);
        for (int[] p : test) {
            assertTrue(TransformerAdder.heldOut(p[0], p[1]), "test sums are held out of training");
        }
        double exact = TransformerAdder.exactMatch(test, TransformerAdder.answer(model, test));
        assertTrue(exact >= 0.95, "exact match on held-out sums: " + exact);
        assertArrayEquals(new float[] {1, 2, 3, 10, 4, 5, 6, 11, 9, 7, 5, 0}, TransformerAdder.sequence(123, 456), 0f);
    }

    @Test
    void theGanTrainsAndItsScoreIsTheInceptionScore() throws Exception {
        assertEquals(10.0, FashionGan.inceptionScore(Tensor.eye(10)), 1e-6, "ten classes, each certain (marginals are float sums)");
        assertEquals(1.0, FashionGan.inceptionScore(Tensor.full(0.1f, 5, 10)), 1e-6, "every sample uncertain alike");
        Tensor images = Tensor.rand(new int[] {256, 1, 28, 28}, 5);
        FashionGan.Result r = FashionGan.train(images, 1, 64, 1, tmp);
        assertEquals(4, r.generatorLosses().size());
        for (double l : r.discriminatorLosses()) {
            assertTrue(Double.isFinite(l) && l > 0, "discriminator loss " + l);
        }
        Tensor samples = FashionGan.samples(r.generator(), Tensor.randn(new int[] {3, FashionGan.NOISE, 1, 1}, 6));
        assertArrayEquals(new int[] {3, 1, 28, 28}, samples.shape());
        assertTrue(samples.min().item() >= 0 && samples.max().item() <= 1, "tanh scaled to [0, 1]");
        assertTrue(Files.size(tmp.resolve("samples-epoch-1.png")) > 500);
    }

    @Test
    void widerHiddenLayerFitsTheTerrainBetter() throws Exception {
        TerrainMlp.Result narrow = TerrainMlp.train(4, 201, 600, 0.01, 1);
        TerrainMlp.Result wide = TerrainMlp.train(64, 201, 600, 0.01, 1);
        double variance = 0, mean = 0;
        for (int i = 0; i < 201; i++) {
            mean += TerrainMlp.terrain(-1 + 2.0 * i / 200) / 201;
        }
        for (int i = 0; i < 201; i++) {
            double d = TerrainMlp.terrain(-1 + 2.0 * i / 200) - mean;
            variance += d * d / 201;
        }
        assertTrue(narrow.mse() < variance, "H = 4 should beat a constant: " + narrow.mse() + " vs " + variance);
        assertTrue(wide.mse() < narrow.mse() / 2, "H = 64 " + wide.mse() + " vs H = 4 " + narrow.mse());
        assertTrue(wide.kinks() <= 64 && wide.kinks() > 32, "kinks " + wide.kinks());

        TerrainMlp.main(new String[] {"--hidden", "5,20", "--steps", "100", "--points", "101", "--out",
            tmp.resolve("terrain").toString()});
        assertTrue(Files.exists(tmp.resolve("terrain/terrain.svg")));
    }

    @Test
    void fivePointsAndSpiralAreClassified() throws Exception {
        Sequential five = SpiralClassifier.mlp(64, 1);
        SpiralClassifier.train(five, SpiralClassifier.fivePoints(), SpiralClassifier.labels(SpiralClassifier.FIVE_Y),
                300, 0.01);
        assertArrayEquals(SpiralClassifier.FIVE_Y, SpiralClassifier.predict(five, SpiralClassifier.fivePoints()));

        double[] acc = SpiralClassifier.spiralRun(32, 600, 0.01, 60, 0.2, 1, null);
        assertTrue(acc[0] > 0.9, "spiral training accuracy " + acc[0]);
        assertTrue(acc[1] > 0.85, "spiral held-out accuracy " + acc[1]);

        SpiralClassifier.main(new String[] {"--steps", "200", "--per-class", "40", "--hidden", "16", "--out",
            tmp.resolve("spiral").toString()});
        String svg = Files.readString(tmp.resolve("spiral/five-points.svg"));
        assertTrue(svg.contains("class=\"region\""), "decision regions are drawn");
        assertTrue(Files.exists(tmp.resolve("spiral/spiral.svg")));
    }

    @Test
    void learnedAdderIsCloseInsideAndWrongOutside() throws Exception {
        Sequential mlp = LearnToAdd.mlp(32, 1);
        LearnToAdd.train(mlp, 800, 128, 0.003, 1);
        LearnToAdd.Errors e = LearnToAdd.errors(mlp);
        assertTrue(e.meanInside() < 0.03, "mean error inside " + e.meanInside());
        assertTrue(e.meanInside() > 0, "never exactly right");
        assertTrue(e.meanOutside() > 3 * e.meanInside(), "outside " + e.meanOutside() + " vs inside " + e.meanInside());

        Module lin = LearnToAdd.linear(1);
        LearnToAdd.train(lin, 800, 128, 0.03, 1);
        assertTrue(LearnToAdd.errors(lin).maxOutside() < 1e-3, "a linear layer learns the sum exactly");
        double[] y = LearnToAdd.predict(lin, new float[] {2.5f}, new float[] {-0.25f});
        assertEquals(2.25, y[0], 1e-3);

        LearnToAdd.main(new String[] {"--steps", "200", "--hidden", "16", "--out", tmp.resolve("add").toString()});
        assertTrue(Files.exists(tmp.resolve("add/error.svg")));
        assertTrue(Files.exists(tmp.resolve("add/error-inside.svg")));
    }

    @Test
    void spiralDataIsBalancedAndInTheUnitDisc() {
        Tensor[] s = SpiralClassifier.spiral(50, 0.2, 3);
        assertArrayEquals(new int[] {150, 2}, s[0].shape());
        float[] labels = s[1].toArray();
        int[] counts = new int[3];
        for (float l : labels) {
            counts[(int) l]++;
        }
        assertArrayEquals(new int[] {50, 50, 50}, counts);
        float[] xy = s[0].toArray();
        for (int i = 0; i < 150; i++) {
            assertTrue(Math.hypot(xy[2 * i], xy[2 * i + 1]) <= 1.0001);
        }
    }
}
