package io.hybridstorage.sync.pubsub;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.DeleteSubscriptionRequest;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.Topic;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process Cloud Pub/Sub server for tests, on a loopback TCP port (so a child JVM — a sync
 * process a test kills with {@code kill -9} — pulls from it too), speaking the real gRPC API:
 * {@code Publisher.CreateTopic/GetTopic/Publish} and {@code Subscriber.CreateSubscription/
 * GetSubscription/DeleteSubscription/Pull/Acknowledge/ModifyAckDeadline}; {@code StreamingPull}
 * answers UNIMPLEMENTED. Reach it with {@link #transport()} ({@link PubSubTransport#emulator}).
 *
 * <p>Semantics as Pub/Sub's: each subscription gets every message published after it was created;
 * a pulled message is outstanding until acknowledged and is delivered again once its ack deadline
 * passes (a nack, {@code ModifyAckDeadline 0}, makes it available at once); several pullers of one
 * subscription share its messages, each message outstanding at one puller at a time; a
 * redelivered message gets a new ack id and the old one no longer acknowledges it. A pull waits
 * for messages up to its gRPC deadline (10 s without one) and may return fewer than asked.
 *
 * <p>Fault hooks strike the next messages published to a subscription, in the order they were
 * armed: {@link #duplicateNext} (delivered twice, as two deliveries of one message id), {@link
 * #dropNext} (never delivered: a lost notification), {@link #delayNext} (held back), {@link
 * #reorderNext} (the next {@code n} delivered in reverse order). Sub-second ack deadlines are
 * allowed through {@link #createSubscription(String, String, Duration)} (the API says 10..600 s)
 * so redelivery tests do not wait.
 *
 * <p>The official emulator ({@code gcloud beta emulators pubsub}) has no fault hooks; {@code
 * PubSubEmulator} runs it for the same round-trip tests when it is installed.
 */
public final class EmbeddedPubSub implements AutoCloseable {

  private static final Duration NO_DEADLINE_WAIT = Duration.ofSeconds(10);
  private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Map<String, TopicState> topics = new ConcurrentHashMap<>();
  private final Map<String, Sub> subscriptions = new ConcurrentHashMap<>();
  private final AtomicLong messageIds = new AtomicLong();
  private final AtomicLong ackIds = new AtomicLong();
  private final Server server;

  private EmbeddedPubSub(int port) throws IOException {
    this.server = NettyServerBuilder
        .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .addService(new PublisherService())
        .addService(new SubscriberService())
        .build()
        .start();
  }

  /** Starts a server on a free loopback port. */
  public static EmbeddedPubSub start() throws IOException {
    return new EmbeddedPubSub(0);
  }

  /** Starts a server on {@code port} of the loopback interface (0: a free one). */
  public static EmbeddedPubSub start(int port) throws IOException {
    return new EmbeddedPubSub(port);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:port}, as {@code PUBSUB_EMULATOR_HOST} would say. */
  public String endpoint() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
  }

  /** How clients reach this server: plaintext, no credentials. */
  public PubSubTransport transport() {
    return PubSubTransport.emulator(endpoint());
  }

  /** Creates {@code projects/P/topics/T} (no-op when it exists) and returns its name. */
  public String createTopic(String topic) {
    topics.computeIfAbsent(checkName(topic, "topics"), TopicState::new);
    return topic;
  }

  /**
   * Creates a subscription of {@code topic} with an ack deadline of any length (tests use
   * sub-second ones); returns its name.
   */
  public String createSubscription(String subscription, String topic, Duration ackDeadline) {
    TopicState t = topics.get(topic);
    if (t == null) {
      throw new IllegalArgumentException("no topic " + topic);
    }
    Sub s = new Sub(checkName(subscription, "subscriptions"), topic, ackDeadline.toNanos());
    if (subscriptions.putIfAbsent(subscription, s) != null) {
      throw new IllegalArgumentException("subscription " + subscription + " exists");
    }
    t.subs.add(s);
    return subscription;
  }

  /** Sets the ack deadline of messages pulled from now on. */
  public void setAckDeadline(String subscription, Duration ackDeadline) {
    sub(subscription).ackDeadlineNanos = ackDeadline.toNanos();
  }

  /** The next message published to {@code subscription}'s topic is delivered twice. */
  public EmbeddedPubSub duplicateNext(String subscription) {
    return arm(subscription, new Fault.Duplicate());
  }

  /** The next message published to {@code subscription}'s topic never reaches it. */
  public EmbeddedPubSub dropNext(String subscription) {
    return arm(subscription, new Fault.Drop());
  }

  /** The next message published to {@code subscription}'s topic is available only after {@code d}. */
  public EmbeddedPubSub delayNext(String subscription, Duration d) {
    return arm(subscription, new Fault.Delay(d.toNanos()));
  }

  /** The next {@code n} messages are held until all came, then made available in reverse order. */
  public EmbeddedPubSub reorderNext(String subscription, int n) {
    if (n < 2) {
      throw new IllegalArgumentException("reorder needs at least 2 messages, not " + n);
    }
    return arm(subscription, new Fault.Reorder(n, new ArrayList<>()));
  }

  /** Every message published to {@code topic}, in order, as stored (with id and publish time). */
  public List<PubsubMessage> published(String topic) {
    TopicState t = topics.get(topic);
    return t == null ? List.of() : List.copyOf(t.published);
  }

  /** Messages of {@code subscription} not yet acknowledged: available, held back or outstanding. */
  public int backlog(String subscription) {
    return sub(subscription).locked(s -> s.ready.size() + s.delayed.size() + s.outstanding.size()
        + s.held());
  }

  /** Messages pulled and neither acknowledged nor expired. */
  public int outstanding(String subscription) {
    return sub(subscription).locked(s -> s.outstanding.size());
  }

  /** Deliveries so far (a redelivered message counts again). */
  public long deliveries(String subscription) {
    return sub(subscription).locked(s -> s.deliveries);
  }

  /** Acknowledgements that removed a message. */
  public long acks(String subscription) {
    return sub(subscription).locked(s -> s.acks);
  }

  /** Waits until {@code subscription} has no backlog; false on timeout. */
  public boolean awaitDrained(String subscription, Duration timeout) throws InterruptedException {
    Sub s = sub(subscription);
    long end = System.nanoTime() + timeout.toNanos();
    s.lock.lock();
    try {
      while (s.ready.size() + s.delayed.size() + s.outstanding.size() + s.held() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        s.changed.awaitNanos(Math.min(left, WAKE_NANOS));
        s.expire(System.nanoTime());
      }
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    for (Sub s : subscriptions.values()) {
      s.locked(x -> {
        x.changed.signalAll();
        return null;
      });
    }
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private EmbeddedPubSub arm(String subscription, Fault fault) {
    sub(subscription).locked(s -> s.faults.add(fault));
    return this;
  }

  private Sub sub(String subscription) {
    Sub s = subscriptions.get(subscription);
    if (s == null) {
      throw new IllegalArgumentException("no subscription " + subscription);
    }
    return s;
  }

  private static String checkName(String name, String kind) {
    String[] parts = requireNonNull(name, "name").split("/", -1);
    if (parts.length != 4 || !parts[0].equals("projects") || parts[1].isEmpty()
        || !parts[2].equals(kind) || parts[3].isEmpty()) {
      throw new IllegalArgumentException(name + " is not projects/P/" + kind + "/NAME");
    }
    return name;
  }

  private void publish(TopicState topic, List<PubsubMessage> messages, List<String> ids) {
    Instant now = Instant.now();
    for (PubsubMessage m : messages) {
      String id = Long.toString(messageIds.incrementAndGet());
      PubsubMessage stored = m.toBuilder()
          .setMessageId(id)
          .setPublishTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
          .build();
      topic.published.add(stored);
      for (Sub s : topic.subs) {
        s.enqueue(stored);
      }
      ids.add(id);
    }
  }

  private sealed interface Fault {
    record Duplicate() implements Fault {}

    record Drop() implements Fault {}

    record Delay(long nanos) implements Fault {}

    record Reorder(int n, List<Entry> held) implements Fault {}
  }

  private static final class TopicState {
    final String name;
    final List<Sub> subs = new CopyOnWriteArrayList<>();
    final List<PubsubMessage> published = Collections.synchronizedList(new ArrayList<>());

    TopicState(String name) {
      this.name = name;
    }
  }

  /** One message waiting in a subscription; {@code availableAt} for delayed ones. */
  private static final class Entry {
    final PubsubMessage message;
    long availableAt;

    Entry(PubsubMessage message, long availableAt) {
      this.message = message;
      this.availableAt = availableAt;
    }
  }

  private record Outstanding(Entry entry, long deadline) {}

  private final class Sub {
    final String name;
    final String topic;
    volatile long ackDeadlineNanos;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final ArrayDeque<Entry> ready = new ArrayDeque<>();
    final List<Entry> delayed = new ArrayList<>();
    final Map<String, Outstanding> outstanding = new LinkedHashMap<>();
    final ArrayDeque<Fault> faults = new ArrayDeque<>();
    long deliveries;
    long acks;

    Sub(String name, String topic, long ackDeadlineNanos) {
      this.name = name;
      this.topic = topic;
      this.ackDeadlineNanos = ackDeadlineNanos;
    }

    <T> T locked(java.util.function.Function<Sub, T> f) {
      lock.lock();
      try {
        return f.apply(this);
      } finally {
        lock.unlock();
      }
    }

    int held() {
      int n = 0;
      for (Fault f : faults) {
        if (f instanceof Fault.Reorder r) {
          n += r.held().size();
        }
      }
      return n;
    }

    void enqueue(PubsubMessage m) {
      lock.lock();
      try {
        long now = System.nanoTime();
        Entry e = new Entry(m, now);
        Fault f = faults.peek();
        if (f == null) {
          ready.addLast(e);
        } else if (f instanceof Fault.Drop) {
          faults.poll();
        } else if (f instanceof Fault.Duplicate) {
          faults.poll();
          ready.addLast(e);
          ready.addLast(new Entry(m, now));
        } else if (f instanceof Fault.Delay d) {
          faults.poll();
          e.availableAt = now + d.nanos();
          delayed.add(e);
        } else if (f instanceof Fault.Reorder r) {
          r.held().add(e);
          if (r.held().size() == r.n()) {
            faults.poll();
            for (int i = r.held().size() - 1; i >= 0; i--) {
              ready.addLast(r.held().get(i));
            }
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Lock held: expired deliveries and due delayed messages become available. */
    void expire(long now) {
      for (Iterator<Outstanding> it = outstanding.values().iterator(); it.hasNext(); ) {
        Outstanding o = it.next();
        if (o.deadline() - now <= 0) {
          it.remove();
          ready.addLast(o.entry());
        }
      }
      for (Iterator<Entry> it = delayed.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.availableAt - now <= 0) {
          it.remove();
          ready.addLast(e);
        }
      }
    }

    List<ReceivedMessage> pull(int max, long deadline, Context context) throws InterruptedException {
      lock.lock();
      try {
        while (true) {
          long now = System.nanoTime();
          expire(now);
          if (!ready.isEmpty()) {
            List<ReceivedMessage> out = new ArrayList<>();
            while (out.size() < max && !ready.isEmpty()) {
              Entry e = ready.pollFirst();
              String ackId = "ack-" + ackIds.incrementAndGet();
              outstanding.put(ackId, new Outstanding(e, now + ackDeadlineNanos));
              out.add(ReceivedMessage.newBuilder().setAckId(ackId).setMessage(e.message).build());
              deliveries++;
            }
            return out;
          }
          if (deadline - now <= 0 || context.isCancelled()) {
            return List.of();
          }
          changed.awaitNanos(Math.min(deadline - now, WAKE_NANOS));
        }
      } finally {
        lock.unlock();
      }
    }

    void acknowledge(List<String> ackIdList) {
      lock.lock();
      try {
        for (String id : ackIdList) {
          if (outstanding.remove(id) != null) {
            acks++;
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void modify(List<String> ackIdList, int seconds) {
      lock.lock();
      try {
        long now = System.nanoTime();
        for (String id : ackIdList) {
          Outstanding o = outstanding.get(id);
          if (o == null) {
            continue; // expired or acked: ignored, as Pub/Sub does
          }
          if (seconds == 0) {
            outstanding.remove(id);
            ready.addLast(o.entry());
          } else {
            outstanding.put(id, new Outstanding(o.entry(), now + TimeUnit.SECONDS.toNanos(seconds)));
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private final class PublisherService extends PublisherGrpc.PublisherImplBase {

    @Override
    public void createTopic(Topic request, StreamObserver<Topic> response) {
      answer(response, () -> {
        checkName(request.getName(), "topics");
        if (topics.putIfAbsent(request.getName(), new TopicState(request.getName())) != null) {
          throw Status.ALREADY_EXISTS.withDescription("Topic already exists").asRuntimeException();
        }
        return request;
      });
    }

    @Override
    public void getTopic(GetTopicRequest request, StreamObserver<Topic> response) {
      answer(response, () -> {
        topic(request.getTopic());
        return Topic.newBuilder().setName(request.getTopic()).build();
      });
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
      answer(response, () -> {
        TopicState t = topic(request.getTopic());
        if (request.getMessagesCount() == 0) {
          throw Status.INVALID_ARGUMENT.withDescription("no messages").asRuntimeException();
        }
        List<String> ids = new ArrayList<>();
        EmbeddedPubSub.this.publish(t, request.getMessagesList(), ids);
        return PublishResponse.newBuilder().addAllMessageIds(ids).build();
      });
    }

    private TopicState topic(String name) {
      TopicState t = topics.get(name);
      if (t == null) {
        throw Status.NOT_FOUND.withDescription("Topic not found: " + name).asRuntimeException();
      }
      return t;
    }
  }

  private final class SubscriberService extends SubscriberGrpc.SubscriberImplBase {

    @Override
    public void createSubscription(Subscription request, StreamObserver<Subscription> response) {
      answer(response, () -> {
        checkName(request.getName(), "subscriptions");
        TopicState t = topics.get(request.getTopic());
        if (t == null) {
          throw Status.NOT_FOUND.withDescription("Topic not found: " + request.getTopic())
              .asRuntimeException();
        }
        int seconds = request.getAckDeadlineSeconds() == 0 ? 10 : request.getAckDeadlineSeconds();
        if (seconds < 10 || seconds > 600) {
          throw Status.INVALID_ARGUMENT.withDescription("ack deadline must be 10..600 s")
              .asRuntimeException();
        }
        Sub s = new Sub(request.getName(), request.getTopic(), TimeUnit.SECONDS.toNanos(seconds));
        if (subscriptions.putIfAbsent(request.getName(), s) != null) {
          throw Status.ALREADY_EXISTS.withDescription("Subscription already exists")
              .asRuntimeException();
        }
        t.subs.add(s);
        return request.toBuilder().setAckDeadlineSeconds(seconds).build();
      });
    }

    @Override
    public void getSubscription(GetSubscriptionRequest request, StreamObserver<Subscription> response) {
      answer(response, () -> {
        Sub s = subscription(request.getSubscription());
        return Subscription.newBuilder().setName(s.name).setTopic(s.topic)
            .setAckDeadlineSeconds((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(s.ackDeadlineNanos)))
            .build();
      });
    }

    @Override
    public void deleteSubscription(DeleteSubscriptionRequest request, StreamObserver<Empty> response) {
      answer(response, () -> {
        Sub s = subscriptions.remove(request.getSubscription());
        if (s == null) {
          throw Status.NOT_FOUND.withDescription("Subscription does not exist").asRuntimeException();
        }
        TopicState t = topics.get(s.topic);
        if (t != null) {
          t.subs.remove(s);
        }
        return Empty.getDefaultInstance();
      });
    }

    @Override
    @SuppressWarnings("deprecation") // returnImmediately: still honoured, as the service does
    public void pull(PullRequest request, StreamObserver<PullResponse> response) {
      answer(response, () -> {
        Sub s = subscription(request.getSubscription());
        if (request.getMaxMessages() <= 0) {
          throw Status.INVALID_ARGUMENT.withDescription("max_messages must be positive")
              .asRuntimeException();
        }
        Context context = Context.current();
        Deadline deadline = context.getDeadline();
        long wait = request.getReturnImmediately() ? 0
            : deadline == null ? NO_DEADLINE_WAIT.toNanos()
            // answer a little before the caller's deadline, so an empty pull is an answer
            : Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS) - TimeUnit.MILLISECONDS.toNanos(20));
        try {
          return PullResponse.newBuilder()
              .addAllReceivedMessages(s.pull(request.getMaxMessages(), System.nanoTime() + wait, context))
              .build();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw Status.CANCELLED.withDescription("server shutting down").asRuntimeException();
        }
      });
    }

    @Override
    public void acknowledge(AcknowledgeRequest request, StreamObserver<Empty> response) {
      answer(response, () -> {
        subscription(request.getSubscription()).acknowledge(request.getAckIdsList());
        return Empty.getDefaultInstance();
      });
    }

    @Override
    public void modifyAckDeadline(ModifyAckDeadlineRequest request, StreamObserver<Empty> response) {
      answer(response, () -> {
        if (request.getAckDeadlineSeconds() < 0 || request.getAckDeadlineSeconds() > 600) {
          throw Status.INVALID_ARGUMENT.withDescription("ack deadline must be 0..600 s")
              .asRuntimeException();
        }
        subscription(request.getSubscription())
            .modify(request.getAckIdsList(), request.getAckDeadlineSeconds());
        return Empty.getDefaultInstance();
      });
    }

    private Sub subscription(String name) {
      Sub s = subscriptions.get(name);
      if (s == null) {
        throw Status.NOT_FOUND.withDescription("Subscription does not exist: " + name)
            .asRuntimeException();
      }
      return s;
    }
  }

  private interface Call<T> {
    T get() throws Exception;
  }

  private static <T> void answer(StreamObserver<T> response, Call<T> call) {
    T value;
    try {
      value = call.get();
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (Exception e) {
      response.onError(e instanceof io.grpc.StatusRuntimeException ? e
          : Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
