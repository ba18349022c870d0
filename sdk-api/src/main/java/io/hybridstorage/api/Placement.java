package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Where the objects of a bucket (or of a prefix of it) live and how they are written and read.
 * Build with {@link #builder(String)}; {@link Builder#build()} rejects impossible combinations,
 * naming the placement and the field.
 *
 * @param bucket the bucket, or {@code *} for every bucket without a more specific placement
 * @param prefix an object-name prefix; the longest matching prefix wins; {@code ""} = whole bucket
 * @param replicas the sites holding copies, in preference order
 * @param authority the site deciding preconditions and generations (one of the replicas)
 * @param writeQuorum for {@link WritePolicy#QUORUM}: how many replicas must acknowledge
 * @param stalenessBound for {@link Consistency#EVENTUAL}: how stale a read may be
 * @param hedgeDelay for {@link ReadPolicy#HEDGED}: when to ask a second site
 * @param failWritesWhenReplicaDown for {@link WritePolicy#DUAL_WRITE_SYNC}: {@code true} fails a
 *     write when a replica is down; {@code false} acknowledges after the healthy replicas wrote it
 *     and journals the rest (which gives up {@link Consistency#STRONG} reads from replicas)
 */
public record Placement(
    String bucket,
    String prefix,
    List<String> replicas,
    String authority,
    WritePolicy writePolicy,
    int writeQuorum,
    ReadPolicy readPolicy,
    Consistency consistency,
    Duration stalenessBound,
    Duration hedgeDelay,
    boolean failWritesWhenReplicaDown) {

  public static final String ANY_BUCKET = "*";

  public Placement {
    checkBucket(bucket);
    requireNonNull(prefix, "prefix");
    replicas = List.copyOf(replicas);
    requireNonNull(authority, "authority");
    requireNonNull(writePolicy, "writePolicy");
    requireNonNull(readPolicy, "readPolicy");
    requireNonNull(consistency, "consistency");
    requireNonNull(stalenessBound, "stalenessBound");
    requireNonNull(hedgeDelay, "hedgeDelay");
  }

  /**
   * A bucket name cannot hold a prefix: {@code builder("bkt/tmp/")} would make a placement for a
   * bucket literally named {@code bkt/tmp/}, which covers nothing, silently. (The configuration
   * file's {@code bucket: bkt/tmp/} is split into bucket and prefix before it gets here.)
   */
  private static void checkBucket(String bucket) {
    requireNonNull(bucket, "bucket");
    int slash = bucket.indexOf('/');
    if (slash >= 0) {
      throw new IllegalArgumentException("placement bucket '" + bucket + "' must not contain '/'; for a prefix of "
          + "a bucket use Placement.builder(\"" + bucket.substring(0, slash) + "\").prefix(\""
          + bucket.substring(slash + 1) + "\")");
    }
  }

  /** {@code bucket} or {@code bucket/prefix}: how errors name this placement. */
  public String id() {
    return prefix.isEmpty() ? bucket : bucket + "/" + prefix;
  }

  /** Whether this placement covers {@code bucket/name}. */
  public boolean covers(String bucketName, String objectName) {
    return (bucket.equals(ANY_BUCKET) || bucket.equals(bucketName)) && objectName.startsWith(prefix);
  }

  /**
   * A builder for the placement of {@code bucket} ({@link #ANY_BUCKET} for every bucket); a prefix
   * is set with {@link Builder#prefix}.
   *
   * @throws IllegalArgumentException when {@code bucket} contains {@code '/'} (the message shows
   *     the {@code builder(bucket).prefix(rest)} form meant)
   */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  public Builder toBuilder() {
    Builder b = new Builder(bucket);
    b.prefix = prefix;
    b.replicas = new ArrayList<>(replicas);
    b.authority = authority;
    b.writePolicy = writePolicy;
    b.writeQuorum = writeQuorum;
    b.readPolicy = readPolicy;
    b.consistency = consistency;
    b.stalenessBound = stalenessBound;
    b.hedgeDelay = hedgeDelay;
    b.failWritesWhenReplicaDown = failWritesWhenReplicaDown;
    return b;
  }

  /**
   * Checks this placement against the configured sites and local site; returns the problems
   * (empty when valid), each naming the placement and the field. {@link HybridStorageOptions}
   * calls it at {@code build()}.
   */
  public List<String> problems(Set<String> siteNames, @Nullable String localSite) {
    List<String> problems = new ArrayList<>();
    String where = "placement '" + id() + "'";
    if (replicas.isEmpty()) {
      problems.add(where + ": replicas must name at least one site");
    }
    if (new LinkedHashSet<>(replicas).size() != replicas.size()) {
      problems.add(where + ": replicas " + replicas + " name a site twice");
    }
    for (String site : replicas) {
      if (!siteNames.contains(site)) {
        problems.add(where + ": replica '" + site + "' is not a configured site " + siteNames);
      }
    }
    if (!replicas.contains(authority)) {
      problems.add(where + ": authority '" + authority + "' must be one of the replicas " + replicas);
    }
    if (writePolicy == WritePolicy.QUORUM && (writeQuorum < 1 || writeQuorum > replicas.size())) {
      problems.add(where + ": writeQuorum (" + writeQuorum + ") must be between 1 and the number of replicas ("
          + replicas.size() + ")");
    }
    if (writePolicy != WritePolicy.QUORUM && writeQuorum != 0) {
      problems.add(where + ": writeQuorum is only meaningful with writePolicy QUORUM, not " + writePolicy);
    }
    if (writePolicy == WritePolicy.LOCAL_THEN_ASYNC && (localSite == null || !replicas.contains(localSite))) {
      problems.add(where + ": writePolicy LOCAL_THEN_ASYNC needs the local site (" + localSite
          + ") to be one of the replicas " + replicas);
    }
    if (readPolicy == ReadPolicy.READ_THROUGH && (localSite == null || !replicas.contains(localSite))) {
      problems.add(where + ": readPolicy READ_THROUGH needs the local site (" + localSite
          + ") to be one of the replicas " + replicas);
    }
    if (readPolicy == ReadPolicy.HEDGED && (hedgeDelay.isZero() || hedgeDelay.isNegative())) {
      problems.add(where + ": readPolicy HEDGED needs a positive hedgeDelay");
    }
    if (readPolicy == ReadPolicy.HEDGED && replicas.size() < 2) {
      problems.add(where + ": readPolicy HEDGED needs at least two replicas");
    }
    if (consistency == Consistency.EVENTUAL && (stalenessBound.isZero() || stalenessBound.isNegative())) {
      problems.add(where + ": consistency EVENTUAL needs a positive stalenessBound");
    }
    if (consistency == Consistency.STRONG) {
      String strong = strongProblem();
      if (strong != null) {
        problems.add(where + ": consistency STRONG is impossible with writePolicy " + writePolicy
            + " and readPolicy " + readPolicy + ": " + strong);
      }
    }
    return problems;
  }

  /**
   * Why STRONG (linearizable per object) cannot hold, or null. Reads must consult the authority —
   * where preconditions and generations are decided — because even with every replica written
   * synchronously, a replica commits a little before or after the authority: a reader of a
   * replica may see a write that a later reader of the authority does not yet see (or the
   * reverse). So NEAREST, HEDGED and READ_THROUGH are rejected under STRONG whatever the write
   * policy; writes must reach the authority before they are acknowledged.
   */
  @Nullable
  private String strongProblem() {
    if (writePolicy == WritePolicy.LOCAL_THEN_ASYNC) {
      return "writes are acknowledged before the authority has them; use AUTHORITY_ONLY, AUTHORITY_THEN_ASYNC, "
          + "QUORUM or DUAL_WRITE_SYNC";
    }
    boolean readsCheckAuthority = readPolicy == ReadPolicy.AUTHORITY || readPolicy == ReadPolicy.NEAREST_VERIFIED;
    if (!readsCheckAuthority) {
      return "a replica commits before or after the authority, so reads must use AUTHORITY or NEAREST_VERIFIED "
          + "(use SESSION or EVENTUAL consistency for " + readPolicy + " reads)";
    }
    return null;
  }

  /** Builds a {@link Placement}. Defaults: authority = first replica, AUTHORITY_ONLY, AUTHORITY, STRONG. */
  public static final class Builder {
    private final String bucket;
    private String prefix = "";
    private List<String> replicas = new ArrayList<>();
    @Nullable private String authority;
    private WritePolicy writePolicy = WritePolicy.AUTHORITY_ONLY;
    private int writeQuorum;
    private ReadPolicy readPolicy = ReadPolicy.AUTHORITY;
    private Consistency consistency = Consistency.STRONG;
    private Duration stalenessBound = Duration.ZERO;
    private Duration hedgeDelay = Duration.ZERO;
    private boolean failWritesWhenReplicaDown = true;

    private Builder(String bucket) {
      checkBucket(bucket);
      this.bucket = bucket;
    }

    public Builder prefix(String value) {
      this.prefix = requireNonNull(value, "prefix");
      return this;
    }

    public Builder replicas(String... sites) {
      this.replicas = new ArrayList<>(List.of(sites));
      return this;
    }

    public Builder replicas(List<String> sites) {
      this.replicas = new ArrayList<>(sites);
      return this;
    }

    public Builder authority(String site) {
      this.authority = requireNonNull(site, "authority");
      return this;
    }

    public Builder write(WritePolicy policy) {
      this.writePolicy = requireNonNull(policy, "writePolicy");
      return this;
    }

    /** {@link WritePolicy#QUORUM} with {@code w} acknowledgements. */
    public Builder quorum(int w) {
      this.writePolicy = WritePolicy.QUORUM;
      this.writeQuorum = w;
      return this;
    }

    public Builder read(ReadPolicy policy) {
      this.readPolicy = requireNonNull(policy, "readPolicy");
      return this;
    }

    public Builder consistency(Consistency value) {
      this.consistency = requireNonNull(value, "consistency");
      return this;
    }

    public Builder stalenessBound(Duration value) {
      this.stalenessBound = requireNonNull(value, "stalenessBound");
      return this;
    }

    public Builder hedgeDelay(Duration value) {
      this.hedgeDelay = requireNonNull(value, "hedgeDelay");
      return this;
    }

    public Builder failWritesWhenReplicaDown(boolean value) {
      this.failWritesWhenReplicaDown = value;
      return this;
    }

    /** The placement; site-dependent checks happen in {@link HybridStorageOptions.Builder#build()}. */
    public Placement build() {
      String auth = authority != null ? authority : (replicas.isEmpty() ? "" : replicas.get(0));
      return new Placement(bucket, prefix, replicas, auth, writePolicy, writeQuorum, readPolicy, consistency,
          stalenessBound, hedgeDelay, failWritesWhenReplicaDown);
    }
  }
}
