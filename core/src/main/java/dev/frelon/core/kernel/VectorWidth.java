package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API kernel uses, fixed once per JVM so that the JIT sees a constant.
 * {@code -Dfrelon.vector.bits=128|256|512} forces a width; otherwise the platform's preferred one.
 */
final class VectorWidth {
    static final VectorSpecies<Float> SPECIES = choose();

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
