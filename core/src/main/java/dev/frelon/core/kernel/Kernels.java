package dev.frelon.core.kernel;

/**
 * Chooses, once per JVM, which kernel path runs: the Vector API (SIMD) or plain Java.
 *
 * <p>The Vector API path is taken when the incubator module {@code jdk.incubator.vector} is readable and its
 * preferred float species is at least 256 bits wide. The system property {@code frelon.vector.bits} overrides
 * the choice: {@code 0} forces plain Java, {@code 128}, {@code 256} or {@code 512} force that width. When the
 * module is missing, one line on standard error says so and names the JVM flag that enables it
 * ({@code --add-modules=jdk.incubator.vector}); {@code -Dfrelon.quiet=true} silences it. The Vector API
 * classes are loaded reflectively, so the library loads and computes correctly without the module.
 */
public final class Kernels {

    /** The JVM flag that enables the SIMD kernels. */
    public static final String ENABLE_FLAG = "--add-modules=jdk.incubator.vector";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Choice CHOICE = choose();

    private Kernels() {
    }

    /** @return the elementwise kernels of the chosen path */
    public static ElementwiseKernels elementwise() {
        return CHOICE.elementwise;
    }

    /** @return the reduction kernels of the chosen path */
    public static ReductionKernels reduction() {
        return CHOICE.reduction;
    }

    /** @return the softmax steps (row maximum, exponentials) of the chosen path */
    public static SoftmaxKernels softmax() {
        return CHOICE.softmax;
    }

    /** @return the pooling loops of the chosen path */
    public static PoolingKernels pooling() {
        return CHOICE.pooling;
    }

    /** @return the single-threaded GEMM of the chosen path (see {@link Gemm} for the parallel entry point) */
    public static GemmKernel gemm() {
        return CHOICE.gemm;
    }

    /** @return true when the Vector API path is in use */
    public static boolean isVectorized() {
        return CHOICE.vectorBits > 0;
    }

    /** @return the SIMD width in bits, or 0 on the plain-Java path */
    public static int vectorBits() {
        return CHOICE.vectorBits;
    }

    /** @return a one-line description of the chosen path, e.g. {@code "Vector API, 512-bit (16 floats)"} */
    public static String description() {
        return CHOICE.vectorBits > 0
                ? "Vector API, " + CHOICE.vectorBits + "-bit (" + CHOICE.vectorBits / 32 + " floats)"
                : "plain Java (" + CHOICE.reason + ")";
    }

    /** @return true when {@code jdk.incubator.vector} is readable by this JVM */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Loads the Vector API implementation of one kernel family by class name, for tests that compare it with
     * the plain twin whatever path the provider chose.
     *
     * @param type the kernel interface
     * @param <T> the kernel interface type
     * @return the Vector API implementation
     * @throws IllegalStateException when the incubator module is not readable
     */
    public static <T> T vectorImplementation(Class<T> type) {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("Vector API kernels need the JVM flag " + ENABLE_FLAG);
        }
        String name = switch (type.getSimpleName()) {
            case "ElementwiseKernels" -> "VectorElementwise";
            case "ReductionKernels" -> "VectorReduction";
            case "GemmKernel" -> "VectorGemm";
            case "SoftmaxKernels" -> "VectorSoftmax";
            case "PoolingKernels" -> "VectorPooling";
            default -> throw new IllegalArgumentException("no Vector API implementation of " + type.getName());
        };
        return type.cast(instantiate(name));
    }

    /** Width asked for by {@code frelon.vector.bits}: -1 when unset (automatic). */
    static int requestedBits() {
        String p = System.getProperty("frelon.vector.bits");
        if (p == null || p.isBlank()) {
            return -1;
        }
        try {
            int bits = Integer.parseInt(p.trim());
            if (bits == 0 || bits == 128 || bits == 256 || bits == 512) {
                return bits;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("frelon.vector.bits must be 0, 128, 256 or 512, got '" + p + "'");
    }

    private record Choice(ElementwiseKernels elementwise, ReductionKernels reduction, GemmKernel gemm,
                          SoftmaxKernels softmax, PoolingKernels pooling, int vectorBits, String reason) {
    }

    private static Choice choose() {
        int requested = requestedBits();
        Choice scalar;
        if (requested == 0) {
            scalar = plain("forced by -Dfrelon.vector.bits=0");
        } else if (!vectorModulePresent()) {
            scalar = plain("jdk.incubator.vector is not enabled");
            notice("Frelon uses plain-Java kernels because the Vector API is not enabled; add the JVM flag "
                    + ENABLE_FLAG + " for the SIMD kernels.");
        } else {
            try {
                int bits = (Integer) Class.forName(Kernels.class.getPackageName() + ".VectorWidthProbe")
                        .getMethod("bits").invoke(null);
                if (bits < 256 && requested < 0) {
                    scalar = plain("the preferred SIMD width is only " + bits + " bits");
                } else {
                    return new Choice((ElementwiseKernels) instantiate("VectorElementwise"),
                            (ReductionKernels) instantiate("VectorReduction"),
                            (GemmKernel) instantiate("VectorGemm"), (SoftmaxKernels) instantiate("VectorSoftmax"),
                            (PoolingKernels) instantiate("VectorPooling"), bits, "");
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                scalar = plain("the Vector API failed to load: " + e);
                notice("Frelon uses plain-Java kernels because the Vector API failed to load (" + e + ").");
            }
        }
        return scalar;
    }

    private static Choice plain(String reason) {
        return new Choice(new ScalarElementwise(), new ScalarReduction(), new ScalarGemm(), new ScalarSoftmax(),
                new ScalarPooling(), 0, reason);
    }

    private static Object instantiate(String simpleName) {
        try {
            var ctor = Class.forName(Kernels.class.getPackageName() + "." + simpleName).getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load kernel class " + simpleName, e);
        }
    }

    private static void notice(String line) {
        if (!Boolean.getBoolean("frelon.quiet")) {
            System.err.println("[frelon] " + line);
        }
    }
}
