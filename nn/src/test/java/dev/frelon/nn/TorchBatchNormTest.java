package dev.frelon.nn;

import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PyTorch model with BatchNorm, saved by {@code torch/make_batchnorm_case.py} with its int64
 * {@code num_batches_tracked}, loads strictly into the same Frelon model and gives PyTorch's eval output.
 */
class TorchBatchNormTest {

    private static Safetensors.Contents file(String name) throws Exception {
        return Safetensors.load(Path.of(TorchBatchNormTest.class.getResource("torch/" + name).toURI()));
    }

    @Test
    void aPyTorchConvBatchNormLinearStateDictLoadsStrictlyAndAgrees() throws Exception {
        Rng rng = new Rng(1);
        Sequential model = new Sequential(new Conv2d(1, 4, 3, Conv2d.Options.padding(1), rng), new BatchNorm2d(4),
                new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3, true, rng));
        var contents = file("conv-bn-linear.safetensors");
        assertEquals("I64", contents.dtypes().get("1.num_batches_tracked"));
        model.loadStateDict(contents.tensors(), true);
        assertEquals(DType.INT64, ((BatchNorm2d) model.get(1)).numBatchesTracked().dtype());
        assertEquals(5, ((BatchNorm2d) model.get(1)).numBatchesTracked().itemLong(), "five training steps in PyTorch");
        model.eval();
        var io = file("conv-bn-linear-io.safetensors");
        float[] expected = io.tensor("output").toArray(), got = model.forward(io.tensor("input")).data().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-5f * Math.max(1, Math.abs(expected[i])), "output " + i);
        }
        model.train();
        model.forward(Tensor.randn(new int[] {2, 1, 6, 6}, 2));
        assertEquals(6, ((BatchNorm2d) model.get(1)).numBatchesTracked().itemLong(), "a training batch counts");
    }

    /**
     * The model whose file frelon-conv-bn-linear.safetensors is: drawn from {@code Rng}s (the same numbers on every
     * machine) with running statistics set by hand and {@code num_batches_tracked} at 3, so that no kernel's rounding
     * enters the file and its bytes are the same everywhere.
     */
    static Sequential frelonModel() {
        Rng rng = new Rng(11);
        Sequential model = new Sequential(new Conv2d(1, 4, 3, Conv2d.Options.padding(1), rng), new BatchNorm2d(4),
                new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3, true, rng));
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(model.stateDict());
        Rng stats = new Rng(12);
        state.put("1.running_mean", Tensor.rand(stats, 4).sub(0.5f));
        state.put("1.running_var", Tensor.rand(stats, 4).add(0.5f));
        state.put("1.weight", Tensor.rand(stats, 4).add(0.5f));
        state.put("1.bias", Tensor.rand(stats, 4).sub(0.5f));
        state.put("1.num_batches_tracked", Tensor.scalar(3, DType.INT64));
        model.loadStateDict(state, true);
        return model;
    }

    @Test
    void aFrelonFileLoadsStrictlyIntoPyTorchAndAgrees(@TempDir Path dir) throws Exception {
        // frelon-conv-bn-linear.safetensors was written by frelonModel().save(...); check_frelon_file.py loaded it
        // into the same PyTorch model with load_state_dict(strict=True) and recorded its eval output for an input.
        // The model saves the same bytes today, so what PyTorch did with that file holds for this writer.
        Sequential model = frelonModel();
        Path saved = dir.resolve("saved.safetensors");
        model.save(saved);
        byte[] reference = Files.readAllBytes(Path.of(TorchBatchNormTest.class.getResource(
                "torch/frelon-conv-bn-linear.safetensors").toURI()));
        assertArrayEquals(reference, Files.readAllBytes(saved), "Frelon writes the file PyTorch checked");
        assertEquals("I64", Safetensors.load(saved).dtypes().get("1.num_batches_tracked"), "PyTorch's dtype");
        assertEquals(DType.INT64, model.stateDict().get("1.num_batches_tracked").dtype());
        model.eval();
        var io = file("frelon-conv-bn-linear-io.safetensors");
        float[] expected = io.tensor("output").toArray(), got = model.forward(io.tensor("input")).data().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-5f * Math.max(1, Math.abs(expected[i])), "output " + i);
        }
    }

    /** The counter is an int64 tensor: it holds integers only, and a fraction is refused when written. */
    @Test
    void theCounterHoldsIntegersOnly() {
        Tensor counter = ((BatchNorm2d) frelonModel().get(1)).numBatchesTracked();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counter.fill(2.5f));
        assertEquals("fill: 2.5 is not a whole number, so an int64 tensor cannot hold it", e.getMessage());
        counter.fill(1L << 40); // beyond float32's exact integers, as PyTorch's int64 counter allows
        assertEquals(1L << 40, counter.itemLong());
    }

    /** A one-tensor safetensors file built here byte for byte. */
    private static Path oneTensor(Path dir, String dtype, int[] shape, byte[] data) throws Exception {
        String header = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + java.util.Arrays.toString(shape).replace(" ", "")
                + ",\"data_offsets\":[0," + data.length + "]}}";
        while (header.length() % 8 != 0) {
            header += " ";
        }
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = dir.resolve(dtype + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void integerAndBooleanTensorsReadExactly(@TempDir Path dir) throws Exception {
        // I64 reads as int64, every value exactly, beyond float32's 2^24 too.
        ByteBuffer longs = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong((1L << 24) + 1)
                .putLong(42).putLong(Long.MAX_VALUE).putLong(Long.MIN_VALUE);
        Tensor l = Safetensors.load(oneTensor(dir, "I64", new int[] {5}, longs.array())).tensor("t");
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[] {-3, (1L << 24) + 1, 42, Long.MAX_VALUE, Long.MIN_VALUE}, l.toLongArray());
        // I32, I16, I8 and U8 read as int32.
        ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(Integer.MAX_VALUE);
        Tensor i = Safetensors.load(oneTensor(dir, "I32", new int[] {2}, ints.array())).tensor("t");
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, i.toLongArray());
        ByteBuffer shorts = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -32768).putShort((short) 5);
        assertArrayEquals(new long[] {-32768, 5},
                Safetensors.load(oneTensor(dir, "I16", new int[] {2}, shorts.array())).tensor("t").toLongArray());
        assertArrayEquals(new long[] {255, 0, 7}, Safetensors.load(oneTensor(dir, "U8", new int[] {3},
                new byte[] {(byte) 255, 0, 7})).tensor("t").toLongArray());
        assertArrayEquals(new long[] {-1, 127},
                Safetensors.load(oneTensor(dir, "I8", new int[] {2}, new byte[] {-1, 127})).tensor("t").toLongArray());
        // BOOL reads as bool; a 0-d I64 stays 0-d.
        Tensor b = Safetensors.load(oneTensor(dir, "BOOL", new int[] {3}, new byte[] {1, 0, 1})).tensor("t");
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
        ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(5);
        Tensor scalar = Safetensors.load(oneTensor(dir, "I64", new int[0], one.array())).tensor("t");
        assertEquals(0, scalar.dim());
        assertEquals(5, scalar.itemLong());
        var badBool = assertThrows(java.io.IOException.class,
                () -> Safetensors.load(oneTensor(dir, "BOOL", new int[] {1}, new byte[] {2})));
        assertTrue(badBool.getMessage().contains("is BOOL but element 0 is the byte 2; expected 0 or 1"), badBool.getMessage());
    }
}
