package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API kernel uses, fixed once per JVM so that the JIT sees a constant, and the
 * facts of the instruction set that kernels size their loops by. {@code -Dfrelon.vector.bits=128|256|512} forces a width; otherwise the platform's
 * preferred one.
 */
final class VectorWidth {
    static final VectorSpecies<Float> SPECIES = choose();
    /**
     * Whether the hardware has a fused multiply-add (see {@link Isa#fma()}). Kernels write every multiply-add as
     * {@code FMA ? x.fma(y, acc) : x.mul(y).add(acc)}, a constant test that C2 folds: without the instruction,
     * {@code FloatVector.fma} runs lane by lane through {@code BigDecimal}, thousands of times slower. The test is
     * written out at each call site, not in a helper method: a helper that the JIT has compiled on its own (from
     * interpreted callers) is "already compiled into a medium method" and no longer inlined, and every vector
     * passed to it is then boxed (seen: a dot product 8 to 50 times slower, depending on the JIT's timing).
     */
    static final boolean FMA = Isa.current().fma();
    /** Vector registers the JIT can allocate: register tiles are sized to fit (see {@link Isa#registers()}). */
    static final int REGISTERS = Isa.current().registers();

    /**
     * Strips shorter than this take the plain loops: a short job (a few thousand operations on tensors of a few
     * dozen elements) would otherwise spend its life running Vector API code in the interpreter and C1, where each
     * vector operation allocates, and finish later than with no Vector API at all.
     */
    static final int TINY = 64;

    private VectorWidth() {
    }

    private static VectorSpecies<Float> choose() {
        int bits = Kernels.requestedBits();
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }
}
