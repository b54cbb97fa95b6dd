package dev.frelon.nn;

import dev.frelon.autodiff.GradCheck;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerativeLayersTest {

    @Test
    void aDcganGeneratorGrowsNoiseIntoImages() {
        Rng rng = new Rng(3);
        Sequential g = new Sequential(
                new ConvTranspose2d(16, 8, 7, ConvTranspose2d.Options.DEFAULT.withBias(false), rng),   // 1 → 7
                new BatchNorm2d(8), new ReLU(),
                new ConvTranspose2d(8, 4, 4, ConvTranspose2d.Options.stride(2).withPadding(1), rng),    // 7 → 14
                new BatchNorm2d(4), new ReLU(),
                new ConvTranspose2d(4, 1, 4, ConvTranspose2d.Options.stride(2).withPadding(1), rng),    // 14 → 28
                new Tanh());
        Summary s = Summary.of(g, 5, 16, 1, 1);
        assertArrayEquals(new int[] {5, 1, 28, 28}, s.rows().get(0).outputShape());
        assertArrayEquals(new int[] {5, 8, 7, 7}, s.rows().get(1).outputShape());
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias", "6.weight", "6.bias"),
                List.copyOf(g.namedParameters().keySet()));
        assertArrayEquals(new int[] {16, 8, 7, 7}, g.namedParameters().get("0.weight").shape(), "PyTorch's [in, out, k, k]");
        assertEquals(16 * 8 * 49 + 8 * 4 * 16 + 4 + 4 * 16 + 1 + 2 * 8 + 2 * 4, s.totalParams());
        assertTrue(g.toString().contains("ConvTranspose2d(8, 4, kernel=4, stride=2, padding=1)"), g.toString());
    }

    @Test
    void layersCheckTheirArgumentsAndGradients() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(4, 6, 3, ConvTranspose2d.Options.stride(2).withOutputPadding(2)));
        assertTrue(e.getMessage().contains("output padding 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(4, 6, 3).forward(Tensor.zeros(1, 3, 5, 5)));
        assertTrue(e.getMessage().startsWith("ConvTranspose2d"), e.getMessage());
        ConvTranspose2d up = new ConvTranspose2d(2, 3, 3, ConvTranspose2d.Options.stride(2).withOutputPadding(1), new Rng(4));
        assertArrayEquals(new int[] {1, 3, 8, 8}, up.forward(Tensor.zeros(1, 2, 3, 3)).shape());
        assertTrue(GradCheck.check(v -> up.forward(v[0]), up.parameters(), GradCheck.Options.DEFAULT,
                Tensor.randn(new int[] {1, 2, 3, 3}, 5)).passed());

        assertArrayEquals(new int[] {2, 3, 10, 14}, new Upsample(2).forward(Tensor.zeros(2, 3, 5, 7)).shape());
        assertArrayEquals(new int[] {2, 3, 7, 10}, Upsample.bilinear(1.5, false).forward(Tensor.zeros(2, 3, 5, 7)).shape());
        assertArrayEquals(new int[] {1, 1, 28, 28},
                Upsample.toSize(28, 28, Upsample.Mode.BILINEAR, true).forward(Tensor.zeros(1, 1, 7, 7)).shape());
        assertEquals("Upsample(scale_factor=2.0, mode=nearest)", new Upsample(2).toString().lines().findFirst().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(0));
        assertThrows(IllegalArgumentException.class, () -> Upsample.toSize(4, 4, Upsample.Mode.NEAREST, true));
    }
}
