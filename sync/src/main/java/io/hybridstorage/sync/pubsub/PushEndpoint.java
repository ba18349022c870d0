package io.hybridstorage.sync.pubsub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.ChangeQueue;
import io.hybridstorage.sync.GcsNotifications;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a Cloud Pub/Sub <em>push</em> subscription of a GCS bucket's notifications,
 * as a Jetty 12 {@link Handler}: Pub/Sub POSTs each message in its JSON envelope ({@code
 * {"message":{"attributes":{…},"data":"base64","messageId":"…","publishTime":"…"},
 * "subscription":"…"}}); the endpoint reads the notification, hands the change to {@link
 * ChangeQueue#put} (durable when it returns) and only then answers {@code 204} — the push
 * acknowledgement.
 *
 * <p>Answers, chosen by what Pub/Sub does with them (a push is acknowledged by 102, 200, 201, 202
 * or 204; any other answer is a nack and the message is delivered again, with backoff, until it
 * expires or goes to a dead-letter topic):
 *
 * <ul>
 *   <li>{@code 204} when the change is durable; also for a message that is not an object
 *       notification (dropped, DEBUG) and for a <em>poison</em> notification — a valid envelope whose
 *       attributes or payload are malformed — which is logged at WARN with its message id and
 *       counted ({@link #poison()}): nacking it would have Pub/Sub deliver it forever;
 *   <li>{@code 503} when {@code put} throws (logged): Pub/Sub delivers the message again;
 *   <li>{@code 400} when the body is not a push envelope at all (not JSON, no {@code message}):
 *       that request did not come from Pub/Sub, which always sends a well-formed envelope;
 *   <li>{@code 401} when a {@link Builder#tokenCheck token check} is set and the request's bearer
 *       token fails it; {@code 405} for a method other than POST; {@code 413} for a body larger
 *       than {@link Builder#maxBodyBytes}.
 * </ul>
 *
 * <p>Authentication: Pub/Sub can sign pushes with an OIDC token of a service account ({@code
 * Authorization: Bearer …}). The check is pluggable ({@link TokenCheck}); TODO: a ready-made
 * Google OIDC check (google-auth-library's {@code TokenVerifier} with the audience and the
 * service account's email) — untestable offline, so left to the application for now. Without a
 * check, put the endpoint behind a network boundary only Pub/Sub reaches. The unwrapped push
 * format ({@code no_wrapper}, attributes as HTTP headers) is not supported.
 */
public final class PushEndpoint extends Handler.Abstract {

  private static final Logger log = LoggerFactory.getLogger(PushEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChangeQueue queue;
  private final String site;
  private final String origin;
  @Nullable private final TokenCheck tokenCheck;
  private final int maxBodyBytes;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong poison = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private PushEndpoint(Builder b) {
    super(InvocationType.BLOCKING);
    this.queue = b.queue;
    this.site = b.site;
    this.origin = b.origin;
    this.tokenCheck = b.tokenCheck;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A builder; {@link Builder#queue} and {@link Builder#site} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Checks the bearer token of a push request (e.g. an OIDC token's signature and audience). */
  @FunctionalInterface
  public interface TokenCheck {
    /** Whether {@code token} (without {@code Bearer }) admits the request; must not log it. */
    boolean admits(String token);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      Outcome outcome = serve(request);
      response.setStatus(outcome.status);
      if (outcome.status == 204) {
        callback.succeeded();
      } else {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, outcome.message + "\n", callback);
      }
    } catch (Throwable t) {
      callback.failed(t);
    }
    return true;
  }

  private Outcome serve(Request request) throws IOException {
    if (!HttpMethod.POST.is(request.getMethod())) {
      return new Outcome(405, "a push endpoint takes POST, not " + request.getMethod());
    }
    if (tokenCheck != null) {
      String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
          || !tokenCheck.admits(auth.substring(7).trim())) {
        log.warn("push to {} refused: {} bearer token", Request.getPathInContext(request),
            auth == null ? "no" : "a rejected");
        return new Outcome(401, "a valid bearer token is required");
      }
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(maxBodyBytes + 1);
    }
    if (body.length > maxBodyBytes) {
      return new Outcome(413, "the body exceeds " + maxBodyBytes + " bytes");
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(body);
    } catch (IOException e) {
      return new Outcome(400, "the body is not a Pub/Sub push envelope (not JSON)");
    }
    JsonNode message = envelope == null ? null : envelope.get("message");
    if (message == null || !message.isObject()) {
      return new Outcome(400, "the body is not a Pub/Sub push envelope (no message object)");
    }
    String messageId = message.path("messageId").asText(message.path("message_id").asText("?"));
    String subscription = envelope.path("subscription").asText("?");
    Optional<Change> change;
    try {
      Map<String, String> attributes = attributes(message.get("attributes"));
      byte[] data = message.hasNonNull("data")
          ? Base64.getDecoder().decode(message.get("data").asText()) : new byte[0];
      change = GcsNotifications.toChange(site, attributes, data, origin);
    } catch (IllegalArgumentException e) {
      poison.incrementAndGet();
      log.warn("poison push message {} from {} acknowledged and dropped: {}", messageId,
          subscription, e.getMessage());
      return new Outcome(204, "");
    }
    if (change.isEmpty()) {
      dropped.incrementAndGet();
      log.debug("push message {} from {} is not an object notification: dropped", messageId,
          subscription);
      return new Outcome(204, "");
    }
    try {
      queue.put(List.of(change.get()));
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      log.warn("push message {} ({}) not taken, Pub/Sub will deliver it again: {}", messageId,
          change.get(), e.toString());
      return new Outcome(503, "the change could not be made durable; deliver it again");
    }
    accepted.incrementAndGet();
    return new Outcome(204, "");
  }

  private static Map<String, String> attributes(@Nullable JsonNode node) {
    Map<String, String> out = new HashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("message.attributes is not an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode()) {
        throw new IllegalArgumentException("attribute " + e.getKey() + " is not a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Changes made durable (answered 204 after {@code put}). */
  public long accepted() {
    return accepted.get();
  }

  /** Messages that were not object notifications (answered 204, dropped). */
  public long dropped() {
    return dropped.get();
  }

  /** Malformed notifications (answered 204, dropped, logged). */
  public long poison() {
    return poison.get();
  }

  /** Changes {@code put} refused (answered 503: delivered again). */
  public long failed() {
    return failed.get();
  }

  private record Outcome(int status, String message) {}

  /** Settings of a {@link PushEndpoint}. */
  public static final class Builder {
    private ChangeQueue queue;
    private String site;
    private String origin = "push";
    @Nullable private TokenCheck tokenCheck;
    private int maxBodyBytes = 16 << 20;

    private Builder() {}

    /** Where changes go; the endpoint answers 204 only after {@code put} returned. */
    public Builder queue(ChangeQueue queue) {
      this.queue = requireNonNull(queue, "queue");
      return this;
    }

    /** The site whose bucket's notifications the subscription pushes (the GCS site). */
    public Builder site(String site) {
      this.site = requireNonNull(site, "site");
      return this;
    }

    /** {@link Change#origin()} of the changes (default {@code push}). */
    public Builder origin(String origin) {
      this.origin = requireNonNull(origin, "origin");
      return this;
    }

    /** Admit only requests whose bearer token passes {@code check} (others get 401). */
    public Builder tokenCheck(TokenCheck check) {
      this.tokenCheck = requireNonNull(check, "check");
      return this;
    }

    /**
     * The largest body accepted (default 16 MiB: a 10 MB Pub/Sub message, base64, in its
     * envelope).
     */
    public Builder maxBodyBytes(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxBodyBytes (" + max + ") must be positive");
      }
      this.maxBodyBytes = max;
      return this;
    }

    public PushEndpoint build() {
      if (queue == null) {
        throw new IllegalArgumentException("queue is required");
      }
      if (site == null || site.isEmpty()) {
        throw new IllegalArgumentException("site is required");
      }
      return new PushEndpoint(this);
    }
  }
}
