package dev.frelon.train.fit;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchTotalsTest {

    static final Tensor LOGITS = Tensor.of(new float[][] {{2, 1}, {0, 3}, {5, 4}});   // argmax 0, 1, 0

    @Test
    void meansWeighBatchesByTheirSize() {
        BatchTotals t = new BatchTotals();
        t.add(0.5, 3, LOGITS, Tensor.of(new float[] {0, 1, 1}));        // 2 of 3 correct
        t.add(2.0, 1, Tensor.of(new float[][] {{1, 0}}), Tensor.of(new float[] {0}));   // 1 of 1
        assertEquals(4, t.seen());
        assertEquals((0.5 * 3 + 2.0) / 4, t.meanLoss(), 1e-12);
        assertEquals(0.75, t.accuracy(), 1e-12);
    }

    @Test
    void accuracyNeedsEveryBatchToBeClassification() {
        BatchTotals t = new BatchTotals();
        t.add(0.5, 3, LOGITS, Tensor.of(new float[] {0, 1, 1}));
        t.add(0.1, 3, LOGITS, LOGITS);   // regression targets
        assertTrue(Double.isNaN(t.accuracy()));
        assertTrue(Double.isNaN(new BatchTotals().meanLoss()));
    }

    @Test
    void totalsOfWorkersAddUp() {
        BatchTotals a = new BatchTotals(), b = new BatchTotals();
        a.add(1.0, 3, LOGITS, Tensor.of(new float[] {0, 1, 0}));   // 3 of 3
        b.add(3.0, 1, Tensor.of(new float[][] {{1, 0}}), Tensor.of(new float[] {1}));   // 0 of 1
        a.add(b);
        assertEquals(4, a.seen());
        assertEquals(1.5, a.meanLoss(), 1e-12);
        assertEquals(0.75, a.accuracy(), 1e-12);
        assertEquals(1, b.seen(), "the added totals are not modified");
    }
}
