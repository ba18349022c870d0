package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.ForwardingStoreTester;
import org.junit.jupiter.api.Test;

class ForwardingObjectStoreTest {

  @Test
  void forwardsEveryMethodIncludingTheDefaultOnes() {
    ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {});
  }

  @Test
  void namesItselfAndItsDelegate() {
    class Metrics extends ForwardingObjectStore {
      Metrics(ObjectStore delegate) {
        super(delegate);
      }
    }
    InMemoryStore memory = new InMemoryStore("dc1");
    Metrics metrics = new Metrics(memory);

    assertThat(metrics).hasToString("Metrics[" + memory + "]");
    assertThat(metrics.delegate()).isSameAs(memory);
  }
}
