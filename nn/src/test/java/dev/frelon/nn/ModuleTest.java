package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    private static Sequential lenet(Rng rng) {
        return new Sequential(
                new Conv2d(1, 6, 5, Conv2d.Options.padding(2), rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, Conv2d.Options.DEFAULT, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(400, 120, true, rng), new ReLU(), new Linear(120, 84, true, rng), new ReLU(),
                new Linear(84, 10, true, rng));
    }

    @Test
    void namedParametersUsePyTorchKeysInOrder() {
        Sequential m = lenet(new Rng(1));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                "11.weight", "11.bias"), List.copyOf(m.namedParameters().keySet()));
        // LeNet-5: 156 + 2416 + 48120 + 10164 + 850
        assertEquals(61_706, m.parameterCount());
        assertEquals(10, m.parameters().size());
        assertEquals(12, m.children().size());
    }

    @Test
    void referenceModelsMatchTheirDefinitions() {
        Sequential ref = Models.lenet5(new Rng(1));
        assertEquals(lenet(new Rng(1)).stateDict(), ref.stateDict(), "same layers, same draws, same weights");
        Sequential mlp = Models.mlp(new Rng(1), 784, 256, 128, 10);
        assertEquals(235_146, mlp.parameterCount());
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                List.copyOf(mlp.namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 10}, mlp.forward(Tensor.zeros(2, 1, 28, 28)).shape());
        assertThrows(IllegalArgumentException.class, () -> Models.mlp(new Rng(1), 5));
    }

    @Test
    void registrationValidatesNames() {
        class Bad extends Module {
            Bad(String name) {
                register(name, new ReLU());
            }

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bad("a.b"));
        assertTrue(e.getMessage().contains("'a.b'") && e.getMessage().contains("'.'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bad(""));
        class Twice extends Module {
            Twice() {
                register("x", new ReLU());
                register("x", new Tanh());
            }

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        }
        e = assertThrows(IllegalArgumentException.class, Twice::new);
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
    }

    @Test
    void trainAndEvalPropagate() {
        Sequential m = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5f), new BatchNorm1d(2)));
        m.eval();
        assertFalse(((Sequential) m.get(1)).get(1).isTraining());
        m.train();
        assertTrue(((Sequential) m.get(1)).get(0).isTraining());
    }

    @Test
    void sameSeedBuildsTheSameModel() {
        Map<String, Tensor> a = lenet(new Rng(42)).stateDict();
        Map<String, Tensor> b = lenet(new Rng(42)).stateDict();
        Map<String, Tensor> c = lenet(new Rng(43)).stateDict();
        assertEquals(a, b);
        assertNotEquals(a, c);
        Init.seed(7);
        Tensor w1 = new Linear(3, 4).weight().data().copy();
        Init.seed(7);
        assertEquals(w1, new Linear(3, 4).weight().data());
    }

    @Test
    void stateDictRoundTripIsBitExactThroughAFile(@TempDir Path dir) throws Exception {
        Sequential m = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(8, 3));
        m.forward(Tensor.randn(new int[] {4, 1, 4, 4}, 1)); // moves BatchNorm's running statistics off their defaults
        Path f = dir.resolve("m.safetensors");
        m.save(f);
        Sequential n = new Sequential(new Conv2d(1, 2, 3, Conv2d.Options.DEFAULT, new Rng(99)), new BatchNorm2d(2),
                new Flatten(), new Linear(8, 3, true, new Rng(98)));
        n.load(f);
        assertEquals(m.stateDict(), n.stateDict());
        assertTrue(m.stateDict().containsKey("1.running_mean"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void loadStateDictReportsMismatches() {
        Linear l = new Linear(3, 2);
        Tensor before = l.weight().data().copy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.loadStateDict(Map.of("weight", Tensor.zeros(3, 2), "bias", Tensor.zeros(2)), true));
        assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("[3, 2]"), e.getMessage());
        assertEquals(before, l.weight().data(), "a failed load leaves the model untouched");
        e = assertThrows(IllegalArgumentException.class,
                () -> l.loadStateDict(Map.of("weight", Tensor.zeros(2, 3), "extra", Tensor.zeros(1)), true));
        assertTrue(e.getMessage().contains("missing ['bias']") && e.getMessage().contains("unexpected ['extra']"), e.getMessage());
        Module.LoadResult r = l.loadStateDict(Map.of("weight", Tensor.ones(2, 3)), false);
        assertEquals(List.of("bias"), r.missingKeys());
        assertArrayEquals(Tensor.ones(2, 3).toArray(), l.weight().data().toArray(), 0f);
    }

    @Test
    void toStringSummarisesLikePyTorch() {
        String s = lenet(new Rng(1)).toString();
        assertTrue(s.startsWith("Sequential(\n  (0): Conv2d(1, 6, kernel=5, stride=1, padding=2)  # 156 params"), s);
        assertTrue(s.contains("(7): Linear(in=400, out=120, bias=true)  # 48,120 params"), s);
        assertTrue(s.endsWith("Total parameters: 61,706"), s);
    }

    @Test
    void loadStateDictRefusesNullsAndKeepsItsMessagesShortAndPrintable() {
        Linear m = new Linear(2, 1);
        java.util.Map<String, Tensor> withNull = new java.util.HashMap<>(m.stateDict());
        withNull.put("bias", null);
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(withNull, true));
        assertEquals("loadStateDict: key 'bias' maps to null; expected names and tensors", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(withNull, false));
        java.util.Map<String, Tensor> huge = new java.util.LinkedHashMap<>(m.stateDict());
        for (int i = 0; i < 100_000; i++) {
            huge.put("extra." + i + "\u001b", Tensor.scalar(0));
        }
        e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(huge, true));
        assertTrue(e.getMessage().contains("'extra.0\\u001b'"), e.getMessage());
        assertTrue(e.getMessage().contains("and 99,980 more]"), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "message of " + e.getMessage().length() + " characters");
        var r = m.loadStateDict(huge, false);
        assertEquals(100_000, r.unexpectedKeys().size());
    }

    @Test
    void loadWithStrictFalseReturnsTheKeysThatDidNotMatch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("partial.safetensors");
        dev.frelon.nn.io.Safetensors.save(java.util.Map.of("weight", Tensor.ones(1, 2), "other", Tensor.scalar(1)), f);
        Linear m = new Linear(2, 1);
        var r = m.load(f, false);
        assertEquals(java.util.List.of("bias"), r.missingKeys());
        assertEquals(java.util.List.of("other"), r.unexpectedKeys());
        assertEquals(Tensor.ones(1, 2), m.weight().data());
        assertThrows(IllegalArgumentException.class, () -> m.load(f, true));
    }

    /** A buffer keeps its dtype through save and load: BatchNorm's int64 counter is I64 in the file and int64 again. */
    @Test
    void buffersKeepTheirDtypeThroughSaveAndLoad(@TempDir Path dir) throws Exception {
        Sequential nested = new Sequential(new Linear(2, 2, true, new Rng(1)), new Sequential(new BatchNorm1d(2)));
        Tensor counter = nested.stateDict().get("1.0.num_batches_tracked");
        assertEquals(DType.INT64, counter.dtype());
        counter.fill(1L << 40); // more than float32 holds exactly
        Path f = dir.resolve("m.safetensors");
        nested.save(f);
        var contents = Safetensors.load(f);
        assertEquals("I64", contents.dtypes().get("1.0.num_batches_tracked"));
        assertEquals("F32", contents.dtypes().get("0.weight"));
        Sequential other = new Sequential(new Linear(2, 2, true, new Rng(2)), new Sequential(new BatchNorm1d(2)));
        other.load(f, true);
        assertEquals(1L << 40, other.stateDict().get("1.0.num_batches_tracked").itemLong());
        assertEquals(nested.stateDict().get("0.weight"), other.stateDict().get("0.weight"));
    }
}
