package io.hybridstorage.gateway.internal;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses requests addressed to a host name the gateway does not serve (a {@code Host} header
 * of another name: DNS rebinding) and browser requests from an origin not allowed ({@code
 * Origin}): the gateway's credentials are bearer tokens, but an anonymous tenant would otherwise be
 * open to any web page a user visits.
 */
public final class HostCheck {

  private final Set<String> hosts;
  private final Set<String> origins;

  /** {@code hosts}: names (no port) the gateway answers to; {@code origins}: allowed browser origins. */
  public HostCheck(Set<String> hosts, Set<String> origins) {
    this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.origins = Set.copyOf(origins);
  }

  void check(Exchange exchange) {
    if (exchange.inner()) {
      return;
    }
    String host = exchange.header("Host");
    if (host == null || !hosts.contains(name(host))) {
      throw ApiException.invalid("Host '" + Call.printable(String.valueOf(host)) + "' is not served by this gateway");
    }
    String origin = exchange.header("Origin");
    if (origin != null && !origins.contains(origin)) {
      throw new ApiException(403, "forbidden", "Cross-origin requests from '" + Call.printable(origin)
          + "' are not allowed by this gateway");
    }
  }

  /** The host name of a Host header, without its port; IPv6 literals keep their brackets. */
  static String name(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
