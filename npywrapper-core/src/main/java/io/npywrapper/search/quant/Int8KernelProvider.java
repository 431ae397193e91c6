package io.npywrapper.search.quant;

/**
 * Chooses the {@link Int8Kernels} once: the Vector API ones when {@code jdk.incubator.vector} is in
 * the boot layer and usable, else the scalar ones. The Vector API class is loaded by name only
 * after the module was found, so a JVM without it never links against it.
 */
final class Int8KernelProvider {
  private static final System.Logger LOG = System.getLogger(Int8Kernels.class.getName());

  static final Int8Kernels SIMD = loadSimd();
  static final Int8Kernels CHOSEN = choose();

  private Int8KernelProvider() {}

  private static Int8Kernels loadSimd() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (Int8Kernels)
          Class.forName("io.npywrapper.search.quant.PanamaInt8Kernels")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "int8 kernels: Vector API unusable: " + e);
      return null;
    }
  }

  private static Int8Kernels choose() {
    Int8Kernels k = SIMD != null ? SIMD : ScalarInt8Kernels.INSTANCE;
    LOG.log(
        System.Logger.Level.INFO,
        SIMD != null
            ? "int8 kernels: panama (" + PanamaInt8Kernels.describe() + ")"
            : "int8 kernels: scalar (jdk.incubator.vector not available or too narrow)");
    return k;
  }
}
