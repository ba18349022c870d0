package io.hybridstorage.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.ForwardingStoreTester;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** The first run's off switch: a faithful decorator while up, a 503 naming the site while down. */
class SiteSwitchTest {

  @Test
  void upItForwardsEveryCallFaithfully() {
    ForwardingStoreTester.testForwarding(SiteSwitch::new);
  }

  @Test
  void downEveryCallFailsWith503NamingTheSiteAndTheSiteIsUntouched() {
    InMemoryStore site = new InMemoryStore("dc1");
    SiteSwitch s = new SiteSwitch(site);
    s.createBucket(BucketSpec.of("bkt"));
    s.write(WriteRequest.of("bkt", "o"), new ByteArrayInputStream(new byte[] {1}));
    assertThat(s.capabilities()).contains(Capability.IN_PROCESS); // the switch adds no waiting

    s.down();
    assertThat(s.isDown()).isTrue();
    assertThatThrownBy(() -> s.head(ObjectId.of("bkt", "o"), Conditions.none()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.getMessage()).contains("gs://bkt/o").contains("dc1");
        });
    assertThatThrownBy(() -> s.list(ListRequest.of("bkt"))).isInstanceOf(HybridStorageException.class);
    assertThatThrownBy(() -> s.listBuckets(BucketListRequest.all())).isInstanceOf(HybridStorageException.class);
    assertThatThrownBy(() -> s.write(WriteRequest.of("bkt", "p"), new ByteArrayInputStream(new byte[] {2})))
        .isInstanceOf(HybridStorageException.class);
    assertThatThrownBy(() -> s.delete(ObjectId.of("bkt", "o"), Conditions.none()))
        .isInstanceOf(HybridStorageException.class);
    assertThat(site.head(ObjectId.of("bkt", "o"), Conditions.none())).isPresent();
    assertThat(site.head(ObjectId.of("bkt", "p"), Conditions.none())).isEmpty();

    s.up();
    assertThat(s.head(ObjectId.of("bkt", "o"), Conditions.none())).isPresent();
  }
}
