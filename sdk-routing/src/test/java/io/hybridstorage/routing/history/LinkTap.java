package io.hybridstorage.routing.history;

import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One router's link to one site, outside its {@code FaultInjectingStore}: notes on the {@link
 * Timeline} each call that an injected fault failed (other than by a partition, which the timeline
 * shows once), with the router, site, call and object. Forwards everything else unchanged.
 */
final class LinkTap extends ForwardingObjectStore {

  private final String who;
  private final Timeline timeline;

  LinkTap(ObjectStore link, String who, Timeline timeline) {
    super(link);
    this.who = who;
    this.timeline = timeline;
  }

  private <T> T tap(String call, String name, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      note(call, name, e);
      throw e;
    }
  }

  private void note(String call, String name, Exception e) {
    String message = String.valueOf(e.getMessage());
    int at = message.indexOf("injected fault");
    if (at >= 0 && !message.contains("(partition)")) {
      timeline.note(who, name, call + ": " + message.substring(at));
    }
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return tap("head", id.name(), () -> delegate().head(id, conditions));
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    return tap("read", request.id().name(), () -> delegate().read(request));
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    return tap("write", request.name(), () -> delegate().write(request, data));
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    boolean deleted = tap("delete", id.name(), () -> delegate().delete(id, conditions));
    if (deleted) { // who removes what, for a report of a copy that should not be gone
      timeline.note(who, id.name(), "deleted " + (id.generation() != 0 ? "version " + id.generation() : "live version")
          + " " + conditions + " [" + Thread.currentThread().getName() + "]");
    }
    return deleted;
  }

  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    boolean deleted = tap("deleteUpTo", name, () -> delegate().deleteUpTo(bucket, name, generation));
    if (deleted) {
      timeline.note(who, name, "deleted up to " + generation + " [" + Thread.currentThread().getName() + "]");
    }
    return deleted;
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    return tap("list", "(list)", () -> delegate().list(request));
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    return tap("copy", request.targetName(), () -> delegate().copy(request));
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return tap("compose", request.targetName(), () -> delegate().compose(request));
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    ObjectWriter out = tap("openWrite", request.name(), () -> delegate().openWrite(request));
    String name = request.name();
    return new ObjectWriter() {
      @Override
      public int write(ByteBuffer source) throws IOException {
        try {
          return out.write(source);
        } catch (IOException | RuntimeException e) {
          note("write (body)", name, e);
          throw e;
        }
      }

      @Override
      public ObjectInfo commit() throws IOException {
        try {
          return out.commit();
        } catch (IOException | RuntimeException e) {
          note("commit", name, e);
          throw e;
        }
      }

      @Override
      public boolean isOpen() {
        return out.isOpen();
      }

      @Override
      public void close() {
        out.close();
      }
    };
  }
}
