package io.hybridstorage.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cp SOURCE… DESTINATION}: local file to {@code gs://}, {@code gs://} to a local file, or
 * {@code gs://} to {@code gs://} (a server-side copy), through the hybrid {@code Storage}, so the
 * placement covering each name decides where it goes. Names follow {@code gcloud storage cp}: a
 * destination ending in {@code /} (or an existing local directory, or several sources) is a
 * folder that receives each source under its own name; {@code -r} copies a local directory or a
 * {@code gs://} folder with its name. A progress bar counts objects when there are several and the
 * CLI runs on a terminal; otherwise one line per object.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
    description = "Copies local files and gs:// objects (local -> gs, gs -> local, gs -> gs; -r for folders).")
final class CpCommand extends WorldCommand {

  @Parameters(paramLabel = "SOURCE... DESTINATION", arity = "2..*",
      description = "sources (local paths or gs:// URLs), then the destination")
  List<String> arguments = new ArrayList<>();

  @Option(names = {"-r", "--recursive"}, description = "copy directories and gs:// folders with everything below")
  boolean recursive;

  /** One object to copy. */
  private record Transfer(String from, String to, Action action) {}

  @FunctionalInterface
  private interface Action {
    /** Copies; returns the bytes copied. */
    long run(Storage storage) throws IOException;
  }

  @Override
  int run(World world) throws IOException {
    List<String> sources = arguments.subList(0, arguments.size() - 1);
    String destination = arguments.get(arguments.size() - 1);
    boolean intoFolder = sources.size() > 1 || recursive;
    List<Transfer> plan = new ArrayList<>();
    for (String source : sources) {
      plan.addAll(plan(world.storage(), source, destination, intoFolder));
    }
    long bytes = 0;
    try (Progress progress = plan.size() > 1 ? cli.progress("cp", plan.size(), "objects") : Progress.NONE) {
      for (Transfer t : plan) {
        if (progress == Progress.NONE) {
          out().println("Copying " + t.from() + " to " + t.to());
        }
        bytes += t.action().run(world.storage());
        progress.step(1);
      }
    }
    out().println("Copied " + plan.size() + (plan.size() == 1 ? " object, " : " objects, ") + bytes + " bytes");
    return Exits.OK;
  }

  private List<Transfer> plan(Storage storage, String source, String destination, boolean intoFolder)
      throws IOException {
    if (!GcsUrl.isGcs(source) && !GcsUrl.isGcs(destination)) {
      throw new UsageException("cp copies to or from gs://: neither '" + source + "' nor '" + destination + "' is");
    }
    return GcsUrl.isGcs(source) ? fromGcs(storage, GcsUrl.parse(source), destination, intoFolder)
        : fromLocal(Path.of(source), GcsUrl.parse(destination), intoFolder);
  }

  private List<Transfer> fromLocal(Path source, GcsUrl destination, boolean intoFolder) throws IOException {
    if (!Files.exists(source)) {
      throw new UsageException("'" + source + "' does not exist");
    }
    List<Transfer> plan = new ArrayList<>();
    if (Files.isDirectory(source)) {
      if (!recursive) {
        throw new UsageException("'" + source + "' is a directory: copy it with -r");
      }
      String base = Listings.folder(destination.name()) + source.toAbsolutePath().normalize().getFileName() + "/";
      List<Path> files;
      try (Stream<Path> walk = Files.walk(source)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        String relative = source.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        plan.add(upload(file, destination.bucket(), base + relative));
      }
      return plan;
    }
    String name = intoFolder || destination.name().isEmpty() || destination.name().endsWith("/")
        ? Listings.folder(destination.name()) + source.getFileName() : destination.name();
    plan.add(upload(source, destination.bucket(), name));
    return plan;
  }

  private static Transfer upload(Path file, String bucket, String name) {
    return new Transfer("file://" + file.toAbsolutePath(), GcsUrl.of(bucket, name), storage -> {
      BlobInfo info = BlobInfo.newBuilder(bucket, name).setContentType(contentType(file)).build();
      return storage.createFrom(info, file).getSize();
    });
  }

  private List<Transfer> fromGcs(Storage storage, GcsUrl source, String destination, boolean intoFolder) {
    List<Transfer> plan = new ArrayList<>();
    if (!recursive) {
      GcsUrl object = GcsUrl.parseObject(source.toString());
      plan.add(transfer(object.bucket(), object.name(), destination,
          intoFolder || isFolder(destination) ? Listings.baseName(object.name()) : null));
      return plan;
    }
    String prefix = Listings.folder(source.name());
    String base = source.name().isEmpty() ? source.bucket() : Listings.baseName(source.name());
    for (Blob blob : Listings.objects(storage, source.bucket(), prefix, false)) {
      if (blob.getName().endsWith("/")) {
        continue; // a folder placeholder: nothing to copy into a file
      }
      plan.add(transfer(source.bucket(), blob.getName(), destination,
          base + "/" + blob.getName().substring(prefix.length())));
    }
    if (plan.isEmpty()) {
      throw new HybridStorageException(404, "notFound", "cp", source.bucket(), source.name(), null,
          "matched no objects", null);
    }
    return plan;
  }

  /**
   * Copies {@code bucket/name} to {@code destination}, or (with {@code relative}) to {@code
   * relative} under the destination folder.
   */
  private Transfer transfer(String bucket, String name, String destination, String relative) {
    String from = GcsUrl.of(bucket, name);
    BlobId source = BlobId.of(bucket, name);
    if (GcsUrl.isGcs(destination)) {
      GcsUrl to = GcsUrl.parse(destination);
      String target = relative == null && !to.name().isEmpty() ? to.name() : Listings.folder(to.name())
          + (relative == null ? Listings.baseName(name) : relative);
      return new Transfer(from, GcsUrl.of(to.bucket(), target), storage -> storage.copy(
          Storage.CopyRequest.of(source, BlobId.of(to.bucket(), target))).getResult().getSize());
    }
    Path root = Path.of(destination).toAbsolutePath().normalize();
    Path target = relative == null ? root : root.resolve(relative).normalize();
    if (!target.startsWith(root)) {
      throw new UsageException(from + " would be written outside " + root + " (its name has .. segments): "
          + "copy it alone to a file name");
    }
    return new Transfer(from, target.toString(), storage -> {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      storage.downloadTo(source, target);
      return Files.size(target);
    });
  }

  private static boolean isFolder(String destination) {
    return destination.endsWith("/") || (!GcsUrl.isGcs(destination) && Files.isDirectory(Path.of(destination)));
  }

  private static String contentType(Path file) {
    try {
      String probed = Files.probeContentType(file);
      return probed == null ? "application/octet-stream" : probed;
    } catch (IOException e) {
      return "application/octet-stream";
    }
  }
}
