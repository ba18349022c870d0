package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.names;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
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

  /**
   * {@code d/../x} is a legal GCS name, distinct from {@code x}: a store with {@link
   * Capability#DOT_SEGMENT_NAMES} keeps it literally; one without (S3, whose paths would resolve it
   * into {@code x}) refuses it with 400 naming the object and site, and {@code x} is untouched.
   */
  @Test
  default void dotSegmentNamesAreLiteralOrRefused() {
    String bucket = newBucket();
    put(store(), bucket, "x", "plain");
    String name = "d/../x";
    if (store().capabilities().contains(Capability.DOT_SEGMENT_NAMES)) {
      put(store(), bucket, name, "dotted");
      assertThat(read(store(), bucket, name)).isEqualTo("dotted");
      assertThat(names(store(), ListRequest.of(bucket))).containsExactlyInAnyOrder("d/../x", "x");
    } else {
      HybridStorageException e = expect(400, () -> put(store(), bucket, name, "dotted"));
      assertNames(e, store(), bucket, name);
      assertThat(e.isRetryable()).isFalse();
      expect(400, () -> store().head(ObjectId.of(bucket, name), Conditions.none()));
      assertThat(names(store(), ListRequest.of(bucket))).containsExactly("x");
    }
    assertThat(read(store(), bucket, "x")).isEqualTo("plain");
  }
}
