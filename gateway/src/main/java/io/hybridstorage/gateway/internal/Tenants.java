package io.hybridstorage.gateway.internal;

import com.google.common.hash.Hashing;
import io.hybridstorage.api.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Who a request is, and the store it may use: a bearer token ({@code Authorization: Bearer …})
 * names a tenant (a business unit's profile, or the whole world), whose store is bounded as
 * {@code HYBRID_STORAGE_PROFILE} bounds an in-process client. A request without credentials gets
 * the anonymous tenant if one is configured, else 401. Tokens are kept only as SHA-256 digests and
 * never logged.
 */
public final class Tenants {

  /**
   * A caller: the name the access log shows, the store its calls go to, and where its calls to a
   * bucket's notification configurations go (null: the store keeps none, 501).
   */
  public record Tenant(String name, ObjectStore store, @Nullable io.hybridstorage.api.spi.Notifications notifications) {

    /** A caller whose store's own {@link io.hybridstorage.api.spi.Notifications} mixin, if any, serves it. */
    public Tenant(String name, ObjectStore store) {
      this(name, store, io.hybridstorage.api.spi.Notifications.of(store).orElse(null));
    }
  }

  private final Map<String, Tenant> byTokenDigest;
  @Nullable private final Tenant anonymous;

  /** {@code byToken}: token → tenant; {@code anonymous}: the tenant of unauthenticated calls, if any. */
  public Tenants(Map<String, Tenant> byToken, Optional<Tenant> anonymous) {
    java.util.HashMap<String, Tenant> digests = new java.util.HashMap<>();
    byToken.forEach((token, tenant) -> {
      if (token.isBlank()) {
        throw new IllegalArgumentException("a blank bearer token for tenant " + tenant.name());
      }
      digests.put(digest(token), tenant);
    });
    this.byTokenDigest = Map.copyOf(digests);
    this.anonymous = anonymous.orElse(null);
  }

  static String digest(String token) {
    return Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
  }

  Tenant resolve(Call call) {
    String authorization = call.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      if (anonymous == null) {
        throw new ApiException(401, "required", "Anonymous caller does not have access to this gateway: send "
            + "'Authorization: Bearer <token>' with a token issued for your business unit");
      }
      return anonymous;
    }
    String a = authorization.trim();
    if (!a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "authError", "Invalid Credentials: only bearer tokens are accepted");
    }
    Tenant tenant = byTokenDigest.get(digest(a.substring(7).trim()));
    if (tenant == null) {
      throw new ApiException(401, "authError", "Invalid Credentials: the bearer token is not one this gateway "
          + "issued");
    }
    return tenant;
  }
}
