package io.hybridstorage.testkit.notify;

import io.hybridstorage.api.NotifyingStore;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.tck.NotificationsTester;

/** The notifications contract, in process: {@link NotifyingStore} over the reference backend. */
class NotifyingInMemoryStoreTest implements NotificationsTester {

  private final InMemoryNotificationSink sink = new InMemoryNotificationSink();
  private final NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), sink).build();

  @Override
  public ObjectStore store() {
    return store;
  }

  @Override
  public Notifications notifications() {
    return store;
  }

  @Override
  public InMemoryNotificationSink sink() {
    return sink;
  }
}
