package dev.frelon.core.kernel;

import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolution unfolds several images side by side and runs one GEMM per batch when there is one group; the
 * oracle is the same convolution run one image at a time (a batch of one), on one and two threads.
 */
@ExtendWith(RestoresThreadCount.class)
class ConvolutionBatchingTest {

    @ParameterizedTest(name = "N{0} {1}->{2} {3}x{3} k{4} stride {5} pad {6}, {7} thread(s)")
    @CsvSource({
            "7, 1, 6, 28, 5, 1, 2, 1", "7, 1, 6, 28, 5, 1, 2, 2", "9, 6, 16, 14, 5, 1, 0, 1", "9, 6, 16, 14, 5, 1, 0, 2",
            "5, 3, 4, 9, 3, 2, 1, 2", "13, 2, 3, 6, 3, 1, 1, 1"})
    void batchedMatchesImageByImage(int n, int c, int oc, int hw, int k, int stride, int pad, int t) {
        Parallel.setThreads(t);
        Conv2dSpec spec = Conv2dSpec.of(stride, pad);
        Tensor x = Tensor.randn(new int[] {n, c, hw, hw}, 1), w = Tensor.randn(new int[] {oc, c, k, k}, 2), b = Tensor.randn(new int[] {oc}, 3);
        Tensor y = Convolution.conv2d(x, w, b, spec);
        Tensor dy = Tensor.randn(y.shape(), 4);
        Tensor dx = Convolution.conv2dBackwardInput(dy, w, x.shape(), spec);
        Tensor dw = Convolution.conv2dBackwardWeight(dy, x, w.shape(), spec);
        Tensor dwSum = Tensor.zeros(w.shape());
        for (int i = 0; i < n; i++) {
            Tensor xi = x.narrow(0, i, 1), dyi = dy.narrow(0, i, 1);
            close("output of image " + i, Convolution.conv2d(xi, w, b, spec), y.narrow(0, i, 1));
            close("input gradient of image " + i, Convolution.conv2dBackwardInput(dyi, w, xi.shape(), spec), dx.narrow(0, i, 1));
            dwSum = dwSum.add(Convolution.conv2dBackwardWeight(dyi, xi, w.shape(), spec));
        }
        close("weight gradient", dwSum, dw);
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertTrue(actual.allClose(expected, 1e-4f, 1e-4f), what + " differs: expected " + expected + ", got " + actual);
    }
}
