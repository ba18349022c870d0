package io.hybridstorage.cli;

import com.google.cloud.storage.BucketInfo;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mb gs://bucket…}: creates buckets (on every site the placements covering them name); 409 if one exists. */
@Command(name = "mb", mixinStandardHelpOptions = true, description = "Creates buckets on the sites their placements name.")
final class MbCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1..*", description = "gs://bucket")
  List<String> urls = new ArrayList<>();

  @Override
  int run(World world) {
    for (String argument : urls) {
      GcsUrl url = GcsUrl.parse(argument);
      if (!url.name().isEmpty()) {
        throw new UsageException("'" + argument + "' names an object: mb takes gs://bucket");
      }
      out().println("Creating gs://" + url.bucket() + "/");
      world.storage().create(BucketInfo.of(url.bucket()));
    }
    return Exits.OK;
  }
}
