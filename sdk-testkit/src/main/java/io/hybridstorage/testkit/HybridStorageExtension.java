package io.hybridstorage.testkit;

import static java.util.Objects.requireNonNull;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link HybridWorld}: an in-memory hybrid world (by default three sites, {@code
 * gcp}, {@code dc1} and {@code dc2}, of {@link HybridStorageOptions#inMemoryThreeSites()}), fresh
 * for every test, closed after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HybridStorageExtension sites = HybridStorageExtension.threeSites();
 *
 * @Test
 * void copiesToEverySite() {
 *   new SalesJob(sites.storage()).run();                   // the code under test takes a Storage
 *   sites.assertThat("dc2").has("sales", "2030/01/01.csv");
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> By default each test (each {@code @Test}, each repetition, each
 * parameterized invocation) gets its own world, opened before its {@code @BeforeEach} methods
 * and closed after its {@code @AfterEach} methods. With {@link Builder#perClass()} one world
 * serves every test of the class (state carries over, in test order) and {@code @Nested} classes;
 * it opens before {@code @BeforeAll} methods and closes after {@code @AfterAll} methods. Register
 * the extension in a {@code static} field: JUnit calls class-level callbacks only for those.
 *
 * <p><b>Which world.</b> The accessors ({@link #storage()}, {@link #site}, {@link #faults} …) act
 * on the world of the test running on the calling thread, so tests of one class may run in
 * parallel ({@code @Execution(CONCURRENT)}) without seeing each other's objects. From another
 * thread they work only while exactly one world is open; in parallel runs take the world as a
 * parameter instead ({@code void test(Storage storage, HybridWorld world)}) and hand it on. The
 * extension resolves parameters of type {@link Storage} and {@link HybridWorld} in test, lifecycle
 * and (per test, or per class with a class-scoped instance) constructor parameters.
 *
 * <p><b>Classpath.</b> A world of several sites needs the router: {@code hybrid-storage-routing}
 * on the test classpath (found with {@code ServiceLoader}; this module does not depend on it).
 *
 * <p>Without JUnit, use {@link HybridWorld#open} directly. {@link HybridStorageTest} is the
 * annotation form (the default world, per test, injected by parameter).
 */
public final class HybridStorageExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final String WORLD = "world";

  private final HybridStorageOptions options;
  private final boolean perClass;
  private final Namespace namespace = Namespace.create(HybridStorageExtension.class, this);
  private final ThreadLocal<HybridWorld> current = new ThreadLocal<>();
  private final Set<HybridWorld> open = ConcurrentHashMap.newKeySet();

  /**
   * The default world ({@link #threeSites()}), per test. For {@code @ExtendWith} and {@link
   * HybridStorageTest}; in code prefer {@link #threeSites()} or {@link #builder()}.
   */
  public HybridStorageExtension() {
    this(HybridStorageOptions.inMemoryThreeSites().build(), false);
  }

  private HybridStorageExtension(HybridStorageOptions options, boolean perClass) {
    this.options = options;
    this.perClass = perClass;
  }

  /**
   * Three in-memory sites, {@code gcp} (the authority), {@code dc1} (local) and {@code dc2}, every
   * bucket written to all three synchronously ({@code DUAL_WRITE_SYNC}), reads {@code
   * NEAREST_VERIFIED}, {@code STRONG}; a fresh world per test.
   */
  public static HybridStorageExtension threeSites() {
    return builder().build();
  }

  /**
   * A builder starting from the three-site world of {@link #threeSites()}: add placements for
   * particular buckets (they win over the {@code *} placement), replace a site by name, or {@link
   * Builder#clearPlacements()} to start the placements over.
   */
  public static Builder builder() {
    return builder(HybridStorageOptions.inMemoryThreeSites());
  }

  /**
   * A builder starting from any options, e.g. {@code HybridStorageOptions.newBuilder()} for a
   * world of your own sites or {@code HybridStorageOptions.fromFile(path).toBuilder()} for a
   * configuration file's world (whose memory sites are then fresh per test). The builder is
   * copied when the extension is built.
   */
  public static Builder builder(HybridStorageOptions.Builder options) {
    return new Builder(requireNonNull(options, "options"));
  }

  /** The options each world is opened with. */
  public HybridStorageOptions options() {
    return options;
  }

  /** Whether one world serves every test of the class ({@link Builder#perClass()}). */
  public boolean isPerClass() {
    return perClass;
  }

  // ------------------------------------------------------------------ the current world

  /**
   * The world of the test running on this thread, or the only open world.
   *
   * @throws IllegalStateException when no world is open (outside a test; per test, in {@code
   *     @BeforeAll}), or when several are and this thread runs none of their tests
   */
  public HybridWorld world() {
    HybridWorld world = current.get();
    if (world != null && !world.isClosed()) {
      return world;
    }
    List<HybridWorld> candidates = open.stream().filter(w -> !w.isClosed()).toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      throw new IllegalStateException("no hybrid world is open: this extension opens one "
          + (perClass ? "before all tests of the class" : "before each test and closes it after; call it from a "
              + "test or from @BeforeEach/@AfterEach methods, or build the extension with perClass() to use it in "
              + "@BeforeAll"));
    }
    throw new IllegalStateException(candidates.size() + " hybrid worlds are open (tests run in parallel) and thread '"
        + Thread.currentThread().getName() + "' runs none of their tests: take the world as a test method parameter "
        + "(HybridWorld world, or Storage storage) and hand it to the threads you start");
  }

  /** The current world's {@code Storage}, to hand to the code under test. */
  public Storage storage() {
    return world().storage();
  }

  /** The current world's store of {@code site}, below router and faults: see {@link HybridWorld#site}. */
  public ObjectStore site(String site) {
    return world().site(site);
  }

  /** The current world's fault injector of {@code site}: {@code sites.faults("dc2").partition()}. */
  public FaultInjectingStore faults(String site) {
    return world().faults(site);
  }

  /** Assertions on what {@code site} holds: {@code sites.assertThat("dc1").has("bucket", "name")}. */
  public SiteAssert assertThat(String site) {
    return world().assertThat(site);
  }

  /** The live version of {@code bucket/name} on each site holding it: see {@link HybridWorld#whereIs}. */
  public Map<String, ObjectInfo> whereIs(String bucket, String name) {
    return world().whereIs(bucket, name);
  }

  /** Replays the router's journal until empty: see {@link HybridWorld#drain()}. */
  public void drain() {
    world().drain();
  }

  /** Heals every partition and removes every fault rule of the current world. */
  public void heal() {
    world().heal();
  }

  // ------------------------------------------------------------------ JUnit callbacks

  @Override
  public void beforeAll(ExtensionContext context) {
    if (perClass) {
      classWorld(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    current.set(perClass ? classWorld(context) : testWorld(context));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    current.remove();
    if (!perClass) {
      close(context.getStore(namespace).remove(WORLD, HybridWorld.class));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (perClass) {
      // only where it was opened: a @Nested class shares its enclosing class's world
      close(context.getStore(namespace).remove(WORLD, HybridWorld.class));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Storage.class || type == HybridWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    HybridWorld world;
    if (perClass) {
      world = classWorld(context);
    } else if (context.getTestMethod().isPresent()) {
      world = testWorld(context);
    } else {
      throw new ParameterResolutionException("cannot inject " + parameter.getParameter().getType().getSimpleName()
          + " into " + parameter.getDeclaringExecutable() + ": this HybridStorageExtension opens a world per test, "
          + "and no test is running here; take it as a parameter of the test or @BeforeEach method, or build the "
          + "extension with perClass()");
    }
    return parameter.getParameter().getType() == Storage.class ? world.storage() : world;
  }

  /** Constructor parameters get the test's context, so a per-test world can be injected there too. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  private HybridWorld testWorld(ExtensionContext context) {
    return context.getStore(namespace).getOrComputeIfAbsent(WORLD, key -> openWorld(), HybridWorld.class);
  }

  /** The world of the outermost class context that has one (store lookups fall back to parents). */
  private HybridWorld classWorld(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(namespace).getOrComputeIfAbsent(WORLD, key -> openWorld(), HybridWorld.class);
  }

  private HybridWorld openWorld() {
    HybridWorld world = HybridWorld.open(options);
    open.add(world);
    return world;
  }

  private void close(HybridWorld world) {
    if (world != null) {
      open.remove(world);
      world.close();
    }
  }

  @Override
  public String toString() {
    return "HybridStorageExtension" + options.sites().keySet() + (perClass ? " per class" : " per test");
  }

  /**
   * Builds a {@link HybridStorageExtension}. World settings go straight to a {@link
   * HybridStorageOptions.Builder} (the shortcuts below, or {@link #options(Consumer)} for any
   * other), validated by {@link #build()}.
   */
  public static final class Builder {
    private final HybridStorageOptions.Builder options;
    private boolean perClass;

    private Builder(HybridStorageOptions.Builder base) {
      this.options = base.build().toBuilder(); // a copy, so later changes to base do not leak in
    }

    /** Adds a site, or replaces the site of the same name. */
    public Builder site(SiteConfig site) {
      options.site(site);
      return this;
    }

    /** Adds a placement; a bucket's own placement wins over the {@code *} one. */
    public Builder placement(Placement placement) {
      options.placement(placement);
      return this;
    }

    /** Removes every placement so far (including the default {@code *} one). */
    public Builder clearPlacements() {
      options.clearPlacements();
      return this;
    }

    public Builder localSite(String site) {
      options.localSite(site);
      return this;
    }

    /**
     * The clock of every world (object times, generations, journal ages, circuit-breaker open
     * waits); with a {@link io.hybridstorage.testkit.time.VirtualClock} fault delays and {@code
     * drain()}'s waits take virtual time too. One clock serves all worlds of this extension.
     */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /** The seed of every random choice, fault injection included. */
    public Builder seed(long seed) {
      options.seed(seed);
      return this;
    }

    /** Any other setting of the options: {@code .options(o -> o.projectId("p").profile(bu))}. */
    public Builder options(Consumer<HybridStorageOptions.Builder> change) {
      change.accept(options);
      return this;
    }

    /** One world for all tests of the class (state carries over from test to test). */
    public Builder perClass() {
      this.perClass = true;
      return this;
    }

    /** A fresh world for every test (the default). */
    public Builder perTest() {
      this.perClass = false;
      return this;
    }

    /**
     * Validates the options (the same checks as {@link HybridStorageOptions.Builder#build()}).
     *
     * @throws IllegalArgumentException listing every problem, e.g. a second {@code *} placement
     *     ("configured twice": {@link #clearPlacements()} first)
     */
    public HybridStorageExtension build() {
      return new HybridStorageExtension(options.build(), perClass);
    }
  }
}
