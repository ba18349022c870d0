package io.hybridstorage.sync.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The SDK beside Spark in one JVM: an isolated class loader over the SDK's runtime classpath (and
 * this job's own classes, for {@code io.hybridstorage.sync.spark.sdk.BulkTasks}), whose parent is
 * the JDK's platform loader — so the SDK runs on its own Jackson, Guava, protobuf and netty while
 * Spark keeps its own, older ones (Spark 3.5: Jackson 2.15, which jackson-module-scala insists on,
 * Guava 16, protobuf 3.19) — sharing only SLF4J with Spark, so that the SDK's logs go where
 * Spark's go. (Spark isolates its Hive metastore client the
 * same way.) Only JDK types cross: strings, lists and maps of longs.
 *
 * <p>One bridge per JVM and SDK classpath: the driver's and, on a cluster, each executor's; in
 * {@code local[N]} they are the same. Every call runs with the isolated loader as the thread's
 * context class loader (the SDK finds its site providers through {@link java.util.ServiceLoader}).
 * A failure in the SDK comes back as a {@link SdkFailure}: the SDK's exception classes exist only
 * in this loader, and Spark must be able to deserialize a task's failure on the driver.
 */
final class SdkBridge {

  static final String TASKS = "io.hybridstorage.sync.spark.sdk.BulkTasks";
  private static final Map<String, SdkBridge> BRIDGES = new ConcurrentHashMap<>();

  private final ClassLoader loader;
  private final MethodHandle describe;
  private final MethodHandle partitions;
  private final MethodHandle createBuckets;
  private final MethodHandle copy;
  private final MethodHandle verify;

  private SdkBridge(ClassLoader loader) throws ReflectiveOperationException {
    this.loader = loader;
    Class<?> tasks = Class.forName(TASKS, true, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    describe = lookup.findStatic(tasks, "describe", MethodType.methodType(List.class, String.class, String.class));
    partitions = lookup.findStatic(tasks, "partitions",
        MethodType.methodType(List.class, String.class, String.class, String.class));
    createBuckets = lookup.findStatic(tasks, "createBuckets", MethodType.methodType(List.class, String.class,
        String.class));
    MethodType run = MethodType.methodType(Map.class, String.class, String.class, String.class);
    copy = lookup.findStatic(tasks, "copy", run);
    verify = lookup.findStatic(tasks, "verify", run);
  }

  /**
   * This JVM's bridge over the SDK classpath {@code sdkClasspath}: a directory (every {@code *.jar}
   * in it) or a file of entries separated by {@value File#pathSeparator} (what {@code
   * maven-dependency-plugin:build-classpath} writes).
   */
  static SdkBridge get(String sdkClasspath) {
    return BRIDGES.computeIfAbsent(sdkClasspath, SdkBridge::open);
  }

  private static SdkBridge open(String sdkClasspath) {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(SdkBridge.class.getProtectionDomain().getCodeSource().getLocation());
      for (Path p : entries(Path.of(sdkClasspath))) {
        urls.add(p.toUri().toURL());
      }
      ClassLoader parent = new SharedLogging(SdkBridge.class.getClassLoader());
      return new SdkBridge(new URLClassLoader("hybrid-storage-sdk", urls.toArray(URL[]::new), parent));
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("--sdk-classpath " + sdkClasspath + ": " + e.getMessage(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the SDK classpath " + sdkClasspath + " does not give " + TASKS
          + " what it needs: " + e, e);
    }
  }

  /** The jars or directories of an SDK classpath given as a directory or as a file listing them. */
  static List<Path> entries(Path spec) {
    try {
      if (Files.isDirectory(spec)) {
        try (Stream<Path> jars = Files.list(spec)) {
          return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
      }
      List<Path> out = new ArrayList<>();
      for (String entry : Files.readString(spec, StandardCharsets.UTF_8).strip().split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          Path p = Path.of(entry.strip());
          if (!Files.exists(p)) {
            throw new IllegalArgumentException("--sdk-classpath " + spec + " lists " + p + ", which does not exist");
          }
          out.add(p);
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("--sdk-classpath " + spec + " lists no jar");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("--sdk-classpath " + spec + ": cannot read it", e);
    }
  }

  /** The rule as {@code id, bucket, prefix, authority, sites...}. */
  @SuppressWarnings("unchecked")
  List<String> describe(String config, String rule) {
    return (List<String>) call(describe, config, rule);
  }

  /** The partitions of the rule under {@code prefix} (null: the rule's prefix). */
  @SuppressWarnings("unchecked")
  List<String> partitions(String config, String rule, String prefix) {
    return (List<String>) call(partitions, config, rule, prefix);
  }

  /** Creates the rule's bucket where its sites lack it; those sites. */
  @SuppressWarnings("unchecked")
  List<String> createBuckets(String config, String rule) {
    return (List<String>) call(createBuckets, config, rule);
  }

  /** Copies one partition; its counts. */
  @SuppressWarnings("unchecked")
  Map<String, Long> copy(String config, String rule, String partition) {
    return (Map<String, Long>) call(copy, config, rule, partition);
  }

  /** Verifies one partition; its counts. */
  @SuppressWarnings("unchecked")
  Map<String, Long> verify(String config, String rule, String partition) {
    return (Map<String, Long>) call(verify, config, rule, partition);
  }

  private Object call(MethodHandle method, Object... args) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return method.invokeWithArguments(args);
    } catch (Throwable e) {
      throw SdkFailure.of(e);
    } finally {
      t.setContextClassLoader(before);
    }
  }

  /** Platform classes, and SLF4J from Spark's loader (one logging configuration for both). */
  private static final class SharedLogging extends ClassLoader {
    private final ClassLoader spark;

    SharedLogging(ClassLoader spark) {
      super("hybrid-storage-sdk-parent", ClassLoader.getPlatformClassLoader());
      this.spark = spark;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.slf4j.")) {
        return spark.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  /**
   * A failure of the SDK, carried in JDK types: each cause's class name and message, and their
   * stack traces, so that Spark can ship it from an executor to the driver.
   */
  static final class SdkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private SdkFailure(String message, SdkFailure cause) {
      super(message, cause);
    }

    static SdkFailure of(Throwable t) {
      if (t instanceof SdkFailure f) {
        return f;
      }
      SdkFailure cause = t.getCause() != null && t.getCause() != t ? of(t.getCause()) : null;
      SdkFailure f = new SdkFailure(t.getClass().getName() + ": " + t.getMessage(), cause);
      f.setStackTrace(t.getStackTrace());
      return f;
    }
  }
}
