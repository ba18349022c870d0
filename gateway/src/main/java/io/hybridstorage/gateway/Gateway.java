package io.hybridstorage.gateway;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.NotifyingStore;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.Profile;
import io.hybridstorage.api.spi.NotificationSink;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.gateway.internal.ApiHandler;
import io.hybridstorage.gateway.internal.BoundedNotifications;
import io.hybridstorage.gateway.internal.HostCheck;
import io.hybridstorage.gateway.internal.JettyHandler;
import io.hybridstorage.gateway.internal.JsonErrorHandler;
import io.hybridstorage.gateway.internal.SignedUrls;
import io.hybridstorage.gateway.internal.Tenants;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GCS JSON API over HTTP (Jetty 12), served over an {@link ObjectStore}: the metadata calls
 * ({@code /storage/v1}), media downloads, uploads (media, multipart, resumable), {@code
 * /batch/storage/v1}, and {@code /healthz}, {@code /readyz}. Requests authenticate with bearer
 * tokens, each issued for a business unit's {@link Profile} (the store the token's calls reach is
 * bounded exactly as {@code HYBRID_STORAGE_PROFILE} bounds an in-process client); anonymous calls
 * only where allowed.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder(store).token(salesToken, salesProfile).start()) {
 *   // point any GCS client at gateway.endpoint()
 * }
 * }</pre>
 *
 * <p>Bodies stream both ways (a multi-GiB upload or download is never held in memory); a body
 * that breaks off publishes nothing. {@link #close()} stops accepting, lets in-flight calls finish
 * for the stop timeout, then abandons what is left (open resumable uploads publish nothing).
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Server server;
  private final ServerConnector connector;
  private final ApiHandler api;
  private final URI endpoint;
  @Nullable private final AutoCloseable owned;
  @Nullable private final NotificationSink notificationSink;

  private Gateway(Server server, ServerConnector connector, ApiHandler api, boolean tls,
      @Nullable AutoCloseable owned, @Nullable NotificationSink notificationSink) {
    this.server = server;
    this.connector = connector;
    this.api = api;
    String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1"
        : connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
    this.endpoint = URI.create((tls ? "https" : "http") + "://" + host + ":" + connector.getLocalPort());
    this.owned = owned;
    this.notificationSink = notificationSink;
  }

  /**
   * Where the gateway publishes GCS object-change notifications ({@link Builder#notificationSink});
   * empty when it emits none.
   */
  public Optional<NotificationSink> notificationSink() {
    return Optional.ofNullable(notificationSink);
  }

  /** A gateway over {@code store}; nothing is served until {@link Builder#start()}. */
  public static Builder builder(ObjectStore store) {
    return new Builder(requireNonNull(store, "store"));
  }

  /** {@code http(s)://host:port} of the listening socket (127.0.0.1 when bound to every interface). */
  public URI endpoint() {
    return endpoint;
  }

  /** The port listened on (the one chosen when the builder asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Jetty's connector, for tests that look at the accepted sockets. */
  ServerConnector connector() {
    return connector;
  }

  /**
   * Threads of the pool running a job now (the selectors and acceptors included; idle and
   * reserved ones not), for tests that show a stalled connection holds no thread.
   */
  int busyThreads() {
    return ((QueuedThreadPool) server.getThreadPool()).getBusyThreads();
  }

  /**
   * Stops: no new connections, in-flight calls finish (up to the stop timeout), then open
   * resumable uploads are abandoned without publishing, and a world the gateway opened is closed.
   */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("the gateway's server did not stop cleanly", e);
    } finally {
      api.abandonUploads();
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception e) {
          log.warn("closing the gateway's store failed", e);
        }
      }
    }
  }

  /** Settings of a gateway; every one has a default fit for a loopback test. */
  public static final class Builder {
    private final ObjectStore store;
    private String host = "127.0.0.1";
    private int port;
    private final Map<String, Optional<Profile>> tokens = new LinkedHashMap<>();
    private final Map<String, SignerKey> signers = new LinkedHashMap<>();
    @Nullable private Optional<Profile> anonymous;
    private List<Placement> placements = List.of();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> origins = new LinkedHashSet<>();
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private Duration sessionIdle = Duration.ofHours(24);
    private int maxThreads = 200;
    private int maxConnections = 10_000;
    private int requestHeaderSize = 16 * 1024;
    @Nullable private Path keyStore;
    @Nullable private String keyStorePassword;
    @Nullable private Path trustStore;
    @Nullable private String trustStorePassword;
    private boolean needClientAuth;
    @Nullable private AutoCloseable owned;
    @Nullable private NotificationSink notificationSink;
    private java.time.Clock clock = java.time.Clock.systemUTC();

    private record SignerKey(@Nullable java.security.PublicKey rsa, @Nullable String hmac, Profile profile) {}

    private Builder(ObjectStore store) {
      this.store = store;
    }

    /** The address to bind; default 127.0.0.1 ({@code 0.0.0.0}: every interface). */
    public Builder host(String value) {
      this.host = requireNonNull(value, "host");
      return this;
    }

    /** The port; default 0 (a free one, see {@link Gateway#port()}). */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port " + value + " is not in 0..65535");
      }
      this.port = value;
      return this;
    }

    /** Calls with {@code Authorization: Bearer token} reach the store bounded by {@code profile}. */
    public Builder token(String token, Profile profile) {
      tokens.put(requireNonNull(token, "token"), Optional.of(requireNonNull(profile, "profile")));
      return this;
    }

    /** Calls with {@code Authorization: Bearer token} reach the whole store (the platform's operators). */
    public Builder unboundedToken(String token) {
      tokens.put(requireNonNull(token, "token"), Optional.empty());
      return this;
    }

    /**
     * V4 signed URLs (GOOG4-RSA-SHA256, what {@code Storage.signUrl} makes with a service
     * account's key) whose {@code X-Goog-Credential} names {@code account} are verified with
     * {@code publicKey} and act within {@code profile}.
     */
    public Builder signer(String account, java.security.PublicKey publicKey, Profile profile) {
      signers.put(requireNonNull(account, "account"), new SignerKey(requireNonNull(publicKey, "publicKey"), null,
          requireNonNull(profile, "profile")));
      return this;
    }

    /** V4 signed URLs of GOOG4-HMAC-SHA256 by HMAC key {@code accessId}, acting within {@code profile}. */
    public Builder hmacSigner(String accessId, String secret, Profile profile) {
      signers.put(requireNonNull(accessId, "accessId"), new SignerKey(null, requireNonNull(secret, "secret"),
          requireNonNull(profile, "profile")));
      return this;
    }

    /** The clock signed URLs' expiry is checked against. Default: the system's. */
    Builder clock(java.time.Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    /** Calls without credentials reach the whole store (tests, a closed network). Default: 401. */
    public Builder allowAnonymous() {
      this.anonymous = Optional.empty();
      return this;
    }

    /** Calls without credentials reach the store bounded by {@code profile}. Default: 401. */
    public Builder allowAnonymous(Profile profile) {
      this.anonymous = Optional.of(requireNonNull(profile, "profile"));
      return this;
    }

    /** The configured placements a profile may name (its bound is computed against them). */
    public Builder placements(List<Placement> value) {
      this.placements = List.copyOf(value);
      return this;
    }

    /**
     * Host names (without port) clients address the gateway by, beyond localhost, the loopback
     * addresses, the bound address and this machine's names and addresses. Others: 400.
     */
    public Builder hosts(Collection<String> names) {
      hosts.addAll(names);
      return this;
    }

    /** Browser origins allowed to call (a request with another {@code Origin}: 403). Default: none. */
    public Builder origins(Collection<String> values) {
      origins.addAll(values);
      return this;
    }

    /** A connection silent this long is closed (a stalled body too). Default 30 s. */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = positive(value, "idleTimeout");
      return this;
    }

    /**
     * How long {@link Gateway#close()} lets in-flight calls finish. Default 30 s. While stopping,
     * a connection silent for a tenth of it (at most 1 s) is closed: idle keep-alive connections
     * go at once, and an upload whose client stops sending is abandoned, publishing nothing.
     */
    public Builder stopTimeout(Duration value) {
      this.stopTimeout = positive(value, "stopTimeout");
      return this;
    }

    /** A resumable upload session idle this long is abandoned. Default 24 h. */
    public Builder sessionIdle(Duration value) {
      this.sessionIdle = positive(value, "sessionIdle");
      return this;
    }

    /** Threads serving calls (each call blocks on the store). Default 200. */
    public Builder maxThreads(int value) {
      if (value < 8) {
        throw new IllegalArgumentException("maxThreads " + value + " is below 8");
      }
      this.maxThreads = value;
      return this;
    }

    /** Open connections beyond which the gateway stops accepting until one closes. Default 10,000. */
    public Builder maxConnections(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxConnections " + value + " is below 1");
      }
      this.maxConnections = value;
      return this;
    }

    /** The largest request line plus headers; larger: 431. Default 16 KiB. */
    public Builder requestHeaderSize(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("requestHeaderSize " + bytes + " is below 1 KiB");
      }
      this.requestHeaderSize = bytes;
      return this;
    }

    /** Serve HTTPS with the key in {@code keyStore} (PKCS#12 or JKS). */
    public Builder tls(Path keyStore, String password) {
      this.keyStore = requireNonNull(keyStore, "keyStore");
      this.keyStorePassword = requireNonNull(password, "password");
      return this;
    }

    /** With {@link #tls}: ask clients for certificates signed by {@code trustStore}'s ({@code need}: require one). */
    public Builder clientCertificates(Path trustStore, String password, boolean need) {
      this.trustStore = requireNonNull(trustStore, "trustStore");
      this.trustStorePassword = requireNonNull(password, "password");
      this.needClientAuth = need;
      return this;
    }

    /**
     * Emit GCS object-change notifications into {@code sink}: the store is served through a {@link
     * NotifyingStore}, so every change made through the gateway publishes for the configurations
     * clients create ({@code POST /storage/v1/b/{bucket}/notificationConfigs}, the client's {@code
     * Storage.createNotification}), with payloads whose links name this gateway. The
     * configurations live in memory, with the gateway. Without a sink the gateway serves the
     * configuration calls only if its store has the {@link Notifications} mixin itself (a
     * NotifyingStore under its decorators), else answers them 501.
     */
    public Builder notificationSink(NotificationSink sink) {
      this.notificationSink = requireNonNull(sink, "sink");
      return this;
    }

    /** Something the gateway closes after itself (the world {@link GatewayConfig} opened). */
    Builder owning(AutoCloseable value) {
      this.owned = value;
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }

    /** Binds and starts serving. */
    public Gateway start() {
      java.util.concurrent.atomic.AtomicReference<String> self =
          new java.util.concurrent.atomic.AtomicReference<>(NotifyingStore.DEFAULT_ENDPOINT);
      ObjectStore served = notificationSink == null ? store
          : NotifyingStore.builder(store, notificationSink).endpoint(self::get).clock(clock).build();
      Map<String, Tenants.Tenant> byToken = new LinkedHashMap<>();
      tokens.forEach((token, profile) -> byToken.put(token, tenant(served, "", profile)));
      Tenants tenants = new Tenants(byToken, anonymous == null ? Optional.empty()
          : Optional.of(tenant(served, "anonymous", anonymous)));

      // backpressure at the door: beyond maxConnections the connector stops accepting (clients
      // wait in the TCP backlog) rather than a bounded job queue dropping connections mid-call
      QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads), 60_000);
      pool.setName("hybrid-gateway");
      Server server = new Server(pool);
      server.setStopTimeout(stopTimeout.toMillis());
      HttpConfiguration http = new HttpConfiguration();
      http.setRequestHeaderSize(requestHeaderSize);
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      // object names hold any bytes: '%2F', '..', '//' are names, not paths; Call decodes strictly
      http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE);
      ServerConnector connector;
      boolean tls = keyStore != null;
      if (tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toString());
        ssl.setKeyStorePassword(keyStorePassword);
        if (trustStore != null) {
          ssl.setTrustStorePath(trustStore.toString());
          ssl.setTrustStorePassword(trustStorePassword);
          if (needClientAuth) {
            ssl.setNeedClientAuth(true);
          } else {
            ssl.setWantClientAuth(true);
          }
        }
        http.addCustomizer(new SecureRequestCustomizer());
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(http));
      } else {
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
      }
      connector.setHost(host);
      connector.setPort(port);
      connector.setIdleTimeout(idleTimeout.toMillis());
      // on close, a connection idle between requests this long is closed (a keep-alive pool's)
      connector.setShutdownIdleTimeout(Math.max(50, Math.min(1000, stopTimeout.toMillis() / 10)));
      connector.setAcceptedTcpNoDelay(true);
      connector.setAcceptQueueSize(1024);
      server.addConnector(connector);
      server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(maxConnections, connector));
      Set<String> names = new LinkedHashSet<>(hosts);
      names.addAll(localNames(host));
      Map<String, SignedUrls.Signer> signing = new LinkedHashMap<>();
      signers.forEach((account, key) -> signing.put(account, new SignedUrls.Signer(account, key.rsa(), key.hmac(),
          tenant(served, "", Optional.of(key.profile())))));
      ApiHandler api = new ApiHandler(tenants, new SignedUrls(signing, clock), new HostCheck(names, origins),
          server::isStarted, sessionIdle);
      server.setHandler(new GracefulHandler(new JettyHandler(api)));
      server.setErrorHandler(new JsonErrorHandler());
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new IllegalStateException("cannot start the gateway on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      Gateway gateway = new Gateway(server, connector, api, tls, owned, notificationSink);
      self.set(gateway.endpoint().toString());
      log.info("gateway serving the GCS JSON API at {} ({} tokens, anonymous calls {})", gateway.endpoint(),
          tokens.size(), anonymous == null ? "refused"
              : anonymous.map(p -> "bounded by " + p.name()).orElse("allowed"));
      return gateway;
    }

    /**
     * A caller over {@code served}: the whole store ({@code "platform"} or {@code "anonymous"}), or
     * bounded by a profile; the notification configurations bounded the same way (a profile
     * manages those of the buckets it holds whole).
     */
    private Tenants.Tenant tenant(ObjectStore served, String kind, Optional<Profile> profile) {
      Notifications notifications = Notifications.of(served).orElse(null);
      if (profile.isEmpty()) {
        return new Tenants.Tenant(kind.isEmpty() ? "platform" : kind, served, notifications);
      }
      Profile p = profile.get();
      return new Tenants.Tenant(kind.isEmpty() ? p.name() : kind + "/" + p.name(),
          HybridStorage.bounded(served, p, placements), notifications == null ? null
              : new BoundedNotifications(notifications, p, placements, served.site()));
    }

    /** Names this machine is reached by: localhost, loopback, the bound address, its names and addresses. */
    private static Set<String> localNames(String bound) {
      Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
      if (!bound.equals("0.0.0.0") && !bound.equals("::")) {
        names.add(bound.contains(":") ? "[" + bound + "]" : bound);
      }
      try {
        InetAddress local = InetAddress.getLocalHost();
        names.add(local.getHostName());
        names.add(local.getCanonicalHostName());
      } catch (UnknownHostException e) {
        log.debug("this machine's name is unknown: {}", e.toString());
      }
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            String literal = a.getHostAddress();
            int scope = literal.indexOf('%');
            if (scope >= 0) {
              literal = literal.substring(0, scope);
            }
            names.add(literal.contains(":") ? "[" + literal + "]" : literal);
          }
        }
      } catch (SocketException e) {
        log.debug("this machine's addresses are unknown: {}", e.toString());
      }
      List<String> lower = new ArrayList<>();
      names.forEach(n -> lower.add(n.toLowerCase(java.util.Locale.ROOT)));
      return new LinkedHashSet<>(lower);
    }
  }
}
