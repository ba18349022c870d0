package io.hybridstorage.sync.pubsub;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;

/**
 * How {@link PubSubSink} and {@link PubSubFeed} reach Cloud Pub/Sub: the service's default
 * endpoint and Application Default Credentials, another endpoint (a regional or private one), an
 * emulator (plaintext, no credentials — the Pub/Sub emulator's documented setup), or a channel and
 * credentials provider the application builds. One value for both, so a sink and a feed of one
 * deployment are configured alike.
 *
 * @param endpoint {@code host:port}, null for the service's default endpoint
 * @param plaintext whether {@code endpoint} is an emulator (no TLS, no credentials)
 * @param channelProvider the application's channel provider, null for the client's default
 * @param credentialsProvider the application's credentials, null for the client's default (ADC)
 */
public record PubSubTransport(
    @Nullable String endpoint,
    boolean plaintext,
    @Nullable TransportChannelProvider channelProvider,
    @Nullable CredentialsProvider credentialsProvider) {

  public PubSubTransport {
    if (plaintext && endpoint == null) {
      throw new IllegalArgumentException("an emulator (plaintext) transport needs an endpoint host:port");
    }
    if (plaintext && channelProvider != null) {
      throw new IllegalArgumentException(
          "an emulator (plaintext) transport cannot be combined with a channelProvider");
    }
  }

  /** The service's default endpoint with Application Default Credentials. */
  public static PubSubTransport cloud() {
    return new PubSubTransport(null, false, null, null);
  }

  /**
   * An emulator (the Pub/Sub emulator, {@code gcloud beta emulators pubsub}, or the tests' embedded
   * server) at {@code hostPort}: plaintext and no credentials.
   */
  public static PubSubTransport emulator(String hostPort) {
    return new PubSubTransport(requireNonNull(hostPort, "hostPort"), true, null, null);
  }

  /** Another endpoint ({@code host:port}, TLS) with this transport's credentials. */
  public PubSubTransport withEndpoint(String hostPort) {
    return new PubSubTransport(requireNonNull(hostPort, "hostPort"), false, channelProvider,
        credentialsProvider);
  }

  /** These credentials instead of Application Default Credentials. */
  public PubSubTransport withCredentials(CredentialsProvider credentials) {
    return new PubSubTransport(endpoint, plaintext, channelProvider,
        requireNonNull(credentials, "credentials"));
  }

  /** This channel provider instead of the client's default (not with an emulator). */
  public PubSubTransport withChannelProvider(TransportChannelProvider channels) {
    return new PubSubTransport(endpoint, false, requireNonNull(channels, "channels"),
        credentialsProvider);
  }

  /**
   * Opens what a client needs: for an emulator, one plaintext channel that {@link Open#close}
   * shuts down.
   */
  Open open() {
    if (plaintext) {
      ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
      return new Open(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
          NoCredentialsProvider.create(), channel);
    }
    return new Open(channelProvider, credentialsProvider, null);
  }

  /** An opened transport: the providers to give a client, and the channel it owns, if any. */
  record Open(@Nullable TransportChannelProvider channels, @Nullable CredentialsProvider credentials,
      @Nullable ManagedChannel owned) implements AutoCloseable {

    @Override
    public void close() {
      if (owned != null) {
        owned.shutdown();
        try {
          if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
            owned.shutdownNow();
          }
        } catch (InterruptedException e) {
          owned.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** {@code projects/P/topics/T} from a full name, {@code //pubsub.googleapis.com/…} or short {@code T}. */
  static String fullName(String project, String name, String kind) {
    String n = name.startsWith("//pubsub.googleapis.com/")
        ? name.substring("//pubsub.googleapis.com/".length()) : name;
    if (n.startsWith("projects/")) {
      String[] parts = n.split("/", -1);
      if (parts.length != 4 || parts[1].isEmpty() || !parts[2].equals(kind) || parts[3].isEmpty()) {
        throw new IllegalArgumentException(
            "'" + name + "' is not a Pub/Sub " + kind + " name (projects/P/" + kind + "/NAME)");
      }
      return n;
    }
    if (project == null || project.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + name + "' is a short " + kind + " name: a project is needed (project(...))");
    }
    if (n.isEmpty() || n.contains("/")) {
      throw new IllegalArgumentException("'" + name + "' is not a Pub/Sub " + kind + " name");
    }
    return "projects/" + project + "/" + kind + "/" + n;
  }
}
