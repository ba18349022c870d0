package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.SignUrlRequest;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store describes itself: its site, stable capabilities, and 501 for what it cannot do. */
public interface CapabilityTester extends StoreTester {

  @Test
  default void siteIsNamedAndCapabilitiesAreStable() {
    assertThat(store().site()).isNotBlank();
    assertThat(store().capabilities()).isNotNull().isEqualTo(store().capabilities());
  }

  @Test
  default void signUrlWorksOrIs501NamingTheOperationAndSite() {
    String bucket = newBucket();
    put(store(), bucket, "o", "x");
    SignUrlRequest request = new SignUrlRequest(bucket, "o", "GET", Duration.ofMinutes(5), Map.of());
    if (store().capabilities().contains(Capability.SIGNED_URLS)) {
      URL url = store().signUrl(request);
      assertThat(url).isNotNull();
      assertThat(url.toString()).contains("o");
    } else {
      HybridStorageException e = expect(501, () -> store().signUrl(request));
      assertThat(e.getMessage()).contains("signUrl").contains(store().site());
      assertThat(e.isRetryable()).isFalse();
    }
  }
}
