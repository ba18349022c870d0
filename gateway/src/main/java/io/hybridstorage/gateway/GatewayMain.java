package io.hybridstorage.gateway;

import io.hybridstorage.api.HybridStorageOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar hybrid-storage-gateway.jar --config FILE}: serves the configured world until
 * the process is told to stop (SIGTERM, Ctrl-C), then stops gracefully.
 */
@Command(name = "hybrid-storage-gateway", mixinStandardHelpOptions = true,
    description = "Serves the GCS JSON API over the hybrid world a configuration file describes.")
public final class GatewayMain implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "the SDK's YAML configuration (sites, placements, profiles, routing, gateway)")
  Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "overrides gateway.port")
  Integer port;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "overrides gateway.host")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    HybridStorageOptions options = HybridStorageOptions.fromFile(config);
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>(options.gateway().values());
    if (port != null) {
      overrides.put("port", String.valueOf(port));
    }
    if (host != null) {
      overrides.put("host", host);
    }
    HybridStorageOptions withOverrides = options.toBuilder().gateway(overrides).build();
    Gateway gateway = GatewayConfig.start(withOverrides, System::getenv);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "gateway-shutdown"));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }
}
