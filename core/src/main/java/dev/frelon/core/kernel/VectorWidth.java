package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API kernel uses, fixed once per JVM so that the JIT sees a constant, and the
 * multiply-add they all call. {@code -Dfrelon.vector.bits=128|256|512} forces a width; otherwise the platform's
 * preferred one.
 */
final class VectorWidth {
    static final VectorSpecies<Float> SPECIES = choose();
    /** Whether {@link #madd} may use the hardware's fused multiply-add (see {@link Isa#fma()}). */
    static final boolean FMA = Isa.current().fma();
    /** Vector registers the JIT can allocate: register tiles are sized to fit (see {@link Isa#registers()}). */
    static final int REGISTERS = Isa.current().registers();

    private VectorWidth() {
    }

    /**
     * {@code x·y + acc}: fused where the hardware has an FMA, else a multiply and an add. Without the hardware
     * instruction {@code FloatVector.fma} is computed lane by lane through {@code BigDecimal}, thousands of times
     * slower; a constant test that C2 folds away. Small enough to be inlined at every call site, so that no vector
     * is boxed.
     *
     * @param x a factor
     * @param y the other factor
     * @param acc the addend
     * @return {@code x·y + acc}
     */
    static FloatVector madd(FloatVector x, FloatVector y, FloatVector acc) {
        return FMA ? x.fma(y, acc) : x.mul(y).add(acc);
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
