package io.hybridstorage.observability;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Profile;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics, traces and the audit log of a routed world: what to observe, set once, installed on
 * every router it is given. Each part is off until asked for — with no registry, no OpenTelemetry
 * and no audit log, nothing is registered and the router measures nothing.
 *
 * <pre>{@code
 * HybridObservability observability = HybridObservability.builder()
 *     .meterRegistry(registry)          // Micrometer: hybrid.storage.* meters (MetricNames)
 *     .openTelemetry(openTelemetry)     // OpenTelemetry API: a span per routed call, a child per site call
 *     .auditLog(true)                   // one JSON line per change, logger "io.hybridstorage.audit"
 *     .build();
 *
 * // a job: Storage from options (code or YAML), observed
 * Storage storage = options.toBuilder().storeDecorator(observability).build().getService();
 * // a server over the world's store (HybridStorage.openStore) takes the same options
 * ObjectStore world = HybridStorage.openStore(options.toBuilder().storeDecorator(observability).build());
 * // a router built in code
 * observability.install(routingStore);
 * }</pre>
 *
 * <p>It is a {@link StoreDecorator}: {@code getService()} and {@code HybridStorage.openStore}
 * hand it the router they build, and it {@linkplain #install installs} itself there and changes
 * nothing else (the stores are returned as given). With one configured site there is no router and
 * nothing is observed. To combine it with another decorator (the testkit's worlds keep theirs and
 * call the one set in the options), use {@link #around(StoreDecorator)}.
 *
 * <p>Everything is built on the router's {@link RoutingListener} events (sdk-routing knows neither
 * Micrometer nor OpenTelemetry): see {@link MetricNames} for the meters, and the package overview
 * for the spans and the audit line. Listeners run on the threads of the calls they observe and
 * are cheap; one that fails is logged by the router and ignored. Thread-safe and immutable.
 */
public final class HybridObservability implements StoreDecorator {

  /** The logger the audit log writes to (INFO; off by default: {@link Builder#auditLog}). */
  public static final String AUDIT_LOGGER = "io.hybridstorage.audit";

  private static final Logger log = LoggerFactory.getLogger(HybridObservability.class);

  @Nullable private final MeterRegistry registry;
  @Nullable private final OpenTelemetry openTelemetry;
  private final boolean auditLog;
  @Nullable private final Supplier<String> principal;

  private HybridObservability(Builder b) {
    this.registry = b.registry;
    this.openTelemetry = b.openTelemetry;
    this.auditLog = b.auditLog;
    this.principal = b.principal;
  }

  /** A builder with every part off. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether anything is observed (a registry, OpenTelemetry or the audit log was set). */
  public boolean isEnabled() {
    return registry != null || openTelemetry != null || auditLog;
  }

  /**
   * Observes {@code router} from now on: registers its meters (the gauges read the router when the
   * registry is scraped), and adds the listeners for metrics, spans and the audit log that were
   * asked for. Does nothing when nothing was. A router's listeners live as long as it does;
   * install once per router (a second install counts every event twice).
   *
   * @return {@code router}
   */
  public RoutingStore install(RoutingStore router) {
    requireNonNull(router, "router");
    for (RoutingListener listener : listenersFor(router)) {
      router.addListener(listener);
    }
    return router;
  }

  /** The listeners {@link #install} adds to {@code router}. */
  List<RoutingListener> listenersFor(RoutingStore router) {
    List<RoutingListener> listeners = new ArrayList<>(3);
    if (registry != null) {
      listeners.add(new MetricsListener(registry, router));
    }
    if (openTelemetry != null) {
      listeners.add(new TracingListener(openTelemetry));
    }
    if (auditLog) {
      Supplier<String> who = principal != null ? principal : profileOf(router.options());
      listeners.add(new AuditLogListener(who, List.copyOf(router.siteStores().keySet())));
    }
    return listeners;
  }

  /** Who calls a router built from {@code options}: its active business-unit profile, if one is selected. */
  private static Supplier<String> profileOf(HybridStorageOptions options) {
    String profile = options.activeProfile().map(Profile::name).orElse(null);
    return () -> profile;
  }

  /** Unchanged: sites are observed through the router's events. */
  @Override
  public ObjectStore site(SiteConfig site, ObjectStore store) {
    return store;
  }

  /** {@linkplain #install Installs} on the router and returns it unchanged; any other store is returned as it is. */
  @Override
  public ObjectStore service(ObjectStore store) {
    if (store instanceof RoutingStore router) {
      install(router);
    } else if (isEnabled()) {
      log.info("{} is not a router (one configured site): metrics, traces and the audit log need the router's "
          + "events, so nothing is observed", store);
    }
    return store;
  }

  /**
   * A decorator that applies {@code inner} to each store first, then observes the router inner
   * returned (or, if inner wrapped it, the router it was given).
   */
  public StoreDecorator around(StoreDecorator inner) {
    requireNonNull(inner, "inner");
    HybridObservability self = this;
    return new StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        return inner.site(site, store);
      }

      @Override
      public ObjectStore service(ObjectStore store) {
        ObjectStore decorated = inner.service(store);
        self.service(store);
        return decorated;
      }

      @Override
      public String toString() {
        return self + " around " + inner;
      }
    };
  }

  @Override
  public String toString() {
    return "HybridObservability[metrics=" + (registry != null) + ", traces=" + (openTelemetry != null)
        + ", auditLog=" + auditLog + "]";
  }

  /** What to observe; every part is off until set. */
  public static final class Builder {
    @Nullable private MeterRegistry registry;
    @Nullable private OpenTelemetry openTelemetry;
    private boolean auditLog;
    @Nullable private Supplier<String> principal;

    private Builder() {}

    /** Registers the {@code hybrid.storage.*} meters ({@link MetricNames}) in {@code value}. */
    public Builder meterRegistry(MeterRegistry value) {
      this.registry = requireNonNull(value, "meterRegistry");
      return this;
    }

    /**
     * Makes a span per routed call and per site call with {@code value}'s tracer (the API only; the
     * application's SDK or agent exports them).
     */
    public Builder openTelemetry(OpenTelemetry value) {
      this.openTelemetry = requireNonNull(value, "openTelemetry");
      return this;
    }

    /** Writes the audit log ({@value HybridObservability#AUDIT_LOGGER}); off by default. */
    public Builder auditLog(boolean value) {
      this.auditLog = value;
      return this;
    }

    /**
     * Who the audit log names, asked on the caller's thread at the end of each change (a server
     * serving several principals over one router returns the one of the request it is serving;
     * null when unknown). Default: the router's active business-unit profile ({@code
     * HybridStorageOptions#activeProfile()}), or null.
     */
    public Builder principal(Supplier<String> value) {
      this.principal = requireNonNull(value, "principal");
      return this;
    }

    public HybridObservability build() {
      return new HybridObservability(this);
    }
  }
}
