package io.hybridstorage.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Capability#IN_PROCESS} (issue 13): a site whose calls never wait is called on the
 * caller's thread, without the time limiter's hand-off to the pool; any other site still is
 * handed off and time limited.
 */
class InProcessSiteTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Records the thread each head runs on; reports IN_PROCESS as told. */
  private static final class ThreadRecorder extends ForwardingObjectStore {
    final AtomicReference<Thread> headThread = new AtomicReference<>();
    final boolean inProcess;

    ThreadRecorder(ObjectStore delegate, boolean inProcess) {
      super(delegate);
      this.inProcess = inProcess;
    }

    @Override
    public Set<Capability> capabilities() {
      return inProcess ? delegateCapabilities() : super.capabilities();
    }

    @Override
    public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
      headThread.set(Thread.currentThread());
      return super.head(id, conditions);
    }
  }

  private ResilientStore resilient(ObjectStore site) {
    return new ResilientStore(site, RoutingSettings.defaults().withCallTimeout(Duration.ofSeconds(4)), pool,
        Clock.systemUTC(), io.hybridstorage.api.Sleeper.system());
  }

  @Test
  void anInProcessSiteIsCalledOnTheCallersThread() {
    InMemoryStore memory = new InMemoryStore("dc1");
    memory.createBucket(BucketSpec.of("bkt"));
    ThreadRecorder site = new ThreadRecorder(memory, true);
    ResilientStore store = resilient(site);

    assertThat(store.isInProcess()).isTrue();
    store.head(ObjectId.of("bkt", "o"), Conditions.none());
    assertThat(site.headThread.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void aSiteThatMayWaitIsHandedToThePoolAndTimeLimited() {
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    ThreadRecorder site = new ThreadRecorder(memory, false);
    ResilientStore store = resilient(site);

    assertThat(store.isInProcess()).isFalse();
    store.head(ObjectId.of("bkt", "o"), Conditions.none());
    assertThat(site.headThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
  }

  /** A fault injector is in-process only while no rule could delay a call. */
  @Test
  void aFaultInjectorIsInProcessOnlyWhileItHasNoRule() {
    InMemoryStore memory = new InMemoryStore("gcp");
    memory.createBucket(BucketSpec.of("bkt"));
    FaultInjectingStore faults = FaultInjectingStore.wrap(memory);
    ThreadRecorder site = new ThreadRecorder(faults, true);
    ResilientStore store = resilient(site);

    assertThat(store.isInProcess()).isTrue();
    FaultRule slow = FaultRule.on(Operation.HEAD).inject(Fault.delay(Duration.ofMillis(1)));
    faults.addRule(slow);
    assertThat(faults.capabilities()).doesNotContain(Capability.IN_PROCESS)
        .contains(Capability.ASSIGNED_GENERATIONS);
    assertThat(store.isInProcess()).isFalse();
    store.head(ObjectId.of("bkt", "o"), Conditions.none());
    assertThat(site.headThread.get()).isNotSameAs(Thread.currentThread());

    faults.removeRule(slow);
    assertThat(store.isInProcess()).isTrue();
  }

  @Test
  void forwardingStoresDoNotForwardInProcessUnlessTheyKeepIt() {
    InMemoryStore memory = new InMemoryStore("dc1");
    assertThat(memory.capabilities()).contains(Capability.IN_PROCESS);
    ObjectStore plain = new ForwardingObjectStore(memory) {};
    Set<Capability> others = java.util.EnumSet.copyOf(memory.capabilities());
    others.remove(Capability.IN_PROCESS);
    assertThat(plain.capabilities()).isEqualTo(others);
    assertThat(new ThreadRecorder(memory, true).capabilities()).isEqualTo(memory.capabilities());
    assertThat(resilient(memory).capabilities()).doesNotContain(Capability.IN_PROCESS);
  }
}
